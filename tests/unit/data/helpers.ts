/**
 * Small builders for the data tests: CSV text from rows, a caught DataError,
 * and index helpers for flat row-major batches.
 */
import { expect } from 'vitest';
import { DataError, type EpisodeBatch } from '../../../src/core/data/index';

export function csv(
  rows: readonly (readonly (string | number)[])[],
  delimiter = ',',
  eol = '\n',
): string {
  return rows.map((r) => r.join(delimiter)).join(eol) + eol;
}

/** The DataError thrown by fn (fails the test when fn throws nothing or something else). */
export function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

export async function dataErrorAsync(fn: () => Promise<unknown>): Promise<DataError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

/** Row `i` of a flat [n, dim] array. */
export function row(a: ArrayLike<number>, i: number, dim: number): number[] {
  return Array.from({ length: dim }, (_, j) => a[i * dim + j] as number);
}

/** Regression tasks t0..t{n-1}, `rows` rows each: x1 = i, x2 = task-dependent, y = task + i. */
export function regressionCsv(tasks: number, rows: number): string {
  const out: (string | number)[][] = [['task', 'x1', 'x2', 'y']];
  for (let t = 0; t < tasks; t++) {
    for (let i = 0; i < rows; i++) out.push([`t${t}`, i, (t * 7 + i) % 5, t + 0.5 * i]);
  }
  return csv(out);
}

/** Checks the one-hot / class-major / class-index layout of a classification batch. */
export function expectEpisodeLayout(
  batch: EpisodeBatch,
  ways: number,
  shots: number,
  queries: number,
): void {
  expect(batch.support).toBe(ways * shots);
  expect(batch.query).toBe(ways * queries);
  expect(batch.outputDim).toBe(ways);
  const supportClass = batch.supportClass as Int32Array;
  const queryClass = batch.queryClass as Int32Array;
  for (let b = 0; b < batch.tasks; b++) {
    const classOfLabel: number[] = [];
    for (let i = 0; i < batch.support; i++) {
      const y = row(batch.supportY, b * batch.support + i, ways);
      expect(y.filter((v) => v === 1).length).toBe(1);
      expect(y.filter((v) => v === 0).length).toBe(ways - 1);
      const label = y.indexOf(1);
      // class-major by label
      expect(label).toBe(Math.floor(i / shots));
      const cls = supportClass[b * batch.support + i] as number;
      if (classOfLabel[label] === undefined) classOfLabel[label] = cls;
      expect(cls).toBe(classOfLabel[label]);
    }
    expect(new Set(classOfLabel).size).toBe(ways);
    for (let i = 0; i < batch.query; i++) {
      const y = row(batch.queryY, b * batch.query + i, ways);
      expect(y.filter((v) => v === 1).length).toBe(1);
      const label = y.indexOf(1);
      expect(label).toBe(Math.floor(i / queries));
      expect(queryClass[b * batch.query + i]).toBe(classOfLabel[label]);
    }
  }
}
