/**
 * Draw to adapt in the worker (src/worker/draw-classify.ts) on the CPU
 * backend with small random conv nets: ProtoNet's answer is the softmax of
 * −‖q − c‖² over prototypes of the joint forward pass (checked against the
 * formula), a query identical to a symbol's only example is that symbol,
 * the MAML-family path with no steps is the head's softmax over the drawn
 * symbols, and every bad input or missing model is refused in words.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerDrawing, classifyDrawing } from '../../../src/worker/draw-classify';
import type { DrawClassifyCommand } from '../../../src/worker/draw-types';
import {
  initParamArrays,
  modelForward,
  paramShapes,
  type ModelSpec,
} from '../../../src/core/models/model';
import { imageDefaultConfig } from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import type { TrainedModel } from '../../../src/core/train/trainer';
import type { ImageShape } from '../../../src/core/data/types';
import { protoQueryLogits } from '../../../src/core/algorithms/protonet';
import { rasterize, type Stroke } from '../../../src/ui/draw/rasterize';
import { useCpu } from '../../helpers/tf-cpu';

const shape: ImageShape = { height: 28, width: 28, channels: 1 };
const line = (x0: number, y0: number, x1: number, y1: number): Stroke[] => [
  [
    { x: x0, y: y0 },
    { x: x1, y: y1 },
  ],
];
const horizontal = rasterize(line(0, 5, 10, 5));
const vertical = rasterize(line(5, 0, 5, 10));
const diagonal = rasterize(line(0, 0, 10, 10));

function model(adaptStyle: TrainedModel['adaptStyle'], outputDim: number): TrainedModel {
  const spec: ModelSpec = { kind: 'conv4', imageShape: shape, filters: 4, outputDim };
  return { spec, arrays: initParamArrays(spec, new Rng(7)), adaptStyle };
}

function command(
  support: Float32Array[],
  symbols: number[],
  query: Float32Array,
): DrawClassifyCommand {
  const s = new Float32Array(support.length * 784);
  support.forEach((img, i) => s.set(img, i * 784));
  return {
    requestId: 4,
    symbols: Math.max(...symbols) + 1,
    support: s,
    supportSymbol: symbols,
    query,
  };
}

const weightsOf = (m: TrainedModel) => m.arrays.map((a, i) => tf.tensor(a, paramShapes(m.spec)[i]));

const softmax = (v: number[]) => {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
};

beforeAll(async () => {
  await useCpu();
});

describe('classifyDrawing', () => {
  const config = imageDefaultConfig('protonet');

  it('ProtoNet: softmax of −‖q − c‖² over the prototypes, from one forward pass of support and query', async () => {
    const m = model('protonet', 0);
    const cmd = command([horizontal, horizontal, vertical], [0, 0, 1], diagonal);
    const r = await classifyDrawing(m, config, shape, cmd);
    expect(r.requestId).toBe(4);
    expect(r.adaptation).toEqual({ kind: 'prototypes' });
    // by hand: embed all four images at once, prototype 0 = row 0 (rows 0 and 1 are equal)
    const emb = tf.tidy(() => {
      const x = tf.tensor3d([...horizontal, ...horizontal, ...vertical, ...diagonal], [1, 4, 784]);
      return modelForward(m.spec, weightsOf(m), x, {
        embedOnly: true,
      }).arraySync()[0] as number[][];
    });
    const d2 = (a: number[], b: number[]) =>
      a.reduce((s, v, i) => s + (v - (b[i] as number)) ** 2, 0);
    const q = emb[3] as number[];
    const expected = softmax([-d2(q, emb[0] as number[]), -d2(q, emb[2] as number[])]);
    expect(r.probabilities[0]).toBeCloseTo(expected[0] as number, 4);
    expect(r.probabilities[1]).toBeCloseTo(expected[1] as number, 4);
    expect(r.predicted).toBe(expected[0]! > expected[1]! ? 0 : 1);
  });

  it('ProtoNet: a query identical to a symbol’s only example is that symbol', async () => {
    const m = model('protonet', 0);
    for (const [query, want] of [
      [horizontal, 0],
      [vertical, 1],
      [diagonal, 2],
    ] as const) {
      const r = await classifyDrawing(
        m,
        config,
        shape,
        command([horizontal, vertical, diagonal], [0, 1, 2], query),
      );
      expect(r.predicted).toBe(want);
      expect(r.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('ProtoNet on an MLP (no batch norm): the same answer as the training loss’s prototype logits', async () => {
    const spec: ModelSpec = { inputDim: 784, hidden: [16], outputDim: 8 };
    const m: TrainedModel = {
      spec,
      arrays: initParamArrays(spec, new Rng(2)),
      adaptStyle: 'protonet',
    };
    const cmd = command([horizontal, vertical, diagonal], [0, 1, 1], diagonal);
    const r = await classifyDrawing(m, config, shape, cmd);
    const logits = tf.tidy(
      () =>
        protoQueryLogits(
          weightsOf(m),
          tf.tensor3d(cmd.support, [1, 3, 784]),
          tf.tensor3d([1, 0, 0, 1, 0, 1], [1, 3, 2]),
          tf.tensor3d(diagonal, [1, 1, 784]),
          spec,
        ).arraySync()[0]![0] as number[],
    );
    const expected = softmax(logits);
    expect(r.probabilities[0]).toBeCloseTo(expected[0] as number, 5);
    expect(r.probabilities[1]).toBeCloseTo(expected[1] as number, 5);
  });

  it('first-order MAML with no steps: the head’s softmax over the drawn symbols only', async () => {
    const m = model('finetune', 5);
    const cfg = { ...imageDefaultConfig('fomaml'), evalInnerSteps: 0 };
    const r = await classifyDrawing(
      m,
      cfg,
      shape,
      command([horizontal, vertical], [0, 1], diagonal),
    );
    expect(r.adaptation).toEqual({ kind: 'finetune', steps: 0, lr: cfg.innerLr });
    const logits = tf.tidy(() => {
      const x = tf.tensor3d([...horizontal, ...vertical, ...diagonal], [1, 3, 784]);
      const out = modelForward(m.spec, weightsOf(m), x);
      return (out.arraySync()[0] as number[][])[2] as number[];
    });
    const expected = softmax(logits.slice(0, 2));
    expect(r.probabilities).toHaveLength(2);
    expect(r.probabilities[0]).toBeCloseTo(expected[0] as number, 4);
  });

  it('first-order MAML and ANIL: steps on the support set make its examples their own symbols', async () => {
    for (const style of ['finetune', 'head'] as const) {
      const m = model(style, 5);
      const cfg = { ...imageDefaultConfig('fomaml'), evalInnerSteps: 8, innerLr: 0.5 };
      const support = [horizontal, vertical];
      for (const [query, want] of [
        [horizontal, 0],
        [vertical, 1],
      ] as const) {
        const r = await classifyDrawing(m, cfg, shape, command(support, [0, 1], query));
        expect(r.adaptation.kind).toBe(style);
        expect(r.predicted, style).toBe(want);
        expect(r.probabilities[want]).toBeGreaterThan(0.8);
      }
    }
  });

  it('refuses bad input in words', async () => {
    const proto = model('protonet', 0);
    const ok = command([horizontal, vertical], [0, 1], diagonal);
    const fails = (m: TrainedModel, cmd: DrawClassifyCommand, s: ImageShape = shape) =>
      classifyDrawing(m, config, s, cmd);
    await expect(fails(proto, { ...ok, symbols: 3 })).rejects.toThrow(/Symbol 3 has no example/);
    await expect(fails(proto, { ...ok, symbols: 1, supportSymbol: [0, 0] })).rejects.toThrow(
      /at least two symbols/,
    );
    await expect(fails(proto, { ...ok, query: new Float32Array(10) })).rejects.toThrow(/28×28/);
    await expect(fails(proto, ok, { ...shape, channels: 3 })).rejects.toThrow(/colour/);
    await expect(fails(proto, { ...ok, query: diagonal.map((v) => v * 2) })).rejects.toThrow(
      /between 0 and 1/,
    );
    const head = model('finetune', 2);
    const three = command([horizontal, vertical, diagonal], [0, 1, 2], diagonal);
    await expect(fails(head, three)).rejects.toThrow(/at most 2 symbols .*meta-trained 2-way/);
  });
});

describe('answerDrawing', () => {
  const cmd = command([horizontal, vertical], [0, 1], diagonal);
  const m = model('protonet', 0);
  const kept = {
    config: imageDefaultConfig('protonet'),
    model: m,
    state: { best: { arrays: m.arrays } },
  };

  it('answers with a prediction, or says why there is none', async () => {
    const free = { busy: async () => false, kept };
    const r = await answerDrawing(free, shape, cmd);
    expect(r.ok).toBe(true);
    const busy = await answerDrawing({ busy: async () => true, kept }, shape, cmd);
    expect(busy).toMatchObject({ ok: false, message: expect.stringMatching(/Stop the run/) });
    const none = await answerDrawing({ busy: async () => false, kept: null }, shape, cmd);
    expect(none).toMatchObject({ ok: false, message: expect.stringMatching(/Train a model/) });
    const mlp = await answerDrawing(free, undefined, cmd);
    expect(mlp).toMatchObject({ ok: false, message: expect.stringMatching(/images/) });
    const bad = await answerDrawing(free, shape, { ...cmd, symbols: 3 });
    expect(bad).toMatchObject({
      ok: false,
      requestId: 4,
      message: expect.stringMatching(/Symbol 3/),
    });
  });
});
