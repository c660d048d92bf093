/**
 * Reads every row of every file through the schema into columns of typed
 * values, deciding cell by cell what happens to bad input:
 * - an empty task, an empty / NaN / infinite / non-numeric regression target,
 *   an empty class label, or text in a numeric feature → the row is dropped
 *   (only the first reason is reported);
 * - an empty, NaN or infinite feature → kept as a gap (NaN, or null for
 *   text), filled later; gaps are listed, and reported by reportGaps only for
 *   the rows and columns actually used;
 * - a split value that is not train / val / test → refusal;
 * - a number too large for 32-bit floats (a feature beyond ~3.4e38, a
 *   regression target beyond 1e18) → refusal naming row and column.
 * Missing-value counts per column are over all rows read, dropped or not.
 */
import type { Split } from '../types';
import {
  FLOAT32_MAX,
  MAX_TARGET,
  isMissingCell,
  labelKey,
  literalMagnitude,
  parseCell,
} from './cells';
import { taskNamesFromFiles } from './file-set';
import { quoteCell, refuse, type ProblemLog, type Where } from './problems';
import type { DatasetSchema } from './schema';
import type { ParsedTable } from './table';

/** A feature cell with no usable value, in a kept row. */
export interface Gap {
  /** index into the RowStore */
  row: number;
  column: string;
  where: Where;
  raw: string;
  decimalComma: boolean;
}

export interface RowStore {
  count: number;
  fileIndex: number[];
  rowNumber: number[];
  /** task name per row ('' when tasks are not used: episodic mode, or none given) */
  task: string[];
  /** class label per row (classification) */
  label: string[];
  /** original target per row (regression) */
  target: number[];
  /** split named in the split column, null when there is none */
  split: (Split | null)[];
  /** numeric features, NaN where missing */
  numeric: Map<string, number[]>;
  /** text features, null where missing */
  categorical: Map<string, (string | null)[]>;
  gaps: Gap[];
  /** empty / NaN / infinite cells per used column, over all rows read */
  missing: Record<string, number>;
}

const SPLIT_WORDS: Record<string, Split> = {
  train: 'train',
  training: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  dev: 'val',
  test: 'test',
  testing: 'test',
};

/** One row being read: its cells and how to name a place in it. */
interface RowReader {
  cells: readonly string[];
  decimalComma: boolean;
  at(column: string, columnIndex: number): Where;
  log: ProblemLog;
}

function readSplit(r: RowReader, column: string, index: number): Split | null {
  const word = (r.cells[index] ?? '').trim();
  if (word === '') return null;
  const split = SPLIT_WORDS[word.toLowerCase()];
  if (split === undefined) {
    throw refuse(
      r.at(column, index),
      `${quoteCell(word)} is not a split; use train, val or test (or leave the cell empty).`,
    );
  }
  return split;
}

/** Refuses a numeric literal too large for 32-bit floats (or, for a target, for its squares). */
function checkMagnitude(r: RowReader, column: string, index: number, target: boolean): void {
  const raw = r.cells[index] ?? '';
  const m = literalMagnitude(raw, r.decimalComma);
  const limit = target ? MAX_TARGET : FLOAT32_MAX;
  if (m === null || m <= limit) return;
  const why = target
    ? `a target beyond ±${MAX_TARGET.toExponential(0)} would make squared errors overflow 32-bit floats`
    : `the model computes in 32-bit floats, whose largest value is about ${FLOAT32_MAX.toPrecision(2)}`;
  throw refuse(
    r.at(column, index),
    `${quoteCell(raw)} is too large: ${why}. Rescale the column (e.g. change its unit, or take a logarithm) and upload the file again.`,
  );
}

/** The regression target, or null when the row is dropped. */
function readNumericTarget(r: RowReader, column: string, index: number): number | null {
  const raw = r.cells[index] ?? '';
  checkMagnitude(r, column, index, true);
  const cell = parseCell(raw, r.decimalComma);
  if (cell.kind === 'number') return cell.value;
  const where = r.at(column, index);
  const drop = 'the row was dropped.';
  if (cell.kind === 'missing') {
    const what =
      raw.trim() === '' ? 'the target is empty' : `${quoteCell(raw)} marks a missing target`;
    r.log.add('missing-target', 'row-dropped', where, `${what}; ${drop}`);
  } else if (cell.kind === 'non-finite') {
    r.log.add(
      'non-finite-target',
      'row-dropped',
      where,
      `${quoteCell(raw)} is not a finite number; ${drop}`,
    );
  } else {
    r.log.add('not-a-number', 'row-dropped', where, `${quoteCell(raw)} is not a number; ${drop}`);
  }
  return null;
}

/** The class label, or null when the row is dropped. */
function readLabel(r: RowReader, column: string, index: number): string | null {
  const raw = r.cells[index] ?? '';
  if (!isMissingCell(raw)) return labelKey(raw, r.decimalComma);
  const what =
    raw.trim() === ''
      ? 'the class label is empty'
      : `${quoteCell(raw)} marks a missing class label`;
  r.log.add('missing-target', 'row-dropped', r.at(column, index), `${what}; the row was dropped.`);
  return null;
}

/** The numeric features (NaN for gaps), or null when one holds text and the row is dropped. */
function readNumbers(
  r: RowReader,
  columns: readonly string[],
  indices: readonly number[],
): number[] | null {
  const values: number[] = [];
  for (let k = 0; k < columns.length; k++) {
    const index = indices[k] as number;
    const raw = r.cells[index] ?? '';
    checkMagnitude(r, columns[k] as string, index, false);
    const cell = parseCell(raw, r.decimalComma);
    if (cell.kind === 'text') {
      r.log.add(
        'not-a-number',
        'row-dropped',
        r.at(columns[k] as string, index),
        `${quoteCell(raw)} is not a number; the row was dropped.`,
      );
      return null;
    }
    values.push(cell.kind === 'number' ? cell.value : NaN);
  }
  return values;
}

