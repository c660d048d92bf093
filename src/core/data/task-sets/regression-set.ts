/**
 * K-shot regression episodes over a finite set of stored tasks (one CSV task
 * = one pool of rows). An episode takes one task and draws K support and Q
 * query rows from it without replacement; tasks are picked so a batch repeats
 * none until all have been used (see pickBalanced).
 *
 * Shapes are the same for every batch of a split: every task of the split
 * must have K + 1 rows (limits().maxShots is the largest such K; maxQueries is
 * then 1, as the contract defines it), and the query is capped at
 * Q = min(Q, smallest task's rows − K). Otherwise `sample` throws a DataError
 * naming the smallest task. Targets are standardized; targetScale brings an
 * MSE back to original units.
 */
import type { Rng } from '../../rng';
import {
  DataError,
  type EpisodeBatch,
  type EpisodeLimits,
  type EpisodeShape,
  type Split,
  type TaskSource,
} from '../types';
import { allocateBatch, checkRequest, splitLabel } from '../sampling/batch';
import { drawDistinct, pickBalanced } from '../sampling/pick';
import type { Origin } from './class-pool';

export interface RegressionTask {
  name: string;
  /** [rows, inputDim] */
  x: Float32Array;
  /** [rows], standardized */
  y: Float32Array;
  rows: number;
  origin?: Origin;
}

function smallestTask(tasks: readonly RegressionTask[]): RegressionTask | null {
  return tasks.reduce<RegressionTask | null>(
    (a, t) => (a === null || t.rows < a.rows ? t : a),
    null,
  );
}

export class RegressionTaskSet implements TaskSource {
  readonly kind = 'regression' as const;

  constructor(
    readonly name: string,
    readonly inputDim: number,
    readonly targetScale: number,
    private readonly splits: Record<Split, RegressionTask[]>,
  ) {}

  classCount(_split: Split): number {
    return 0;
  }

  splitSizes(): Record<Split, number> {
    return {
      train: this.splits.train.length,
      val: this.splits.val.length,
      test: this.splits.test.length,
    };
  }

  limits(split: Split): EpisodeLimits {
    const smallest = smallestTask(this.splits[split]);
    if (smallest === null) return { maxShots: 0, maxWays: 0, maxQueries: 0 };
    // Ways do not apply to regression: no N limits it.
    return { maxShots: smallest.rows - 1, maxWays: Infinity, maxQueries: 1 };
  }

  sample(split: Split, count: number, shape: EpisodeShape, rng: Rng): EpisodeBatch {
    checkRequest('regression', count, shape);
    const tasks = this.splits[split];
    const smallest = smallestTask(tasks);
    if (smallest === null) {
      throw new DataError(
        `${splitLabel(split)} has no tasks, so no episodes can be drawn from it.`,
      );
    }
    const { shots } = shape;
    if (smallest.rows < shots + 1) {
      throw new DataError(
        `task "${smallest.name}" (${splitLabel(split)}) has ${smallest.rows} rows, but K = ${shots} shots need at least ${shots + 1} (${shots} to adapt on, 1 to test); lower K (shots) to at most ${smallest.rows - 1}.`,
        smallest.origin ?? {},
      );
    }
    const queries = Math.min(shape.queries, smallest.rows - shots);
    const d = this.inputDim;
    const batch = allocateBatch({
      tasks: count,
      support: shots,
      query: queries,
      inputDim: d,
      outputDim: 1,
      withClasses: false,
    });
    pickBalanced(rng, tasks.length, count).forEach((t, b) => {
      const task = tasks[t] as RegressionTask;
      const rows = drawDistinct(rng, task.rows, shots + queries);
      rows.forEach((r, i) => {
        const inSupport = i < shots;
        const slot = inSupport ? b * shots + i : b * queries + (i - shots);
        (inSupport ? batch.supportX : batch.queryX).set(
          task.x.subarray(r * d, r * d + d),
          slot * d,
        );
        (inSupport ? batch.supportY : batch.queryY)[slot] = task.y[r] as number;
      });
      batch.names.push(task.name);
    });
    return batch;
  }
}
