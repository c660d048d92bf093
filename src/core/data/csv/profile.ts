/**
 * One pass over a column's cells across all files: how many are numbers,
 * missing, non-finite or text, whether the numbers are whole, and how many
 * distinct values there are (counted up to a cap, which is all any decision
 * needs). Schema guesses and column-type decisions read these profiles only.
 */
import { parseCell } from './cells';
import type { ParsedTable } from './table';

export type ColumnType = 'numeric' | 'categorical';

export interface ColumnProfile {
  name: string;
  cells: number;
  numbers: number;
  missing: number;
  nonFinite: number;
  text: number;
  allWhole: boolean;
  /** distinct non-missing values (trimmed), counted up to DISTINCT_CAP */
  distinct: number;
  /** the first non-numeric value, for messages */
  firstText: string | null;
}

const DISTINCT_CAP = 1000;

export function profileColumn(tables: readonly ParsedTable[], name: string): ColumnProfile {
  const p: ColumnProfile = {
    name,
    cells: 0,
    numbers: 0,
    missing: 0,
    nonFinite: 0,
    text: 0,
    allWhole: true,
    distinct: 0,
    firstText: null,
  };
  const seen = new Set<string>();
  for (const t of tables) {
    const c = t.header.indexOf(name);
    if (c < 0) continue;
    const decimalComma = t.delimiter === ';';
    for (const row of t.rows) {
      const raw = row[c] ?? '';
      p.cells++;
      const cell = parseCell(raw, decimalComma);
      if (cell.kind === 'missing') {
        p.missing++;
        continue;
      }
      if (cell.kind === 'number') {
        p.numbers++;
        if (!Number.isInteger(cell.value)) p.allWhole = false;
        if (seen.size < DISTINCT_CAP) seen.add(String(cell.value));
      } else if (cell.kind === 'non-finite') {
        p.nonFinite++;
      } else {
        p.text++;
        if (p.firstText === null) p.firstText = raw.trim();
        if (seen.size < DISTINCT_CAP) seen.add(raw.trim());
      }
    }
  }
  p.distinct = seen.size;
  return p;
}

/**
 * A column is numeric when more of its non-missing cells are numbers than
 * text (the few text cells are then typos: their rows are dropped); a column
 * with no values at all counts as numeric and is excluded later as empty.
 */
export function guessColumnType(p: ColumnProfile): ColumnType {
  return p.text > p.numbers + p.nonFinite ? 'categorical' : 'numeric';
}
