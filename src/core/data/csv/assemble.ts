/**
 * From grouped, split rows to a TaskSource: each task's (or class's) rows are
 * encoded once into a packed Float32Array with the fitted Normalization, so
 * sampling only copies. Class indices count up within each split, in the
 * order of its units (per-task: one index per (task, class) pair).
 */
import type { ClassificationMode, Split, TaskSource } from '../types';
import { StoredClassPool, type ClassPool, type Origin } from '../task-sets/class-pool';
import {
  ClassificationTaskSet,
  type ClassGroup,
  type ClassificationSplit,
} from '../task-sets/classification-set';
import { RegressionTaskSet, type RegressionTask } from '../task-sets/regression-set';
import type { RowGroup, Unit } from './grouping';
import { encodeValues, standardizeTarget, type Normalization } from './normalization';
import type { RowStore } from './read-rows';
import type { DatasetSchema } from './schema';
import type { ParsedTable } from './table';

const SPLITS: readonly Split[] = ['train', 'val', 'test'];

export function encodeRows(
  store: RowStore,
  norm: Normalization,
  rows: readonly number[],
): Float32Array {
  const d = norm.inputDim;
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    encodeValues(
      norm,
      (e) =>
        e.type === 'numeric'
          ? (store.numeric.get(e.column)?.[r] ?? NaN)
          : (store.categorical.get(e.column)?.[r] ?? null),
      x,
      i * d,
    );
  });
  return x;
}

export interface AssembleInput {
  name: string;
  store: RowStore;
  tables: readonly ParsedTable[];
  schema: DatasetSchema;
  norm: Normalization;
  splits: Record<Split, Unit[]>;
}

function originOf(inp: AssembleInput, unit: RowGroup, column: string | null): Origin {
  const origin: Origin = {};
  const file = inp.tables[inp.store.fileIndex[unit.rows[0] as number] as number]?.fileName;
  if (file !== undefined) origin.file = file;
  if (column !== null) origin.column = column;
  return origin;
}

function regressionSource(inp: AssembleInput): TaskSource {
  const { store, norm } = inp;
  const task = (u: Unit): RegressionTask => ({
    name: u.name,
    x: encodeRows(store, norm, u.rows),
    y: Float32Array.from(u.rows, (r) => standardizeTarget(norm, store.target[r] as number)),
    rows: u.rows.length,
    origin: originOf(inp, u, inp.schema.taskColumn),
  });
  const splits = Object.fromEntries(SPLITS.map((s) => [s, inp.splits[s].map(task)])) as Record<
    Split,
    RegressionTask[]
  >;
  return new RegressionTaskSet(inp.name, norm.inputDim, norm.target?.std ?? 1, splits);
}

function classificationSource(inp: AssembleInput, mode: ClassificationMode): TaskSource {
  const { store, norm } = inp;
  const target = inp.schema.target;
  const split = (s: Split): ClassificationSplit => {
    let next = 0;
    const pool = (c: RowGroup): ClassPool =>
      new StoredClassPool(
        c.name,
        next++,
        encodeRows(store, norm, c.rows),
        norm.inputDim,
        originOf(inp, c, target),
      );
    if (mode === 'episodic') {
      const classes = inp.splits[s].map(pool);
      const groups: ClassGroup[] = classes.length > 0 ? [{ name: `meta-${s}`, classes }] : [];
      return { groups, classCount: next };
    }
    const groups = inp.splits[s].map((u): ClassGroup => ({
      name: u.name,
      classes: (u.classes ?? []).map(pool),
      origin: originOf(inp, u, inp.schema.taskColumn),
    }));
    return { groups, classCount: next };
  };
  return new ClassificationTaskSet(inp.name, norm.inputDim, mode, {
    train: split('train'),
    val: split('val'),
    test: split('test'),
  });
}

export function assembleSource(inp: AssembleInput): TaskSource {
  if (inp.schema.kind === 'regression') return regressionSource(inp);
  return classificationSource(inp, inp.schema.mode ?? 'per-task');
}
