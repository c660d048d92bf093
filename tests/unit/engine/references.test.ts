/**
 * The references of the evaluation (issue 12, items 6 and 7): raw-feature
 * prototypes and the untrained network next to the meta-learned model, the
 * pre-training baseline's step 0 as nearest prototype on its features, and
 * the count of distinct units the episodes came from.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCsvTexts } from '../../../src/core/data/csv/load';
import { builtinSource } from '../../../src/core/data/builtin';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { evaluateExperiment, trainBaseline } from '../../../src/core/train/experiment';
import { Trainer } from '../../../src/core/train/trainer';
import type { TaskSource } from '../../../src/core/data/types';
import { digitsCsv } from '../../helpers/digits-csv';
import { useCpu } from '../../helpers/tf-cpu';

beforeAll(useCpu);

const digits = (): TaskSource =>
  loadCsvTexts(
    [{ fileName: 'digits.csv', text: digitsCsv(12, 30) }],
    { target: 'label', kind: 'classification', mode: 'episodic' },
    { seed: 1, fractions: { val: 0.25, test: 0.25 } },
  ).source;

const weakProto = (): TrainConfig => ({
  ...defaultConfig('protonet'),
  ways: 3,
  shots: 1,
  queries: 5,
  metaSteps: 5,
  hidden: [2],
  valEvery: 5,
  valTasks: 4,
});

async function train(source: TaskSource, config: TrainConfig) {
  const t = new Trainer(source, config);
  try {
    return (await t.run()).model;
  } finally {
    t.dispose();
  }
}

describe('evaluation references', () => {
  it('shows raw-feature prototypes beating a weak ProtoNet on digits-like data', async () => {
    const source = digits();
    const config = weakProto();
    const main = await train(source, config);
    const pre = (await trainBaseline(source, { ...config, metaSteps: 20 })).model;
    const res = await evaluateExperiment(
      source,
      config,
      { algorithm: 'protonet', main, pretrain: pre },
      { episodes: 60, maxSteps: 1, shots: 1, ways: 3, queries: 5, innerLr: 0.01, seed: 4 },
    );
    expect(Object.keys(res.models)).toEqual([
      'protonet',
      'pretrain',
      'scratch',
      'untrained',
      'prototypes',
    ]);
    const raw = res.models.prototypes!;
    const proto = res.models.protonet!;
    expect(raw.mean[0]).toBeGreaterThan(0.9);
    expect(raw.mean[0]! - raw.ci95[0]!).toBeGreaterThan(proto.mean[0]!);
    // nothing to adapt: the same score at every step
    expect(raw.mean[1]).toBe(raw.mean[0]);
    // pre-training's fresh head starts as the prototype classifier, not a constant 1/3
    expect(res.models.pretrain!.mean[0]).toBeGreaterThan(0.4); // a zero head scores exactly 1/3
    expect(res.models.scratch!.mean[0]).toBeCloseTo(1 / 3, 6);
    // 3 meta-test classes of 12: the episodes come from 3 distinct units
    expect(res.units).toMatchObject({ kind: 'classes', distinct: 3 });
  });

  it('counts distinct units: every generated task is new; episodic blobs count classes', async () => {
    const config = { ...defaultConfig('maml'), hidden: [8] };
    const main = {
      spec: { inputDim: 1, hidden: [8], outputDim: 1 },
      arrays: [new Float32Array(8), new Float32Array(8), new Float32Array(8), new Float32Array(1)],
      adaptStyle: 'finetune' as const,
    };
    const req = {
      episodes: 50,
      maxSteps: 0,
      shots: 5,
      ways: 1,
      queries: 10,
      innerLr: 0.01,
      seed: 1,
    };
    const sin = await evaluateExperiment(
      builtinSource('sinusoid'),
      config,
      { algorithm: 'maml', main, pretrain: null },
      req,
    );
    expect(sin.units).toMatchObject({ kind: 'tasks', distinct: 50 });

    const blobs = builtinSource('blobs');
    const pc = { ...defaultConfig('protonet'), hidden: [8] };
    const enc = {
      spec: { inputDim: 2, hidden: [8], outputDim: 8 },
      arrays: [
        new Float32Array(16),
        new Float32Array(8),
        new Float32Array(64),
        new Float32Array(8),
      ],
      adaptStyle: 'protonet' as const,
    };
    const b = await evaluateExperiment(
      blobs,
      pc,
      { algorithm: 'protonet', main: enc, pretrain: null },
      { ...req, ways: 5, shots: 1, queries: 2 },
    );
    expect(b.units.kind).toBe('classes');
    expect(b.units.distinct).toBe(blobs.classCount('test'));
  });
});
