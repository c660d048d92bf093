/**
 * The sweep runner on a tiny sinusoid budget (CPU): every trial is recorded,
 * a diverging setting ends as `diverged` instead of crashing the sweep,
 * successive halving prunes, and the best trial is the best complete one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinSource } from '../../../src/core/data/builtin';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { runSweep } from '../../../src/core/sweep/run';
import { useCpu } from '../../helpers/tf-cpu';

beforeAll(useCpu);

const base: TrainConfig = {
  ...defaultConfig('maml'),
  metaSteps: 12,
  metaBatch: 2,
  hidden: [8],
  valEvery: 3,
  valTasks: 4,
  evalInnerSteps: 1,
  patience: 0,
};

describe('runSweep', () => {
  it('records every trial; a blown-up inner rate is diverged, not a crash', async () => {
    const seen: number[] = [];
    const res = await runSweep({
      source: builtinSource('sinusoid'),
      base,
      space: {
        innerLr: { type: 'categorical', choices: [0.01, 1e30] },
        metaLr: { type: 'categorical', choices: [0.001, 0.01] },
      },
      sampler: 'grid',
      seed: 1,
      trials: 10,
      pruning: null,
      onTrial: (t) => seen.push(t.number),
    });
    expect(res.trials).toHaveLength(4); // the grid has 4 points
    expect(seen).toEqual([0, 1, 2, 3]);
    const blown = res.trials.filter((t) => t.params.innerLr === 1e30);
    expect(blown.map((t) => t.state)).toEqual(['diverged', 'diverged']);
    expect(blown.every((t) => t.value === null)).toBe(true);
    const fine = res.trials.filter((t) => t.params.innerLr === 0.01);
    expect(fine.map((t) => t.state)).toEqual(['complete', 'complete']);
    const best = res.trials[res.best!]!;
    expect(best.value).toBe(Math.min(...fine.map((t) => t.value!)));
    expect(res.bestModel?.arrays.length).toBeGreaterThan(0);
    expect(res.direction).toBe('minimize');
  });

  it('prunes with successive halving and stops early on request', async () => {
    const space = { innerLr: { type: 'float', low: 1e-3, high: 0.5, log: true } } as const;
    const res = await runSweep({
      source: builtinSource('sinusoid'),
      base,
      space,
      sampler: 'random',
      seed: 2,
      trials: 5,
      pruning: { gracePeriod: 3, reductionFactor: 3 },
    });
    expect(res.trials).toHaveLength(5);
    const pruned = res.trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) expect(t.steps).toBeLessThan(base.metaSteps);
    expect(res.trials[0]?.steps).toBe(base.metaSteps); // the first trial is never pruned

    let calls = 0;
    const stopped = await runSweep({
      source: builtinSource('sinusoid'),
      base,
      space,
      sampler: 'random',
      seed: 2,
      trials: 5,
      pruning: null,
      stopRequested: () => ++calls > 2,
    });
    expect(stopped.trials).toHaveLength(2);
  });
});