function isMissingValue(raw: string, decimalComma: boolean): boolean {
  return isMissingCell(raw) || parseCell(raw, decimalComma).kind === 'non-finite';
}

export function readRows(
  tables: readonly ParsedTable[],
  schema: DatasetSchema,
  log: ProblemLog,
): RowStore {
  const numericCols = schema.features.filter((f) => schema.featureTypes[f] === 'numeric');
  const categoricalCols = schema.features.filter((f) => schema.featureTypes[f] === 'categorical');
  const store: RowStore = {
    count: 0,
    fileIndex: [],
    rowNumber: [],
    task: [],
    label: [],
    target: [],
    split: [],
    numeric: new Map(numericCols.map((c) => [c, []])),
    categorical: new Map(categoricalCols.map((c) => [c, []])),
    gaps: [],
    missing: {},
  };
  const taskColumn = schema.mode === 'episodic' ? null : schema.taskColumn;
  const usedColumns = [schema.target, ...schema.features];
  if (taskColumn !== null) usedColumns.push(taskColumn);
  for (const c of usedColumns) store.missing[c] = 0;
  const fileTasks = taskNamesFromFiles(tables);
  const tasksFromFiles = schema.taskPerFile && schema.mode !== 'episodic';

  tables.forEach((table, fi) => {
    const file = table.fileName;
    const col = (name: string) => table.header.indexOf(name);
    const decimalComma = table.delimiter === ';';
    const taskIdx = taskColumn === null ? -1 : col(taskColumn);
    const splitIdx = schema.splitColumn === null ? -1 : col(schema.splitColumn);
    const targetIdx = col(schema.target);
    const numIdx = numericCols.map(col);
    const catIdx = categoricalCols.map(col);
    const usedIdx = usedColumns.map(col);

    table.rows.forEach((cells, i) => {
      const row = table.rowNumbers[i] as number;
      const r: RowReader = {
        cells,
        decimalComma,
        log,
        at: (column, columnIndex) => ({ file, row, column, columnIndex }),
      };
      usedIdx.forEach((ci, k) => {
        const raw = cells[ci] ?? '';
        const name = usedColumns[k] as string;
        // a task may well be called "NA": only an empty task cell is missing
        const missing = name === taskColumn ? raw.trim() === '' : isMissingValue(raw, decimalComma);
        if (missing) store.missing[name] = (store.missing[name] ?? 0) + 1;
      });

      let task = '';
      if (tasksFromFiles) task = fileTasks[fi] as string;
      else if (taskColumn !== null) {
        task = (cells[taskIdx] ?? '').trim();
        if (task === '') {
          const where = r.at(taskColumn, taskIdx);
          log.add('missing-task', 'row-dropped', where, 'the task is empty; the row was dropped.');
          return;
        }
      }
      const split = schema.splitColumn === null ? null : readSplit(r, schema.splitColumn, splitIdx);
      let target = NaN;
      let label = '';
      if (schema.kind === 'regression') {
        const y = readNumericTarget(r, schema.target, targetIdx);
        if (y === null) return;
        target = y;
      } else {
        const l = readLabel(r, schema.target, targetIdx);
        if (l === null) return;
        label = l;
      }
      const numbers = readNumbers(r, numericCols, numIdx);
      if (numbers === null) return;

      // The row is kept.
      const at = store.count;
      numericCols.forEach((c, k) => {
        const v = numbers[k] as number;
        store.numeric.get(c)?.push(v);
        const index = numIdx[k] as number;
        if (Number.isNaN(v)) {
          store.gaps.push({
            row: at,
            column: c,
            where: r.at(c, index),
            raw: cells[index] ?? '',
            decimalComma,
          });
        }
      });
      categoricalCols.forEach((c, k) => {
        const index = catIdx[k] as number;
        const raw = cells[index] ?? '';
        const missing = isMissingCell(raw);
        store.categorical.get(c)?.push(missing ? null : raw.trim());
        if (missing)
          store.gaps.push({ row: at, column: c, where: r.at(c, index), raw, decimalComma });
      });
      store.count++;
      store.fileIndex.push(fi);
      store.rowNumber.push(row);
      store.task.push(task);
      store.label.push(label);
      store.target.push(target);
      store.split.push(split);
    });
  });
  return store;
}

/**
 * Reports the gaps filled in the rows and columns that are used: a numeric
 * gap becomes the meta-train mean, a text gap no category (all zeros).
 */
export function reportGaps(
  store: RowStore,
  usedColumns: ReadonlySet<string>,
  usedRows: ReadonlySet<number>,
  log: ProblemLog,
): void {
  for (const gap of store.gaps) {
    if (!usedColumns.has(gap.column) || !usedRows.has(gap.row)) continue;
    const numeric = store.numeric.has(gap.column);
    const fill = numeric
      ? 'it was filled with the meta-train mean.'
      : 'no category was set (its one-hot inputs are all 0).';
    if (numeric && parseCell(gap.raw, gap.decimalComma).kind === 'non-finite') {
      log.add(
        'non-finite-value',
        'value-imputed',
        gap.where,
        `${quoteCell(gap.raw)} is not a finite number; ${fill}`,
      );
    } else {
      const what =
        gap.raw.trim() === '' ? 'the cell is empty' : `${quoteCell(gap.raw)} marks a missing value`;
      log.add('missing-value', 'value-imputed', gap.where, `${what}; ${fill}`);
    }
  }
}
