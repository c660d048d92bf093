/**
 * Problems found in a person's data, worded for that person. Every message
 * names where the problem is (file, spreadsheet row with the header as row 1,
 * column) and what was done about it, e.g.
 * `tasks.csv, row 14, column "x2": "abc" is not a number; the row was dropped.`
 *
 * A problem is either a refusal (thrown as a DataError, nothing is loaded) or
 * an accepted repair recorded in a ProblemLog. The log counts every repair but
 * keeps only the first few sentences per kind, so a file with a million bad
 * rows cannot flood the report.
 */
import { DataError } from '../types';

/** What was done about a repaired problem. */
export type ProblemAction =
  'row-dropped' | 'column-excluded' | 'value-imputed' | 'task-excluded' | 'class-excluded' | 'note';

export type ProblemCode =
  | 'ragged-row'
  | 'malformed-quotes'
  | 'not-a-number'
  | 'missing-target'
  | 'non-finite-target'
  | 'missing-task'
  | 'missing-value'
  | 'non-finite-value'
  | 'unseen-category'
  | 'empty-column'
  | 'unnamed-empty-column'
  | 'too-many-categories'
  | 'small-task'
  | 'small-class'
  | 'single-class-task'
  | 'empty-split'
  | 'ignored-column'
  | 'text-encoding';

/** One repaired problem, as shown to the person. */
export interface DataProblem {
  code: ProblemCode;
  action: ProblemAction;
  /** the full sentence, starting with the place */
  message: string;
  where: { file?: string; row?: number; column?: string };
}

export type ProblemCounts = Partial<Record<ProblemCode, number>>;

/** A place in the data; `columnIndex` (0-based) names columns whose header is empty. */
export interface Where {
  file?: string;
  row?: number;
  column?: string;
  columnIndex?: number;
}

/** Spreadsheet letters for a 0-based column index: 0 → A, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** `column "x2"` for a named column, `column 5 (E)` for one without a name. */
export function columnRef(name: string | undefined, index?: number): string {
  if (name !== undefined && name !== '') return `column "${name}"`;
  if (index !== undefined) return `column ${index + 1} (${columnLetters(index)})`;
  return 'a column';
}

/** The column as DataError.where records it: its name, or its position when unnamed. */
function whereColumn(w: Where): string | undefined {
  if (w.column !== undefined && w.column !== '') return w.column;
  if (w.columnIndex !== undefined)
    return `column ${w.columnIndex + 1} (${columnLetters(w.columnIndex)})`;
  return undefined;
}

/** "tasks.csv, row 14, column "x2"" — the parts that are known, in that order. */
export function describeWhere(w: Where): string {
  const parts: string[] = [];
  if (w.file !== undefined) parts.push(w.file);
  if (w.row !== undefined) parts.push(`row ${w.row}`);
  if (w.column !== undefined || w.columnIndex !== undefined)
    parts.push(columnRef(w.column, w.columnIndex));
  return parts.join(', ');
}

function plainWhere(w: Where): DataProblem['where'] {
  const out: DataProblem['where'] = {};
  if (w.file !== undefined) out.file = w.file;
  if (w.row !== undefined) out.row = w.row;
  const column = whereColumn(w);
  if (column !== undefined) out.column = column;
  return out;
}

/** A sentence with its place in front: `place: text`. */
export function withPlace(w: Where, text: string): string {
  const place = describeWhere(w);
  return place === '' ? text : `${place}: ${text}`;
}

/** A refusal: the upload stops here with this message. */
export function refuse(w: Where, text: string): DataError {
  return new DataError(withPlace(w, text), plainWhere(w));
}

/** Cell values quoted in messages are shown verbatim (markup stays text), shortened if long. */
export function quoteCell(value: string): string {
  const max = 40;
  const shown = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return `"${shown}"`;
}

/** Collects repairs: every one is counted, the first `keepPerCode` of each kind are kept as sentences. */
export class ProblemLog {
  private readonly kept: DataProblem[] = [];
  private readonly counts = new Map<ProblemCode, number>();

  constructor(private readonly keepPerCode = 20) {}

  add(code: ProblemCode, action: ProblemAction, where: Where, text: string): void {
    const n = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, n);
    if (n <= this.keepPerCode) {
      this.kept.push({ code, action, message: withPlace(where, text), where: plainWhere(where) });
    }
  }

  /** Takes over the problems recorded by an earlier stage (e.g. parsing). */
  absorb(problems: readonly DataProblem[], counts: ProblemCounts): void {
    for (const p of problems) {
      const keptSoFar = this.kept.filter((k) => k.code === p.code).length;
      if (keptSoFar < this.keepPerCode) this.kept.push(p);
    }
    for (const [code, n] of Object.entries(counts) as [ProblemCode, number][]) {
      this.counts.set(code, (this.counts.get(code) ?? 0) + n);
    }
  }

  count(code: ProblemCode): number {
    return this.counts.get(code) ?? 0;
  }

  problems(): DataProblem[] {
    return [...this.kept];
  }

  problemCounts(): ProblemCounts {
    return Object.fromEntries(this.counts) as ProblemCounts;
  }
}
