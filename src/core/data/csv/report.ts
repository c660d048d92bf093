/**
 * What the person sees after an upload: what was read, what was guessed,
 * what was repaired and how the tasks were split. Plain data (structured-
 * clone and JSON safe), so the worker can post it and a session can keep it.
 * `schema` is the schema as used (features left out are gone from it) and
 * `normalization` is what a session must store to encode new data the same way.
 */
import { PREVIEW_ROWS } from './caps';
import type { Split } from '../types';
import type { Unit } from './grouping';
import { inputNames, type Normalization } from './normalization';
import type { DataProblem, ProblemCounts } from './problems';
import type { RowStore } from './read-rows';
import type { DatasetSchema } from './schema';
import { delimiterName, type ParsedTable } from './table';
import { parseCell } from './cells';

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface FileSummary {
  fileName: string;
  delimiter: 'comma' | 'semicolon' | 'tab';
  /** data rows read (dropped ones included; blank lines not) */
  dataRows: number;
  columns: number;
}

export interface ClassSummary {
  name: string;
  examples: number;
  /** episodic: the class's split; per-task: null (a label may occur in tasks of several splits) */
  split: Split | null;
}

export interface DataReport {
  files: FileSummary[];
  schema: DatasetSchema;
  normalization: Normalization;
  /** model input names, `column` or `column=category` */
  inputs: string[];
  rows: {
    read: number;
    /** dropped one by one (bad cells) */
    dropped: number;
    /** in the tasks / classes used (rows of left-out tasks or classes are neither) */
    used: number;
  };
  /** tasks used; 0 in the episodic mode */
  tasks: number;
  examplesPerTask: Spread | null;
  /** classification: examples per class label */
  classes: ClassSummary[];
  /** over classes (per-task: over each task's classes) */
  examplesPerClass: Spread | null;
  /** tasks, or classes in the episodic mode, per split */
  splitSizes: Record<Split, number>;
  splits: Record<Split, string[]>;
  /** empty, NaN or infinite cells per used column, over all rows read */
  missing: Record<string, number>;
  preview: { fileName: string; header: string[]; rows: string[][]; rowNumbers: number[] };
  /** the first few repairs of each kind */
  problems: DataProblem[];
  /** every repair, counted by kind */
  problemCounts: ProblemCounts;
  notes: string[];
}

export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median =
    s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { min: s[0] as number, median, max: s[s.length - 1] as number };
}

export interface ReportInput {
  tables: readonly ParsedTable[];
  schema: DatasetSchema;
  norm: Normalization;
  store: RowStore;
  splits: Record<Split, Unit[]>;
  problems: DataProblem[];
  problemCounts: ProblemCounts;
  droppedRows: number;
  notes: string[];
}

const SPLITS: readonly Split[] = ['train', 'val', 'test'];

function classSummaries(inp: ReportInput): { classes: ClassSummary[]; sizes: number[] } {
  const { schema, splits } = inp;
  if (schema.kind !== 'classification') return { classes: [], sizes: [] };
  if (schema.mode === 'episodic') {
    const classes = SPLITS.flatMap((s) =>
      splits[s].map((u) => ({ name: u.name, examples: u.rows.length, split: s })),
    );
    return { classes, sizes: classes.map((c) => c.examples) };
  }
  const byLabel = new Map<string, number>();
  const sizes: number[] = [];
  for (const s of SPLITS) {
    for (const u of splits[s]) {
      for (const c of u.classes ?? []) {
        sizes.push(c.rows.length);
        byLabel.set(c.name, (byLabel.get(c.name) ?? 0) + c.rows.length);
      }
    }
  }
  const classes = [...byLabel.entries()].map(([name, examples]) => ({
    name,
    examples,
    split: null,
  }));
  return { classes, sizes };
}

/** How each file was read, when it was not the plain default (comma, decimal point). */
export function readingNotes(tables: readonly ParsedTable[]): string[] {
  return tables.flatMap((t) => {
    if (t.delimiter === ',') return [];
    const sep = t.delimiter === ';' ? "';'" : 'tab';
    const mark = t.decimalMark === ',' ? " and ',' as decimal mark" : '';
    return [`${t.fileName}: detected ${sep} as separator${mark}.`];
  });
}

/**
 * A preview cell as the engine reads it: numbers of numeric columns parsed
 * ("1,5" with a decimal comma shows 1.5, " 007" shows 7), missing and
 * non-finite cells named, text trimmed.
 */
function previewCell(raw: string, numeric: boolean, decimalComma: boolean): string {
  if (!numeric) return raw.trim();
  const c = parseCell(raw, decimalComma);
  if (c.kind === 'number') return String(c.value);
  if (c.kind === 'missing') return '(missing)';
  if (c.kind === 'non-finite') return '(not finite)';
  return raw.trim();
}

/** What the person should know about how the data is served. */
export function standardNotes(schema: DatasetSchema, norm: Normalization): string[] {
  const notes: string[] = [];
  if (norm.target !== null) {
    const std = norm.target.std.toPrecision(4);
    notes.push(
      `Targets are standardized with the meta-train mean ${norm.target.mean.toPrecision(4)} and standard deviation ${std}; an MSE times ${std}² is in original units.`,
    );
  }
  notes.push(
    schema.kind === 'regression'
      ? "The query set is capped at (the smallest task's rows − K) so every batch of a split has the same shape."
      : 'The query set per class is capped at (the smallest class of the split − K) so every batch of a split has the same shape.',
  );
  return notes;
}

export function makeReport(inp: ReportInput): DataReport {
  const { tables, schema, splits } = inp;
  const units = SPLITS.flatMap((s) => splits[s]);
  const episodic = schema.kind === 'classification' && schema.mode === 'episodic';
  const { classes, sizes } = classSummaries(inp);
  const first = tables[0] as ParsedTable;
  const numericColumns = new Set(
    schema.features.filter((f) => schema.featureTypes[f] === 'numeric'),
  );
  if (schema.kind === 'regression') numericColumns.add(schema.target);
  return {
    files: tables.map((t) => ({
      fileName: t.fileName,
      delimiter: delimiterName(t.delimiter),
      dataRows: t.dataRows,
      columns: t.header.length,
    })),
    schema,
    normalization: inp.norm,
    inputs: inputNames(inp.norm),
    rows: {
      read: tables.reduce((n, t) => n + t.dataRows, 0),
      dropped: inp.droppedRows,
      used: units.reduce((n, u) => n + u.rows.length, 0),
    },
    tasks: episodic ? 0 : units.length,
    examplesPerTask: episodic ? null : spread(units.map((u) => u.rows.length)),
    classes,
    examplesPerClass: spread(sizes),
    splitSizes: { train: splits.train.length, val: splits.val.length, test: splits.test.length },
    splits: {
      train: splits.train.map((u) => u.name),
      val: splits.val.map((u) => u.name),
      test: splits.test.map((u) => u.name),
    },
    missing: inp.store.missing,
    preview: {
      fileName: first.fileName,
      header: [...first.header],
      rows: first.rows
        .slice(0, PREVIEW_ROWS)
        .map((r) =>
          r.map((cell, j) =>
            previewCell(cell, numericColumns.has(first.header[j] ?? ''), first.delimiter === ';'),
          ),
        ),
      rowNumbers: first.rowNumbers.slice(0, PREVIEW_ROWS),
    },
    problems: inp.problems,
    problemCounts: inp.problemCounts,
    notes: inp.notes,
  };
}
