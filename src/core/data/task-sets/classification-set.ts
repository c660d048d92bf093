/**
 * N-way K-shot episodes over classes, for both classification modes.
 * Per-task: each task is a group of its own classes and an episode draws N of
 * one task's classes. Episodic: a split holds one group, its classes, and an
 * episode draws N of them. In both, the N chosen classes get the labels
 * 0..N-1 in a fresh random order, and each class gives K support and Q query
 * examples drawn without replacement.
 *
 * Layout (documented contract for the algorithms): support and query are
 * class-major by episode label — rows [c*K, (c+1)*K) of an episode's support
 * are label c, likewise [c*Q, (c+1)*Q) of its query. Targets are one-hot over
 * N; supportClass/queryClass hold each example's index in the split's class
 * list (per-task: one entry per (task, class) pair).
 *
 * Shapes are the same for every batch of a split: every class of the split
 * must hold K + 1 examples (limits().maxShots is the largest such K), and the
 * query is capped at Q = min(Q, smallest class − K). Otherwise `sample`
 * throws a DataError naming the smallest class.
 */
import type { Rng } from '../../rng';
import {
  DataError,
  type ClassificationMode,
  type EpisodeBatch,
  type EpisodeLimits,
  type EpisodeShape,
  type Split,
  type TaskSource,
} from '../types';
import { allocateBatch, checkRequest, splitLabel } from '../sampling/batch';
import { drawDistinct, pickBalanced } from '../sampling/pick';
import type { ClassPool, Origin } from './class-pool';

export interface ClassGroup {
  /** the task's name (per-task); the split's label (episodic) */
  name: string;
  classes: ClassPool[];
  origin?: Origin;
}

export interface ClassificationSplit {
  /** per-task: one group per task; episodic: one group with the split's classes, or none */
  groups: ClassGroup[];
  classCount: number;
}

function smallestClass(
  groups: readonly ClassGroup[],
): { pool: ClassPool; group: ClassGroup } | null {
  let best: { pool: ClassPool; group: ClassGroup } | null = null;
  for (const group of groups) {
    for (const pool of group.classes) {
      if (best === null || pool.size < best.pool.size) best = { pool, group };
    }
  }
  return best;
}

export class ClassificationTaskSet implements TaskSource {
  readonly kind = 'classification' as const;
  readonly targetScale = 1;

  constructor(
    readonly name: string,
    readonly inputDim: number,
    readonly mode: ClassificationMode,
    private readonly splits: Record<Split, ClassificationSplit>,
  ) {}

  classCount(split: Split): number {
    return this.splits[split].classCount;
  }

  splitSizes(): Record<Split, number> {
    const size = (s: Split) =>
      this.mode === 'per-task' ? this.splits[s].groups.length : this.splits[s].classCount;
    return { train: size('train'), val: size('val'), test: size('test') };
  }

  limits(split: Split): EpisodeLimits {
    const groups = this.splits[split].groups;
    const smallest = smallestClass(groups);
    if (smallest === null) return { maxShots: 0, maxWays: 0, maxQueries: 0 };
    const maxWays = Math.min(...groups.map((g) => g.classes.length));
    const maxShots = smallest.pool.size - 1;
    return {
      maxShots,
      maxWays,
      maxQueries: Number.isFinite(maxShots) ? smallest.pool.size - maxShots : Infinity,
    };
  }

  /** A class as messages name it. */
  private className(pool: ClassPool, group: ClassGroup, split: Split): string {
    return this.mode === 'per-task'
      ? `task "${group.name}", class "${pool.name}" (${splitLabel(split)})`
      : `class "${pool.name}" (${splitLabel(split)})`;
  }

  private checkShape(split: Split, shape: EpisodeShape): number {
    const { groups } = this.splits[split];
    const unit = this.mode === 'per-task' ? 'tasks' : 'classes';
    if (groups.length === 0 || this.splits[split].classCount === 0) {
      throw new DataError(
        `${splitLabel(split)} has no ${unit}, so no episodes can be drawn from it.`,
      );
    }
    const narrowest = groups.reduce((a, g) => (g.classes.length < a.classes.length ? g : a));
    if (narrowest.classes.length < shape.ways) {
      const who =
        this.mode === 'per-task'
          ? `task "${narrowest.name}" (${splitLabel(split)})`
          : splitLabel(split);
      throw new DataError(
        `${who} has ${narrowest.classes.length} classes, but ${shape.ways}-way episodes need ${shape.ways}; lower N (ways) to at most ${narrowest.classes.length}.`,
        narrowest.origin ?? {},
      );
    }
    const smallest = smallestClass(groups);
    if (smallest === null) throw new DataError(`${splitLabel(split)} has no classes.`);
    const { pool, group } = smallest;
    if (pool.size < shape.shots + 1) {
      throw new DataError(
        `${this.className(pool, group, split)} has ${pool.size} examples, but K = ${shape.shots} shots need at least ${shape.shots + 1} per class (${shape.shots} to adapt on, 1 to test); lower K (shots) to at most ${pool.size - 1}.`,
        pool.origin ?? {},
      );
    }
    return Math.min(shape.queries, pool.size - shape.shots);
  }

  sample(split: Split, count: number, shape: EpisodeShape, rng: Rng): EpisodeBatch {
    checkRequest('classification', count, shape);
    const queries = this.checkShape(split, shape);
    const { ways, shots } = shape;
    const d = this.inputDim;
    const groups = this.splits[split].groups;
    const batch = allocateBatch({
      tasks: count,
      support: ways * shots,
      query: ways * queries,
      inputDim: d,
      outputDim: ways,
      withClasses: true,
    });
    const supportClass = batch.supportClass as Int32Array;
    const queryClass = batch.queryClass as Int32Array;
    const picks =
      this.mode === 'per-task'
        ? pickBalanced(rng, groups.length, count)
        : new Array<number>(count).fill(0);
    picks.forEach((g, b) => {
      const group = groups[g] as ClassGroup;
      const chosen = drawDistinct(rng, group.classes.length, ways);
      chosen.forEach((classAt, label) => {
        const pool = group.classes[classAt] as ClassPool;
        const x = pool.draw(rng, shots + queries);
        const s0 = b * ways * shots + label * shots;
        const q0 = b * ways * queries + label * queries;
        batch.supportX.set(x.subarray(0, shots * d), s0 * d);
        batch.queryX.set(x.subarray(shots * d), q0 * d);
        for (let k = 0; k < shots; k++) {
          batch.supportY[(s0 + k) * ways + label] = 1;
          supportClass[s0 + k] = pool.classIndex;
        }
        for (let q = 0; q < queries; q++) {
          batch.queryY[(q0 + q) * ways + label] = 1;
          queryClass[q0 + q] = pool.classIndex;
        }
      });
      batch.names.push(
        this.mode === 'per-task'
          ? group.name
          : chosen.map((c) => (group.classes[c] as ClassPool).name).join(', '),
      );
    });
    return batch;
  }
}
