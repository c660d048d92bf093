/**
 * Timing shared by the Node benchmarks: milliseconds per meta-step over about
 * `seconds` (at least `minSteps`), reading a loss back every tenth step so
 * queued work cannot pile up, and ending with an awaited readback so the
 * last steps are counted whole.
 */
import type * as tf from '@tensorflow/tfjs';
import type { EpisodeBatch } from '../src/core/data/types';

interface Steppable {
  step(batch: EpisodeBatch): tf.Scalar;
}

export async function msPerStep(
  p: { learner: Steppable; batches: readonly EpisodeBatch[] },
  seconds: number,
  minSteps: number,
): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  let last: tf.Scalar | null = null;
  while (performance.now() - t0 < seconds * 1000 || n < minSteps) {
    last?.dispose();
    last = p.learner.step(p.batches[n % p.batches.length]!);
    n++;
    if (n % 10 === 0) await last.data();
  }
  await last?.data();
  last?.dispose();
  return (performance.now() - t0) / n;
}

export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
