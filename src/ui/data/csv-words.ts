/**
 * The CSV report in words for the data panel: what each kind of repair is
 * called and what was done, the spreads as "min / median / max", the split
 * line. Pure functions of plain data (no React), unit-tested; everything
 * they return is shown as text, never as HTML.
 */
import type { ProblemCode, ProblemCounts } from '../../core/data/csv/problems';
import type { DataReport, Spread } from '../../core/data/csv/report';
import { fmt, fmtInt } from '../format';

const REPAIR_WORDS: Record<ProblemCode, string> = {
  'ragged-row': 'rows with the wrong number of cells (dropped)',
  'malformed-quotes': 'rows with broken quotes (dropped)',
  'not-a-number': 'rows with text in a numeric column (dropped)',
  'missing-target': 'rows without a target (dropped)',
  'non-finite-target': 'rows with a NaN or infinite target (dropped)',
  'missing-task': 'rows without a task (dropped)',
  'missing-value': 'empty cells (filled with the meta-train mean)',
  'non-finite-value': 'NaN or infinite cells (filled with the meta-train mean)',
  'unseen-category': 'categories not seen in meta-training (encoded as none)',
  'empty-column': 'empty columns (excluded)',
  'unnamed-empty-column': 'unnamed empty columns (excluded)',
  'too-many-categories': 'text columns with too many categories (excluded)',
  'small-task': 'tasks too small to use (left out)',
  'small-class': 'classes too small to use (left out)',
  'single-class-task': 'tasks with a single class (left out)',
  'empty-split': 'empty meta-splits (noted)',
  'ignored-column': 'columns ignored',
  'text-encoding': 'files read as Windows-1252 (Latin-1), not UTF-8',
};

/** One line per kind of repair, with its count, most frequent first. */
export function repairLines(counts: ProblemCounts): string[] {
  return (Object.entries(counts) as [ProblemCode, number][])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${fmtInt(n)} ${REPAIR_WORDS[code] ?? code}`);
}

export function spreadText(s: Spread | null): string {
  return s === null ? '–' : `${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`;
}

/** "28 / 6 / 6 classes" or "84 / 18 / 18 tasks". */
export function splitText(r: DataReport): string {
  const episodic = r.schema.kind === 'classification' && r.schema.mode === 'episodic';
  const { train, val, test } = r.splitSizes;
  return `${train} / ${val} / ${test} ${episodic ? 'classes' : 'tasks'}`;
}

/** Columns with missing, NaN or infinite cells, most first. */
export function missingList(r: DataReport): { column: string; count: number }[] {
  return Object.entries(r.missing)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([column, count]) => ({ column, count }));
}

/** The classes line: how many, and the first few with their examples. */
export function classesText(r: DataReport, show = 8): string {
  if (r.schema.kind !== 'classification') return '–';
  const first = r.classes
    .slice(0, show)
    .map((c) => `${c.name} (${c.examples})`)
    .join(', ');
  const more = r.classes.length > show ? `, … ${r.classes.length - show} more` : '';
  return `${r.classes.length}: ${first}${more}`;
}
