/**
 * The meta-split: which units (tasks, or classes in the episodic mode) are
 * for meta-training, meta-validation and meta-testing. A split column, when
 * given, decides it (all rows of a unit must agree); otherwise a seeded
 * shuffle gives the person's fractions (default about 70 / 15 / 15) with at
 * least one unit in each split (callers ensure at least 3 units). With
 * `minEach` (the default split of episodic data: N of N-way), meta-val and
 * meta-test get at least that many units whenever there are 3·minEach or
 * more — 10 classes at 3-way split 4 / 3 / 3, not 8 / 1 / 1 — so an N-way
 * episode can be drawn from each. Within a split, units keep their order
 * of first appearance. The same seed and files give the same split.
 */
import { Rng } from '../../rng';
import type { Split } from '../types';
import type { Unit } from './grouping';
import { refuse } from './problems';
import type { RowStore } from './read-rows';
import type { ParsedTable } from './table';

export interface SplitFractions {
  val: number;
  test: number;
}

export const DEFAULT_FRACTIONS: SplitFractions = { val: 0.15, test: 0.15 };

/** Units in meta-val and meta-test for n units (see the header). */
export function splitCounts(
  n: number,
  fractions: SplitFractions = DEFAULT_FRACTIONS,
  minEach = 1,
): { val: number; test: number } {
  let nVal = Math.max(1, Math.round(fractions.val * n));
  let nTest = Math.max(1, Math.round(fractions.test * n));
  if (minEach > 1 && n >= 3 * minEach) {
    nVal = Math.max(nVal, minEach);
    nTest = Math.max(nTest, minEach);
  }
  return { val: nVal, test: nTest };
}

export function splitBySeed(
  units: readonly Unit[],
  seed: number,
  fractions: SplitFractions = DEFAULT_FRACTIONS,
  minEach = 1,
): Record<Split, Unit[]> {
  const n = units.length;
  if (!(fractions.val >= 0 && fractions.test >= 0 && fractions.val + fractions.test < 1)) {
    throw new RangeError('split fractions must be ≥ 0 and leave some tasks for meta-training');
  }
  const { val: nVal, test: nTest } = splitCounts(n, fractions, minEach);
  const nTrain = n - nVal - nTest;
  if (nTrain < 1) throw new RangeError(`cannot split ${n} units into train / val / test`);
  const order = new Rng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const take = (from: number, to: number) =>
    order
      .slice(from, to)
      .sort((a, b) => a - b)
      .map((i) => units[i] as Unit);
  return { train: take(0, nTrain), val: take(nTrain, nTrain + nVal), test: take(nTrain + nVal, n) };
}

export function splitByColumn(
  units: readonly Unit[],
  store: RowStore,
  tables: readonly ParsedTable[],
  splitColumn: string,
  unitWord: 'task' | 'class',
): Record<Split, Unit[]> {
  const out: Record<Split, Unit[]> = { train: [], val: [], test: [] };
  for (const unit of units) {
    let chosen: Split | null = null;
    let chosenRow = 0;
    for (const r of unit.rows) {
      const s = store.split[r] ?? null;
      if (s === null) continue;
      if (chosen === null) {
        chosen = s;
        chosenRow = store.rowNumber[r] as number;
      } else if (s !== chosen) {
        throw refuse(
          {
            file: tables[store.fileIndex[r] as number]?.fileName,
            row: store.rowNumber[r],
            column: splitColumn,
          },
          `${unitWord} "${unit.name}" is marked ${s} here but ${chosen} in row ${chosenRow}; all rows of a ${unitWord} must have the same split.`,
        );
      }
    }
    if (chosen === null) {
      const r = unit.rows[0] as number;
      throw refuse(
        {
          file: tables[store.fileIndex[r] as number]?.fileName,
          row: store.rowNumber[r],
          column: splitColumn,
        },
        `${unitWord} "${unit.name}" has no value in the split column; give each ${unitWord} train, val or test.`,
      );
    }
    out[chosen].push(unit);
  }
  return out;
}
