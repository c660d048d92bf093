/**
 * Words and marks of the image adaptation view, as pure functions (tested
 * without React): each query's verdict for one model, each model's score
 * on the episode, and the sentence that summarizes the episode.
 */
import type { AdaptResult, AdaptedModel, ConfusionResult } from '../../worker/adapt-types';
import { modelLabel } from './models';

export interface Verdict {
  right: boolean;
  predicted: number;
  probability: number;
}

/** The true class of query j: episodes are class-major, Q queries per class. */
export const queryClass = (j: number, queries: number) => Math.floor(j / queries);

/** A class as the view names it: a short number and, when known, its name. */
export function classLabel(names: readonly string[], k: number): string {
  const name = names[k];
  return name && name !== `class ${k + 1}` ? `${k + 1} · ${name}` : `${k + 1}`;
}

export function verdict(m: AdaptedModel, j: number, queries: number): Verdict | null {
  const c = m.classes;
  if (!c || j >= c.predicted.length) return null;
  const predicted = c.predicted[j] as number;
  return {
    right: predicted === queryClass(j, queries),
    predicted,
    probability: c.probability[j] as number,
  };
}

/** Right answers of one model on the episode's queries. */
export function score(m: AdaptedModel, queries: number): { right: number; total: number } {
  const c = m.classes;
  if (!c) return { right: 0, total: 0 };
  let right = 0;
  for (let j = 0; j < c.predicted.length; j++)
    if (c.predicted[j] === queryClass(j, queries)) right++;
  return { right, total: c.predicted.length };
}

/** Percent with no trailing noise: 96%, 33.3%. */
export const percentOf = (v: number) => `${Number((100 * v).toFixed(1))}%`;

/** "5-way 1-shot episode, after 10 steps: ProtoNet 24 of 25 queries right (96%); …". */
export function episodeSentence(r: AdaptResult): string {
  const img = r.images;
  if (!img) return '';
  const parts = r.models
    .filter((m) => m.classes)
    .map((m) => {
      const s = score(m, img.queries);
      return `${modelLabel(m.name)} ${s.right} of ${s.total} right (${percentOf(s.right / (s.total || 1))})`;
    });
  const steps = `${r.steps} adaptation step${r.steps === 1 ? '' : 's'}`;
  return `${img.ways}-way ${img.shots}-shot episode on held-out classes, ${img.queries} queries a class, after ${steps}: ${parts.join('; ')}.`;
}

/** Right answers of a confusion matrix, and the most frequent confusion (null when none). */
export function confusionStats(c: ConfusionResult) {
  const N = c.ways;
  let right = 0;
  let total = 0;
  let worst: { truth: number; predicted: number; count: number } | null = null;
  const perLabel: number[] = [];
  for (let t = 0; t < N; t++) {
    let row = 0;
    for (let p = 0; p < N; p++) {
      const n = c.counts[t * N + p] as number;
      row += n;
      if (p === t) right += n;
      else if (n > 0 && (!worst || n > worst.count)) worst = { truth: t, predicted: p, count: n };
    }
    total += row;
    perLabel.push(row ? (c.counts[t * N + t] as number) / row : NaN);
  }
  return { right, total, worst, perLabel };
}

/** The text summary of the confusion matrix. */
export function confusionSentence(c: ConfusionResult): string {
  const { right, total, worst, perLabel } = confusionStats(c);
  const head = `${modelLabel(c.algorithm)} on ${c.episodes} held-out ${c.ways}-way ${c.shots}-shot episode${c.episodes === 1 ? '' : 's'} (${total} queries, after ${c.steps} step${c.steps === 1 ? '' : 's'}): ${right} right (${percentOf(right / (total || 1))}).`;
  if (!worst) return `${head} No query was confused.`;
  const finite = perLabel.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return `${head} Most frequent confusion: label ${worst.truth + 1} taken for label ${worst.predicted + 1}, ${worst.count} time${worst.count === 1 ? '' : 's'}. Right per label from ${percentOf(lo)} to ${percentOf(hi)}.`;
}
