/**
 * The TensorFlow.js export of trained sessions the MLP-only export refused:
 * Conv-4 (first-order MAML, ANIL, ProtoNet on small synthetic 28 × 28
 * images, 32 filters, a few meta-steps) and Meta-SGD (an MLP on sinusoids,
 * with its learned per-weight rates). Each session goes the way a person's
 * does — session document → tfjs files → tf.loadLayersModel → the
 * embeddable adapter — and its predictions after 0, 1 and 5 adaptation
 * steps are compared with the engine's: the evaluation's own adaptation
 * trace (train/adaptation-trace.ts, what `evaluate` and the app report) and,
 * for the MLP, the CLI's `adapt` reference (adapt-new-task.ts). The worst
 * difference of each case is printed.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter, type Adapter } from '../../../src/adapter/adapter';
import { adaptNewTask } from '../../../src/core/export/adapt-new-task';
import { RATES_BIN, type AdapterCard } from '../../../src/core/export/card-types';
import { tfjsExportFiles } from '../../../src/core/export/tfjs-bundle';
import { memoryHandler } from '../../../src/core/export/tfjs-layers';
import { toTensors } from '../../../src/core/algorithms/batch';
import { builtinSource } from '../../../src/core/data/builtin';
import type { TaskSource } from '../../../src/core/data/types';
import { Rng } from '../../../src/core/rng';
import {
  defaultConfig,
  imageDefaultConfig,
  type AlgorithmName,
  type TrainConfig,
} from '../../../src/core/spec/config';
import type { MlpSpec } from '../../../src/core/spec/model';
import { adaptationTrace } from '../../../src/core/train/adaptation-trace';
import {
  builtinDatasetRecord,
  exportInputFromSession,
  tfjsExportInput,
  type SessionDoc,
} from '../../../src/sessions/index';
import { SyntheticImageSource } from '../../helpers/image-source';
import { useCpu } from '../../helpers/tf-cpu';
import { trainSession } from '../../helpers/train-session';

beforeAll(async () => {
  await useCpu();
});

const STEPS = [0, 1, 5];

async function exportAndLoad(doc: SessionDoc) {
  const files = await tfjsExportFiles(tfjsExportInput(doc));
  const dec = (name: string) => JSON.parse(new TextDecoder().decode(files[name]));
  const card = dec('adaptation.json') as AdapterCard;
  const adapter = await loadAdapter({
    model: memoryHandler({
      modelJson: dec('model.json'),
      weights: files['model.weights.bin'] as Uint8Array,
    }),
    card,
    ...(files[RATES_BIN] ? { rates: files[RATES_BIN] } : {}),
  });
  return { files, card, adapter };
}

function worst(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
}

const rowsOf = (data: Float32Array, n: number, d: number) =>
  Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, (i + 1) * d)));

/** The label of each one-hot row, as text ("0" … "N−1" sort as their indices for N ≤ 10). */
const labelsOf = (y: Float32Array, n: number, N: number) =>
  Array.from({ length: n }, (_, i) => String(y.subarray(i * N, (i + 1) * N).indexOf(1)));

/** The engine's query outputs after S steps: the evaluation's adaptation trace. */
function engineOutputs(
  doc: SessionDoc,
  style: AdapterCard['adaptation']['style'],
  batch: ReturnType<TaskSource['sample']>,
  S: number,
  lossKind: 'ce' | 'mse',
): number[] {
  const e = exportInputFromSession(doc);
  return tf.tidy(() => {
    const t = toTensors(batch);
    const trace = adaptationTrace(
      { name: 'main', spec: e.spec, arrays: e.arrays, adaptStyle: style },
      t,
      lossKind,
      S,
      doc.config.innerLr,
      undefined,
      true,
    );
    return [...(trace.logits as tf.Tensor3D).dataSync()];
  });
}

const imageSource = new SyntheticImageSource({ side: 28, seed: 3 });
const imageDataset: SessionDoc['dataset'] = {
  source: 'images',
  name: 'synthetic-images',
  sha256: '0'.repeat(64),
  schema: { kind: 'classification', mode: 'episodic' },
  normalization: null,
  options: { imageSize: 28, channels: 1 },
};

