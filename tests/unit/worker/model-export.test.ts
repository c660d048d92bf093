/**
 * The worker's "Download model": the zip holds the three files, the model in
 * it is the kept run's best weights (not its last ones), and the card carries
 * the run's inner rate and the data's encoding.
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { beforeAll, expect, it } from 'vitest';
import { exportModelZip } from '../../../src/worker/model-export';
import type { KeptRun } from '../../../src/worker/session-io';
import { defaultConfig } from '../../../src/core/spec/config';
import { initParamArrays } from '../../../src/core/models/model';
import { Rng } from '../../../src/core/rng';
import { memoryHandler } from '../../../src/core/export/tfjs-layers';
import { SinusoidSource } from '../../../src/core/data/families/sinusoid';
import { builtinDatasetRecord } from '../../../src/sessions/index';
import type { MlpSpec } from '../../../src/core/spec/model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('zips model.json, the weights and the card of the best weights', async () => {
  const spec: MlpSpec = { inputDim: 1, hidden: [8], outputDim: 1 };
  const best = initParamArrays(spec, new Rng(1));
  const last = initParamArrays(spec, new Rng(2));
  const config = { ...defaultConfig('maml'), innerLr: 0.02 };
  const kept = {
    config,
    model: { spec, arrays: last, adaptStyle: 'finetune' },
    state: { step: 5, params: last, best: { step: 3, value: 1, arrays: best } },
  } as unknown as KeptRun; // only the fields the export reads
  const ev = await exportModelZip(
    kept,
    new SinusoidSource(),
    await builtinDatasetRecord('sinusoid'),
  );
  expect(ev.fileName).toMatch(/^maml-on-sinusoid-tfjs\.zip$/);
  const files = unzipSync(ev.bytes);
  expect(Object.keys(files).sort()).toEqual(['adaptation.json', 'model.json', 'model.weights.bin']);
  const card = JSON.parse(new TextDecoder().decode(files['adaptation.json']));
  expect(card.adaptation.innerLr).toBe(0.02);
  expect(card.input.features[0].column).toBe('x');
  const model = await tf.loadLayersModel(
    memoryHandler({
      modelJson: JSON.parse(new TextDecoder().decode(files['model.json'])),
      weights: files['model.weights.bin'] as Uint8Array,
    }),
  );
  const w = model.getWeights()[0]?.dataSync() as Float32Array;
  expect([...w]).toEqual([...(best[0] as Float32Array)]);
  model.dispose();
});
