/**
 * The worker's "Download model": the zip holds the three files, the model in
 * it is the kept run's best weights (not its last ones), and the card carries
 * the run's inner rate and the data's encoding; the safetensors and Python
 * zips hold the bytes the CLI's export writes for the same session.
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { beforeAll, expect, it } from 'vitest';
import { exportableKept, exportModelZip } from '../../../src/worker/model-export';
import { safetensorsFiles } from '../../../src/core/export/pytorch';
import { exportInputFromSession } from '../../../src/sessions/export-input';
import type { KeptRun } from '../../../src/worker/kept-run';
import { defaultConfig } from '../../../src/core/spec/config';
import { initParamArrays } from '../../../src/core/models/model';
import { Rng } from '../../../src/core/rng';
import { memoryHandler } from '../../../src/core/export/tfjs-layers';
import { builtinDatasetRecord } from '../../../src/sessions/index';
import type { ConvSpec, MlpSpec } from '../../../src/core/spec/model';
import { convInitArrays } from '../../../src/core/models/conv4';

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
  const ev = await exportModelZip(kept, await builtinDatasetRecord('sinusoid'), 'tfjs');
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

const keptOf = (seed: number) => {
  const spec: MlpSpec = { inputDim: 1, hidden: [8], outputDim: 1 };
  const best = initParamArrays(spec, new Rng(seed));
  const last = initParamArrays(spec, new Rng(seed + 1));
  return {
    config: { ...defaultConfig('maml'), innerLr: 0.03 },
    model: { spec, arrays: last, adaptStyle: 'finetune' },
    state: { step: 7, params: last, best: { step: 4, value: 1, arrays: best } },
  } as unknown as KeptRun; // only the fields the export reads
};

it('zips the same safetensors and Python files as the CLI export of the same session', async () => {
  const kept = keptOf(3);
  const dataset = await builtinDatasetRecord('sinusoid');
  const doc = exportableKept(kept, dataset);
  const st = await exportModelZip(kept, dataset, 'safetensors');
  expect(st.fileName).toBe('maml-on-sinusoid-safetensors.zip');
  const stFiles = unzipSync(st.bytes);
  const cli = safetensorsFiles(exportInputFromSession(doc));
  expect(Object.keys(stFiles).sort()).toEqual(cli.map((f) => f.name).sort());
  for (const f of cli) expect(stFiles[f.name]).toEqual(f.bytes);
  // the best weights, not the last ones: the first Linear's weight [8, 1] is W0 transposed
  const st0 = stFiles['model.safetensors'] as Uint8Array;
  const headerLen = Number(new DataView(st0.buffer, st0.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(st0.subarray(8, 8 + headerLen)));
  const [a, b] = header['0.weight'].data_offsets as [number, number];
  const w0 = new Float32Array(st0.slice(8 + headerLen + a, 8 + headerLen + b).buffer);
  expect([...w0]).toEqual([...(kept.state.best.arrays[0] as Float32Array)]);
  const py = await exportModelZip(kept, dataset, 'python');
  const pyFiles = unzipSync(py.bytes);
  expect(Object.keys(pyFiles).sort()).toEqual(
    ['README.md', 'adapt.py', 'adaptation.json', 'model.py', 'model.safetensors', 'train.py']
      .map((n) => `maml-on-sinusoid-python/${n}`)
      .sort(),
  );
  const card = JSON.parse(
    new TextDecoder().decode(pyFiles['maml-on-sinusoid-python/adaptation.json']),
  );
  expect(card.adaptation.innerLr).toBe(0.03);
  expect(card.training.stepsDone).toBe(7);
  expect(card.training.bestStep).toBe(4);
});

it('a Conv-4 run: the TensorFlow.js zip holds the conv net and its card, safetensors the conv weights', async () => {
  const spec: ConvSpec = {
    kind: 'conv4',
    imageShape: { height: 28, width: 28, channels: 1 },
    filters: 4,
    outputDim: 5,
  };
  const arrays = convInitArrays(spec, new Rng(4));
  const kept = {
    config: { ...defaultConfig('fomaml'), backbone: 'conv4', ways: 5 },
    model: { spec, arrays, adaptStyle: 'finetune' },
    state: { step: 2, params: arrays, best: { step: 2, value: 1, arrays } },
  } as unknown as KeptRun; // only the fields the export reads
  const dataset = await builtinDatasetRecord('blobs');
  const tj = unzipSync((await exportModelZip(kept, dataset, 'tfjs')).bytes);
  expect(Object.keys(tj).sort()).toEqual(['adaptation.json', 'model.json', 'model.weights.bin']);
  const tjCard = JSON.parse(new TextDecoder().decode(tj['adaptation.json']));
  expect(tjCard.model.architecture).toBe('conv4');
  expect(tjCard.model.batchNorm.statistics).toBe('batch');
  const layers = await tf.loadLayersModel(
    memoryHandler({
      modelJson: JSON.parse(new TextDecoder().decode(tj['model.json'])),
      weights: tj['model.weights.bin'] as Uint8Array,
    }),
  );
  expect(layers.getLayer('conv_1').getWeights()[0]?.shape).toEqual([3, 3, 1, 4]);
  layers.dispose();
  const st = unzipSync((await exportModelZip(kept, dataset, 'safetensors')).bytes);
  const card = JSON.parse(new TextDecoder().decode(st['adaptation.json']));
  expect(card.model.architecture).toBe('conv4');
  const b = st['model.safetensors'] as Uint8Array;
  const n = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n)));
  // the first conv's weight, OIHW
  expect(header['0.weight'].shape).toEqual([4, 1, 3, 3]);
});