describe.each<[AlgorithmName, string]>([
  ['fomaml', 'finetune'],
  ['anil', 'head'],
  ['protonet', 'protonet'],
])('Conv-4 %s session to TensorFlow.js', (algorithm, style) => {
  let doc: SessionDoc;
  let loaded: Awaited<ReturnType<typeof exportAndLoad>>;
  let adapter: Adapter;

  beforeAll(async () => {
    const config: TrainConfig = {
      ...imageDefaultConfig(algorithm),
      filters: 32,
      ways: 3,
      shots: 1,
      queries: 2,
      metaBatch: 1,
      metaSteps: 3,
      innerSteps: 1,
      valEvery: 3,
      valTasks: 1,
      evalInnerSteps: 5,
    };
    doc = await trainSession(imageSource, config, imageDataset);
    loaded = await exportAndLoad(doc);
    adapter = loaded.adapter;
  }, 300_000);

  it('writes a conv card that says how batch norm works', () => {
    const card = loaded.card;
    expect(card.adaptation.style).toBe(style);
    expect(card.model?.architecture).toBe('conv4');
    expect(card.model?.batchNorm?.statistics).toBe('batch');
    expect(card.model?.batchNorm?.note).toMatch(/training: true/);
    expect(card.input.image).toMatchObject({ height: 28, width: 28, channels: 1 });
    expect(card.adaptation.steps).toBe(style === 'protonet' ? 0 : 5);
  });

  it('adapts and predicts like the engine after 0, 1 and 5 steps (1e-5)', () => {
    const batch = imageSource.sample('test', 1, { ways: 3, shots: 1, queries: 2 }, new Rng(21));
    const D = batch.inputDim;
    const N = batch.outputDim;
    const sx = rowsOf(batch.supportX, batch.support, D);
    const sy = labelsOf(batch.supportY, batch.support, N);
    const qx = rowsOf(batch.queryX, batch.query, D);
    const found: string[] = [];
    let moved = 0;
    let first: number[] | null = null;
    for (const S of STEPS) {
      const want = engineOutputs(doc, loaded.card.adaptation.style, batch, S, 'ce');
      const task = adapter.adapt({ x: sx, y: sy }, { steps: S });
      expect(task.labels).toEqual(['0', '1', '2']);
      const got = task.logits(qx).flat();
      const d = worst(got, want);
      const probs = tf.tidy(() => [...tf.softmax(tf.tensor2d(want, [qx.length, N])).dataSync()]);
      const dp = worst(task.outputs(qx).flat(), probs);
      found.push(`${S} steps: logits ${d.toExponential(2)}, probabilities ${dp.toExponential(2)}`);
      expect(d).toBeLessThan(1e-5);
      expect(dp).toBeLessThan(1e-5);
      first ??= got;
      moved = Math.max(moved, worst(got, first));
      task.dispose();
    }
    console.log(`conv ${algorithm}: worst |adapter − engine| ${found.join('; ')}`);
    // adaptation moved the predictions, except ProtoNet's (its adaptation is the prototypes)
    if (style === 'protonet') expect(moved).toBe(0);
    else expect(moved).toBeGreaterThan(1e-4);
  });

  it('frees what it made', () => {
    const before = tf.memory().numTensors;
    const task = adapter.adapt(
      { x: rowsOf(new Float32Array(3 * 784), 3, 784), y: ['a', 'b', 'c'] },
      { steps: 1 },
    );
    task.predict(rowsOf(new Float32Array(2 * 784).fill(1), 2, 784));
    task.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Meta-SGD session to TensorFlow.js', () => {
  let doc: SessionDoc;
  let loaded: Awaited<ReturnType<typeof exportAndLoad>>;

  beforeAll(async () => {
    const config: TrainConfig = {
      ...defaultConfig('metasgd'),
      hidden: [16, 16],
      metaSteps: 20,
      metaBatch: 4,
      valEvery: 20,
      valTasks: 2,
      evalInnerSteps: 5,
    };
    doc = await trainSession(
      builtinSource('sinusoid'),
      config,
      await builtinDatasetRecord('sinusoid'),
    );
    loaded = await exportAndLoad(doc);
  }, 120_000);

  it('writes the learned rates next to the weights and names them in the card', () => {
    const e = exportInputFromSession(doc);
    const rates = e.arrays.slice(e.arrays.length / 2);
    const bin = loaded.files[RATES_BIN] as Uint8Array;
    const all = new Float32Array(bin.slice().buffer);
    expect([...all]).toEqual(rates.flatMap((r) => [...r]));
    const lr = loaded.card.adaptation.learnedInnerLr;
    expect(lr?.file).toBe(RATES_BIN);
    // meta-training moved the rates away from their common start
    expect((lr?.max ?? 0) - (lr?.min ?? 0)).toBeGreaterThan(1e-4);
  });

  it('adapts with one learned rate per weight, like the engine, after 0, 1 and 5 steps (1e-5)', async () => {
    const e = exportInputFromSession(doc);
    const card = loaded.card;
    const batch = builtinSource('sinusoid').sample(
      'test',
      1,
      { ways: 1, shots: 10, queries: 7 },
      new Rng(8),
    );
    const sx = rowsOf(batch.supportX, batch.support, 1);
    const sy = [...batch.supportY];
    const qx = rowsOf(batch.queryX, batch.query, 1);
    const found: string[] = [];
    for (const S of STEPS) {
      const task = loaded.adapter.adapt({ x: sx, y: sy }, { steps: S });
      const got = task.predict(qx) as number[];
      const trace = engineOutputs(doc, 'finetune', batch, S, 'mse');
      const cli = await adaptNewTask(
        { spec: e.spec as MlpSpec, arrays: e.arrays, style: 'finetune', lossKind: 'mse' },
        {
          supportX: batch.supportX,
          supportY: batch.supportY,
          outputDim: 1,
          queryX: batch.queryX,
        },
        S,
        card.adaptation.innerLr,
      );
      const dTrace = worst(got, trace);
      const dCli = worst(got, [...cli.outputs]);
      found.push(
        `${S} steps: ${dTrace.toExponential(2)} (trace), ${dCli.toExponential(2)} (adapt)`,
      );
      expect(dTrace).toBeLessThan(1e-5);
      expect(dCli).toBeLessThan(1e-5);
      if (S > 0) {
        // the learned rates were used: one plain rate for all gives other numbers
        const plain = loaded.adapter.adapt(
          { x: sx, y: sy },
          { steps: S, lr: card.adaptation.innerLr },
        );
        expect(worst(plain.predict(qx) as number[], got)).toBeGreaterThan(1e-4);
        plain.dispose();
      }
      task.dispose();
    }
    console.log(`Meta-SGD: worst |adapter − engine| ${found.join('; ')}`);
  });

  it('refuses a card that names the PyTorch rates file, and a rates file of the wrong size', async () => {
    const dec = (name: string) => JSON.parse(new TextDecoder().decode(loaded.files[name]));
    const files = {
      modelJson: dec('model.json'),
      weights: loaded.files['model.weights.bin'] as Uint8Array,
    };
    const card = dec('adaptation.json') as AdapterCard;
    const pyCard = {
      ...card,
      adaptation: {
        ...card.adaptation,
        learnedInnerLr: { ...card.adaptation.learnedInnerLr!, file: 'inner_lr.safetensors' },
      },
    };
    await expect(loadAdapter({ model: memoryHandler(files), card: pyCard })).rejects.toThrow(
      /inner_lr\.safetensors .*use the card of the TensorFlow\.js export/,
    );
    await expect(
      loadAdapter({ model: memoryHandler(files), card, rates: new Uint8Array(12) }),
    ).rejects.toThrow(/has 12 bytes; this model's \d+ weights need/);
  });
});
