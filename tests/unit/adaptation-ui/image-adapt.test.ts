/**
 * The image adaptation view's worker side on the CPU backend: one episode
 * of synthetic images adapted by a Conv-4 ProtoNet and its baselines. The
 * pictures come back as display bytes of the right size (ink dark), every
 * model gives each query a class and a probability, and those predictions
 * agree with the accuracy the trace reports at the last step (two separate
 * computations of the same thing). The trace's opt-in logits match the
 * metric for the fine-tuning and head styles too.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { specFor } from '../../../src/core/algorithms/index';
import { toTensors } from '../../../src/core/algorithms/batch';
import { initParamArrays } from '../../../src/core/models/model';
import { Rng } from '../../../src/core/rng';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { comparisonModels } from '../../../src/core/train/experiment';
import { adaptationTrace } from '../../../src/core/train/adaptation-trace';
import { adaptOnTask } from '../../../src/worker/adapt';
import { classNamesOf, displayBytes, imageTransferables } from '../../../src/worker/adapt-images';
import { useCpu } from '../../helpers/tf-cpu';
import { SyntheticImageSource } from '../../helpers/image-source';

beforeAll(useCpu);

const source = new SyntheticImageSource({ side: 28, noise: 0.05 });
const config: TrainConfig = {
  ...defaultConfig('protonet'),
  backbone: 'conv4',
  filters: 32,
  ways: 3,
  shots: 2,
  queries: 3,
  innerLr: 0.1,
  seed: 11,
};

function models() {
  const spec = specFor('protonet', source, config);
  const main = { spec, arrays: initParamArrays(spec, new Rng(2)), adaptStyle: 'protonet' as const };
  return comparisonModels(source, config, { algorithm: 'protonet', main, pretrain: null });
}

describe('image adaptation: pictures and predictions', () => {
  it('returns the episode images and a class and probability per query for every model', async () => {
    const ms = models();
    const r = await adaptOnTask(source, config, ms, {
      requestId: 4,
      task: { kind: 'random', seed: 9 },
      steps: 2,
      support: null,
      gridSize: 10,
    });
    const img = r.images;
    expect(img).toBeDefined();
    if (!img) return;
    expect([img.ways, img.shots, img.queries]).toEqual([3, 2, 3]);
    expect(img.support).toHaveLength(3 * 2 * 28 * 28);
    expect(img.query).toHaveLength(3 * 3 * 28 * 28);
    // the synthetic names say "episode 0": the labels are numbered instead
    expect(img.classNames).toEqual(['class 1', 'class 2', 'class 3']);
    expect(r.models.map((m) => m.name)).toEqual(ms.map((m) => m.name));
    for (const m of r.models) {
      const c = m.classes;
      expect(c, m.name).toBeDefined();
      if (!c) continue;
      expect(c.predicted).toHaveLength(9);
      expect(c.probability).toHaveLength(9);
      for (let q = 0; q < 9; q++) {
        expect(c.predicted[q]).toBeLessThan(3);
        // the top class of 3 has at least a third of the mass
        expect(c.probability[q]).toBeGreaterThanOrEqual(1 / 3 - 1e-6);
        expect(c.probability[q]).toBeLessThanOrEqual(1 + 1e-6);
      }
      let right = 0;
      for (let q = 0; q < 9; q++) if (c.predicted[q] === Math.floor(q / 3)) right++;
      expect(right / 9, m.name).toBeCloseTo(m.metric[2] as number, 5);
    }
    expect(imageTransferables(r)).toHaveLength(2 + 2 * r.models.length);
  });

  it('keeps the last step’s logits consistent with the metric for every adaptation style', () => {
    const batch = source.sample('test', 2, { ways: 3, shots: 2, queries: 3 }, new Rng(5));
    for (const m of models()) {
      const [acc, fromLogits] = tf.tidy(() => {
        const t = toTensors(batch);
        const tr = adaptationTrace(m, t, 'ce', 2, 0.1, undefined, true);
        expect(tr.logits?.shape, m.name).toEqual([2, 9, 3]);
        const hit = tf.equal(tf.argMax(tr.logits!, 2), tf.argMax(t.qy, 2));
        return [
          tr.metric.slice([2, 0], [1, 2]).dataSync(),
          tf.mean(tf.cast(hit, 'float32'), 1).dataSync(),
        ];
      });
      expect(Array.from(fromLogits), m.name).toEqual(Array.from(acc));
    }
  });

  it('draws grayscale ink dark and colour as it is; names classes in label order', () => {
    expect(Array.from(displayBytes(Float32Array.from([0, 1, 0.5]), 1))).toEqual([255, 0, 128]);
    expect(Array.from(displayBytes(Float32Array.from([0, 1, 0.5]), 3))).toEqual([0, 255, 128]);
    const named = { names: ['Latin a, Latin b, Greek c'] } as Parameters<typeof classNamesOf>[0];
    expect(classNamesOf(named, 3)).toEqual(['Latin a', 'Latin b', 'Greek c']);
    expect(classNamesOf(named, 4)).toEqual(['class 1', 'class 2', 'class 3', 'class 4']);
  });
});
