/**
 * Feature encoding and standardization, fitted on meta-train rows only (the
 * val / test tasks must look like new tasks, unseen). Numeric features become
 * (x − mean) / std; a missing value becomes 0, which is the meta-train mean.
 * Text features become one-hot inputs over their meta-train categories
 * (most frequent first); a missing or unseen category is all zeros.
 * Regression targets are standardized the same way, so an MSE times
 * target.std² is in original units (TaskSource.targetScale = target.std).
 *
 * The Normalization object is plain JSON: sessions store it, and
 * encodeRecord re-applies it to a new row so it is encoded exactly as the
 * training data was. A std of 0 (a constant column) is stored as 1.
 */
import { parseCell } from './cells';

export type FeatureEncoding =
  | { column: string; type: 'numeric'; mean: number; std: number }
  | { column: string; type: 'categorical'; categories: string[] };

export interface Normalization {
  /** in model-input order; a categorical column takes one input per category */
  features: FeatureEncoding[];
  /** regression: meta-train mean and std of the target; null for classification */
  target: { column: string; mean: number; std: number } | null;
  inputDim: number;
}

const MIN_STD = 1e-12;

/** Mean and population std of the non-NaN values at `rows`; null when there are none. */
export function meanStd(
  values: readonly number[],
  rows: readonly number[],
): { mean: number; std: number } | null {
  let n = 0;
  let sum = 0;
  for (const r of rows) {
    const v = values[r] as number;
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
  }
  if (n === 0) return null;
  const mean = sum / n;
  let ss = 0;
  for (const r of rows) {
    const v = values[r] as number;
    if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
  }
  const std = Math.sqrt(ss / n);
  return { mean, std: std > MIN_STD ? std : 1 };
}

/** Meta-train categories of a text column, most frequent first (ties: first seen). */
export function categoriesOf(
  values: readonly (string | null)[],
  rows: readonly number[],
): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const v = values[r];
    if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
}

export function encodingWidth(e: FeatureEncoding): number {
  return e.type === 'numeric' ? 1 : e.categories.length;
}

/** Model input names: the column, or `column=category` for one-hot inputs. */
export function inputNames(n: Normalization): string[] {
  return n.features.flatMap((e) =>
    e.type === 'numeric' ? [e.column] : e.categories.map((c) => `${e.column}=${c}`),
  );
}

/** Writes one example's encoded inputs at `out[offset …]`. Cells: numbers (NaN = missing) or categories (null = missing). */
export function encodeValues(
  n: Normalization,
  value: (e: FeatureEncoding) => number | string | null,
  out: Float32Array,
  offset: number,
): void {
  let o = offset;
  for (const e of n.features) {
    const v = value(e);
    if (e.type === 'numeric') {
      out[o++] = typeof v === 'number' && !Number.isNaN(v) ? (v - e.mean) / e.std : 0;
    } else {
      const hit = typeof v === 'string' ? e.categories.indexOf(v) : -1;
      for (let c = 0; c < e.categories.length; c++) out[o++] = c === hit ? 1 : 0;
    }
  }
}

/**
 * Encodes a new row given as column → cell text, the way the training data
 * was encoded (unparseable numbers count as missing here).
 */
export function encodeRecord(
  n: Normalization,
  record: Readonly<Record<string, string>>,
  decimalComma = false,
): Float32Array {
  const out = new Float32Array(n.inputDim);
  encodeValues(
    n,
    (e) => {
      const raw = record[e.column] ?? '';
      if (e.type === 'categorical') return raw.trim() === '' ? null : raw.trim();
      const cell = parseCell(raw, decimalComma);
      return cell.kind === 'number' ? cell.value : NaN;
    },
    out,
    0,
  );
  return out;
}

export function standardizeTarget(n: Normalization, y: number): number {
  return n.target === null ? y : (y - n.target.mean) / n.target.std;
}

/** Back to original units: a prediction in standardized units times std plus mean. */
export function restoreTarget(n: Normalization, z: number): number {
  return n.target === null ? z : z * n.target.std + n.target.mean;
}
