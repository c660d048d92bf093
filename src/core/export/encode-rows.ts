/**
 * New examples in, model numbers out, the way an adaptation card says: each
 * numeric column becomes (x − mean) / std (missing → 0, the meta-train mean),
 * each categorical column one-hot over its meta-train categories (unseen or
 * missing → all zeros); regression targets are standardized and predictions
 * restored; classification labels become outputs 0…N−1 in sorted order.
 *
 * The same encoding as core/data/csv/normalization.ts (which trained the
 * model), restated over the card's plain data so the embeddable adapter needs
 * nothing but this file and tfjs. No tfjs here.
 */
import type { AdapterCard, CardCell } from './card-types';

/** A row of cells in the card's feature-column order (card.input.features). */
export type FeatureRow = readonly CardCell[];

/** The column names a new example must give, in order. */
export function featureColumns(card: AdapterCard): string[] {
  return card.input.features.map((f) => f.column);
}

function numberOf(cell: CardCell): number {
  if (typeof cell === 'number') return cell;
  if (cell === null || cell.trim() === '') return NaN;
  const v = Number(cell.trim());
  return Number.isFinite(v) ? v : NaN;
}

/** Image models: each row is an image's pixels as they are (the card's input.image.rows says how). */
function imageRows(card: AdapterCard, rows: readonly FeatureRow[]): Float32Array {
  const { inputDim, image } = card.input;
  const out = new Float32Array(rows.length * inputDim);
  rows.forEach((row, r) => {
    if (row.length !== inputDim)
      throw new Error(
        `image ${r + 1} has ${row.length} values; the model reads ${inputDim} (${image?.height} × ${image?.width} × ${image?.channels}, flattened row-major)`,
      );
    row.forEach((cell, j) => {
      const v = numberOf(cell);
      if (Number.isNaN(v)) throw new Error(`image ${r + 1}, value ${j + 1} is not a number`);
      out[r * inputDim + j] = v;
    });
  });
  return out;
}

/** Model inputs [rows.length × inputDim], row-major. */
export function encodeFeatures(card: AdapterCard, rows: readonly FeatureRow[]): Float32Array {
  if (card.input.image) return imageRows(card, rows);
  const { features, inputDim } = card.input;
  const out = new Float32Array(rows.length * inputDim);
  rows.forEach((row, r) => {
    if (row.length !== features.length)
      throw new Error(
        `example ${r + 1} has ${row.length} values; the model reads ${features.length} (${featureColumns(card).join(', ')})`,
      );
    let o = r * inputDim;
    features.forEach((f, j) => {
      const cell = row[j] ?? null;
      if (f.type === 'numeric') {
        const v = numberOf(cell);
        out[o++] = Number.isNaN(v) ? 0 : (v - f.mean) / f.std;
      } else {
        const hit = cell === null ? -1 : f.categories.indexOf(String(cell).trim());
        for (let c = 0; c < f.categories.length; c++) out[o++] = c === hit ? 1 : 0;
      }
    });
    if (o !== (r + 1) * inputDim)
      throw new Error('adaptation.json: input.inputDim does not match its features');
  });
  return out;
}

export interface EncodedTargets {
  /** regression: [n × 1] standardized; classification: [n × N] one-hot */
  y: Float32Array;
  outputDim: number;
  /** classification: the label of each output, sorted; null for regression */
  labels: string[] | null;
}

function targetStats(card: AdapterCard): { mean: number; std: number } {
  const t = card.target;
  return 'mean' in t ? { mean: t.mean, std: t.std } : { mean: 0, std: 1 };
}

/** The support targets as the network's loss sees them. */
export function encodeTargets(
  card: AdapterCard,
  values: readonly (number | string)[],
  /** the network's outputs, or null when any number of classes works (ProtoNet) */
  outputDim: number | null,
): EncodedTargets {
  if (card.task.kind === 'regression') {
    const { mean, std } = targetStats(card);
    const y = new Float32Array(values.length);
    values.forEach((v, i) => {
      const n = numberOf(v);
      if (Number.isNaN(n))
        throw new Error(`support example ${i + 1}: target "${v}" is not a number`);
      y[i] = (n - mean) / std;
    });
    return { y, outputDim: 1, labels: null };
  }
  const labels = [...new Set(values.map((v) => String(v).trim()))].sort();
  if (outputDim !== null && labels.length !== outputDim)
    throw new Error(
      `the support set has ${labels.length} classes (${labels.join(', ')}); this model was meta-trained for ${outputDim}-way tasks`,
    );
  const N = labels.length;
  const y = new Float32Array(values.length * N);
  values.forEach((v, i) => {
    y[i * N + labels.indexOf(String(v).trim())] = 1;
  });
  return { y, outputDim: N, labels };
}

/** A regression output back in the target's original units. */
export function restoreTarget(card: AdapterCard, z: number): number {
  const { mean, std } = targetStats(card);
  return z * std + mean;
}
