/**
 * The adaptation card and the file sets of the PyTorch exports, from a
 * hand-made export input: what each algorithm's card says about adapting,
 * the encoding it carries, and which files each format writes.
 */
import { describe, expect, it } from 'vitest';
import { adaptationCard, type ExportInput } from '../../../src/core/export/card';
import { pythonFolderFiles, safetensorsFiles } from '../../../src/core/export/pytorch';
import { readSafetensors } from '../../../src/core/export/safetensors';
import { defaultConfig, type AlgorithmName } from '../../../src/core/spec/config';
import { convParamShapes } from '../../../src/core/spec/model';

function input(algorithm: AlgorithmName, over: Partial<ExportInput['data']> = {}): ExportInput {
  const learned = algorithm === 'metasgd';
  const weights = [
    Float32Array.of(1, 2, 3, 4), // W0 [2, 2]
    Float32Array.of(5, 6),
    Float32Array.of(7, 8), // W1 [2, 1]
    Float32Array.of(9),
  ];
  const rates = weights.map((w, i) => w.map((_, j) => 0.01 * (i + 1) + 0.001 * j));
  return {
    name: 'test',
    appVersion: '0.1.0',
    config: { ...defaultConfig(algorithm), hidden: [2], innerLr: 0.02, evalInnerSteps: 7 },
    spec: { inputDim: 2, hidden: [2], outputDim: 1, ...(learned ? { learnedLr: true } : {}) },
    arrays: learned ? [...weights, ...rates] : weights,
    data: {
      source: 'csv',
      name: 'tasks.csv',
      sha256: 'ab'.repeat(32),
      kind: 'regression',
      schema: { taskColumn: 'task', target: 'y', features: ['a', 'c'] },
      normalization: {
        features: [
          { column: 'a', type: 'numeric', mean: 3, std: 2 },
          { column: 'c', type: 'categorical', categories: ['x'] },
        ],
        target: { column: 'y', mean: 10, std: 4 },
        inputDim: 2,
      },
      labels: null,
      ...over,
    },
    history: { stepsDone: 50, bestStep: 40 },
    evaluation: null,
  };
}

describe('adaptation card', () => {
  it('says how MAML adapts: rate, steps, second order, the encoding of inputs and target', () => {
    const c = adaptationCard(input('maml'));
    expect(c.model).toMatchObject({ architecture: 'mlp', layers: [2, 2, 1] });
    expect(c.adaptation).toMatchObject({
      style: 'finetune',
      innerLr: 0.02,
      learnedInnerLr: null,
      steps: 7,
      order: 'second',
      loss: 'mse',
    });
    expect(c.input.features[0]).toEqual({ column: 'a', type: 'numeric', mean: 3, std: 2 });
    expect(c.target).toEqual({ column: 'y', mean: 10, std: 4 });
    expect(c.training).toMatchObject({ stepsDone: 50, bestStep: 40 });
    expect(c.data.schema).toMatchObject({ taskColumn: 'task', target: 'y' });
  });

  it('names first order, head-only and prototype adaptation for the other methods', () => {
    expect(adaptationCard(input('fomaml')).adaptation.order).toBe('first');
    expect(adaptationCard(input('anil')).adaptation.style).toBe('head');
    expect(adaptationCard(input('protonet')).adaptation).toMatchObject({
      style: 'protonet',
      order: 'none',
    });
  });

  it("summarizes Meta-SGD's learned rates and writes them to their own file, transposed like the weights", () => {
    const e = input('metasgd');
    const c = adaptationCard(e);
    expect(c.adaptation.learnedInnerLr).toMatchObject({ file: 'inner_lr.safetensors' });
    expect(c.adaptation.learnedInnerLr!.min).toBeCloseTo(0.01, 6);
    expect(c.adaptation.learnedInnerLr!.max).toBeCloseTo(0.04, 6);
    const files = safetensorsFiles(e);
    expect(files.map((f) => f.name)).toEqual([
      'model.safetensors',
      'inner_lr.safetensors',
      'adaptation.json',
    ]);
    const w = readSafetensors(files[0]!.bytes).tensors;
    const r = readSafetensors(files[1]!.bytes).tensors;
    expect(r.map((t) => [t.name, t.shape])).toEqual(w.map((t) => [t.name, t.shape]));
    // W0 [in 2, out 2] = [[1, 2], [3, 4]] → weight [out, in] = [[1, 3], [2, 4]]
    expect([...w[0]!.data]).toEqual([1, 3, 2, 4]);
    expect([...r[0]!.data].map((v) => +v.toFixed(4))).toEqual([0.01, 0.012, 0.011, 0.013]);
  });

  it('gives built-in families their raw inputs and classification its labels', () => {
    const b = adaptationCard(
      input('maml', {
        source: 'builtin',
        name: 'sinusoid',
        schema: null,
        normalization: null,
      }),
    );
    expect(b.input.features).toEqual([
      { column: 'x1', type: 'numeric', mean: 0, std: 1 },
      { column: 'x2', type: 'numeric', mean: 0, std: 1 },
    ]);
    expect(b.data.family).toBe('sinusoid');
    expect(b.target).toEqual({ column: 'y', mean: 0, std: 1 });
    const k = adaptationCard(
      input('maml', {
        kind: 'classification',
        labels: ['ant', 'bee'],
        schema: { target: 'label' },
        normalization: null,
      }),
    );
    expect(k.target).toMatchObject({ column: 'label', labels: ['ant', 'bee'] });
    expect(k.adaptation.loss).toBe('cross-entropy');
    expect(k.task.ways).toBe(defaultConfig('maml').ways);
  });

  it('python adds model.py, adapt.py, train.py and the README; for a conv net the weights and model.py', () => {
    expect(pythonFolderFiles(input('maml')).map((f) => f.name)).toEqual([
      'model.safetensors',
      'adaptation.json',
      'model.py',
      'adapt.py',
      'train.py',
      'README.md',
    ]);
    const convSpec = {
      kind: 'conv4' as const,
      imageShape: { height: 28, width: 28, channels: 1 as const },
      filters: 32 as const,
      outputDim: 5,
    };
    const conv = {
      ...input('fomaml', { kind: 'classification', normalization: null }),
      spec: convSpec,
      arrays: convParamShapes(convSpec).map((s) => new Float32Array(s.reduce((a, b) => a * b, 1))),
    };
    expect(safetensorsFiles(conv).map((f) => f.name)).toEqual([
      'model.safetensors',
      'adaptation.json',
    ]);
    expect(adaptationCard(conv).model).toMatchObject({
      architecture: 'conv4',
      filters: 32,
      outputDim: 5,
    });
    expect(adaptationCard(conv).input).toMatchObject({ inputDim: 784, features: [] });
    expect(pythonFolderFiles(conv).map((f) => f.name)).toEqual([
      'model.safetensors',
      'adaptation.json',
      'model.py',
    ]);
  });
});
