/**
 * The image jobs of the adaptation panel on the CPU backend, on synthetic
 * images with a random-init Conv-4 ProtoNet:
 * - the confusion matrix counts every query once, and its diagonal share is
 *   the accuracy core's evaluation reports on the same episodes (a separate
 *   computation: metric per task vs argmax of the logits);
 * - the protocol evaluation gives the CLI's `evaluate --json` numbers for
 *   the same models, settings, episodes and seed, and reports progress over
 *   all settings;
 * - bad requests are refused in words.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { specFor } from '../../../src/core/algorithms/index';
import { initParamArrays } from '../../../src/core/models/model';
import { Rng } from '../../../src/core/rng';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { evaluateModels } from '../../../src/core/train/evaluate';
import { confusionOverEpisodes, protocolEvaluation } from '../../../src/worker/image-jobs';
import type { AdaptProgress } from '../../../src/worker/adapt-types';
import { runImageEvaluate } from '../../../src/cli/evaluate-images';
import { useCpu } from '../../helpers/tf-cpu';
import { SyntheticImageSource } from '../../helpers/image-source';

beforeAll(useCpu);

const source = new SyntheticImageSource({ side: 16, noise: 0.08 });
const config: TrainConfig = {
  ...defaultConfig('protonet'),
  backbone: 'conv4',
  filters: 32,
  ways: 3,
  shots: 1,
  queries: 2,
  seed: 21,
};
const spec = specFor('protonet', source, config);
const main = { spec, arrays: initParamArrays(spec, new Rng(8)), adaptStyle: 'protonet' as const };

describe('image jobs', () => {
  it('confusion counts agree with the evaluation of the same episodes', async () => {
    const seen: AdaptProgress[] = [];
    const c = await confusionOverEpisodes(
      source,
      config,
      { name: 'protonet', ...main },
      { episodes: 10, steps: 0 },
      (p) => seen.push(p),
    );
    expect(c.counts).toHaveLength(9);
    expect(c.counts.reduce((a, b) => a + b, 0)).toBe(10 * 3 * 2);
    const right = c.counts[0]! + c.counts[4]! + c.counts[8]!;
    const ev = await evaluateModels(source, [{ name: 'protonet', ...main }], {
      episodes: 10,
      maxSteps: 0,
      shape: { ways: 3, shots: 1, queries: 2 },
      innerLr: config.innerLr,
      seed: config.seed,
    });
    const perTask = ev.perTask.protonet![0]!;
    const mean = perTask.reduce((a, b) => a + b, 0) / perTask.length;
    expect(right / 60).toBeCloseTo(mean, 6);
    expect(seen.at(-1)).toEqual({ phase: 'confusion', done: 10, total: 10 });
  });

  it('gives the CLI evaluate --json numbers, with progress over all settings', async () => {
    const settings = [
      { ways: 3, shots: 1 },
      { ways: 3, shots: 2 },
    ];
    const models = { algorithm: 'protonet' as const, main, pretrain: null };
    const seen: AdaptProgress[] = [];
    const ui = await protocolEvaluation(
      source,
      config,
      models,
      { settings, episodes: 4, steps: [0] },
      'cpu',
      (p) => seen.push(p),
    );
    // the CLI on the second setting only (each setting draws its episodes from the seed afresh)
    const text = await runImageEvaluate(
      source,
      config,
      models,
      { episodes: 4, steps: [0], ways: 3, shots: 2, json: true },
      'cpu',
    );
    const cli = JSON.parse(text) as typeof ui;
    expect(ui.settings[1]).toEqual(cli.settings[0]);
    expect({ ...ui.protocol, seconds: 0 }).toEqual({ ...cli.protocol, seconds: 0 });
    expect(Object.keys(ui.settings[0]!.models)).toContain('untrained');
    const acc = ui.settings[0]!.models.protonet!.mean[0]!;
    expect(acc).toBeGreaterThan(0.3);
    expect(seen.at(-1)).toEqual({ phase: 'protocol', done: 8, total: 8, label: '3-way 2-shot' });
    expect(seen.some((p) => p.label === '3-way 1-shot')).toBe(true);
  }, 300_000);

  it('refuses bad requests in words', async () => {
    const none = () => {};
    await expect(
      confusionOverEpisodes(
        source,
        config,
        { name: 'p', ...main },
        { episodes: 0, steps: 0 },
        none,
      ),
    ).rejects.toThrow('Episodes must be a whole number from 1 to 1000.');
    await expect(
      protocolEvaluation(
        source,
        config,
        { algorithm: 'protonet', main, pretrain: null },
        { settings: [], episodes: 5, steps: [0] },
        'cpu',
        none,
      ),
    ).rejects.toThrow('Pick at least one setting');
  });
});
