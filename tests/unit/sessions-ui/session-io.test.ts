// The worker's session I/O on the tfjs CPU backend: a run stopped half-way,
// saved as a session file and loaded back, continues to exactly the weights
// and curves of the uninterrupted run; and the evaluation of a kept session
// is the CLI's computation.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinSource } from '../../../src/core/data/builtin';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import {
  adaptStyleOf,
  defaultEvalQueries,
  evaluateExperiment,
} from '../../../src/core/train/experiment';
import { Trainer, type TrainResult } from '../../../src/core/train/trainer';
import { parseSessionBytes, serializeSession } from '../../../src/sessions/codec';
import { builtinDataset, evaluateKept, sessionDocFromKept } from '../../../src/worker/session-io';
import { keptFromSession } from '../../../src/worker/kept-run';
import { useCpu } from '../../helpers/tf-cpu';

beforeAll(useCpu);

const config: TrainConfig = {
  ...defaultConfig('maml'),
  metaSteps: 20,
  metaBatch: 4,
  hidden: [16, 16],
  valEvery: 5,
  valTasks: 8,
  evalInnerSteps: 2,
};

async function train(stopAt: number | null, resume?: TrainResult['state']): Promise<TrainResult> {
  let t: Trainer | null = null;
  t = new Trainer(builtinSource('sinusoid'), config, {
    resume,
    control: {
      checkpoint: async () => {},
      stopRequested: () => stopAt !== null && (t?.step ?? 0) >= stopAt,
    },
  });
  try {
    await t.restoreOptimizer();
    return await t.run();
  } finally {
    t.dispose();
  }
}

describe('worker session I/O', () => {
  it('a stopped run saved to a file and loaded back continues bit for bit', async () => {
    const whole = await train(null);
    const half = await train(10);
    expect(half.stepsDone).toBe(10);
    const doc = sessionDocFromKept(
      { config, state: half.state, model: half.last },
      await builtinDataset('sinusoid'),
      'cpu',
      half.reason,
    );
    const read = parseSessionBytes(serializeSession(doc, { gzip: true }));
    if (!read.ok) throw new Error(read.error);
    const kept = keptFromSession(read.session);
    expect(kept.state.step).toBe(10);
    const rest = await train(null, kept.state);
    expect(rest.stepsDone).toBe(20);
    expect(rest.last.arrays).toEqual(whole.last.arrays);
    expect(rest.history.train).toEqual(whole.history.train);
    expect(rest.history.validation).toEqual(whole.history.validation);
    expect(rest.bestStep).toBe(whole.bestStep);
  });

  it('evaluates a kept session exactly as the CLI does', async () => {
    const res = await train(null);
    const doc = sessionDocFromKept(
      { config, state: res.state, model: res.last },
      await builtinDataset('sinusoid'),
      'cpu',
      res.reason,
    );
    const kept = keptFromSession(doc);
    const source = builtinSource('sinusoid');
    const ours = await evaluateKept(source, kept, { episodes: 20, steps: [0, 1, 5] });
    const cli = await evaluateExperiment(
      source,
      config,
      {
        algorithm: 'maml',
        main: { spec: res.model.spec, arrays: res.model.arrays, adaptStyle: adaptStyleOf('maml') },
        pretrain: null,
      },
      {
        episodes: 20,
        maxSteps: 5,
        shots: config.shots,
        ways: config.ways,
        queries: defaultEvalQueries(source, config),
        innerLr: config.innerLr,
        seed: config.seed,
      },
    );
    expect(ours.models.maml?.mean).toEqual([0, 1, 5].map((s) => cli.models.maml!.mean[s]));
    expect(Object.keys(ours.models)).toEqual(['maml', 'scratch']);
  });
});
