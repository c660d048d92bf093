/**
 * The embeddable adapter against the engine: an exported model, loaded by
 * loadAdapter through tfjs's own loader, adapts to a new task and predicts
 * the same numbers as core/export/adapt-new-task.ts (the CLI's reference) to
 * 1e-6, for every adaptation style; with the card's encoding of raw cells
 * (numeric standardized, categorical one-hot, targets restored).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../src/adapter/adapter';
import { adaptNewTask } from '../../../src/core/export/adapt-new-task';
import type { AdapterCard } from '../../../src/core/export/card-types';
import { encodeFeatures, encodeTargets, restoreTarget } from '../../../src/core/export/encode-rows';
import { tfjsExportFiles, type TfjsExportInput } from '../../../src/core/export/tfjs-bundle';
import { memoryHandler } from '../../../src/core/export/tfjs-layers';
import { initParamArrays } from '../../../src/core/models/model';
import { Rng } from '../../../src/core/rng';
import type { MlpSpec } from '../../../src/core/spec/model';
import type { AlgorithmName } from '../../../src/core/spec/config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const normalization: TfjsExportInput['data']['normalization'] = {
  features: [
    { column: 'temp', type: 'numeric', mean: 10, std: 4 },
    { column: 'site', type: 'categorical', categories: ['hill', 'coast'] },
  ],
  target: { column: 'y', mean: 3, std: 2 },
  inputDim: 3,
};

function input(algorithm: AlgorithmName, kind: 'regression' | 'classification'): TfjsExportInput {
  const spec: MlpSpec = { inputDim: 3, hidden: [12, 8], outputDim: kind === 'regression' ? 1 : 3 };
  return {
    name: 'test',
    config: { algorithm, innerLr: 0.3, evalInnerSteps: 4, shots: 2, ways: 3, queries: 5 },
    spec,
    arrays: initParamArrays(spec, new Rng(11)),
    data: {
      kind,
      targetColumn: 'y',
      normalization:
        kind === 'regression' ? normalization : normalization && { ...normalization, target: null },
    },
    evaluation: null,
  };
}

async function load(e: TfjsExportInput) {
  const files = await tfjsExportFiles(e);
  const dec = (name: string) => JSON.parse(new TextDecoder().decode(files[name]));
  const modelJson = dec('model.json');
  const card = dec('adaptation.json') as AdapterCard;
  const adapter = await loadAdapter({
    model: memoryHandler({ modelJson, weights: files['model.weights.bin'] as Uint8Array }),
    card,
  });
  return { adapter, card };
}

const rng = new Rng(5);
const row = () => [
  rng.uniform(0, 20),
  ['hill', 'coast', 'marsh'][Math.floor(rng.uniform(0, 3))] ?? 'hill',
];
const supportX = Array.from({ length: 6 }, row);
const queryX = Array.from({ length: 7 }, row);

function worstDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
}

describe.each<[AlgorithmName, 'regression' | 'classification', number]>([
  ['maml', 'regression', 0],
  ['maml', 'regression', 4],
  ['fomaml', 'classification', 3],
  ['anil', 'regression', 5],
  ['anil', 'classification', 2],
  ['protonet', 'classification', 2],
])('adapter: %s %s, %d steps', (algorithm, kind, steps) => {
  it('predicts like the engine to 1e-6', async () => {
    const e = input(algorithm, kind);
    const { adapter, card } = await load(e);
    const y =
      kind === 'regression'
        ? supportX.map((r) => 0.5 * (r[0] as number) - 2)
        : ['b', 'a', 'c', 'a', 'c', 'b'];
    const before = tf.memory().numTensors;
    const task = adapter.adapt({ x: supportX, y }, { steps });
    const got = task.outputs(queryX).flat();

    const ty = encodeTargets(
      card,
      y,
      card.adaptation.style === 'protonet' ? null : e.spec.outputDim,
    );
    const ref = await adaptNewTask(
      {
        spec: e.spec as MlpSpec,
        arrays: e.arrays,
        style: card.adaptation.style,
        lossKind: kind === 'regression' ? 'mse' : 'ce',
      },
      {
        supportX: encodeFeatures(card, supportX),
        supportY: ty.y,
        outputDim: ty.outputDim,
        queryX: encodeFeatures(card, queryX),
      },
      steps,
      card.adaptation.innerLr,
    );
    const want =
      kind === 'regression'
        ? [...ref.outputs].map((z) => restoreTarget(card, z))
        : tf.tidy(() => [
            ...tf.softmax(tf.tensor2d(ref.outputs, [queryX.length, ref.width])).dataSync(),
          ]);
    expect(worstDiff(got, want)).toBeLessThan(1e-6);
    if (kind === 'classification') {
      expect(task.labels).toEqual(['a', 'b', 'c']);
      expect(task.predict(queryX).every((l) => ['a', 'b', 'c'].includes(l as string))).toBe(true);
    }
    task.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // adaptation moved the predictions (the test would not notice a no-op otherwise)
    if (steps > 0) {
      const still = adapter.adapt({ x: supportX, y }, { steps: 0 });
      expect(worstDiff(still.outputs(queryX).flat(), got)).toBeGreaterThan(1e-4);
      still.dispose();
    }
    adapter.dispose();
  });
});

it('says which columns a row needs and refuses a support set with the wrong number of classes', async () => {
  const { adapter } = await load(input('maml', 'classification'));
  expect(adapter.columns).toEqual(['temp', 'site']);
  expect(() => adapter.adapt({ x: supportX.slice(0, 2), y: ['a', 'b'] })).toThrow(
    /2 classes \(a, b\); this model was meta-trained for 3-way tasks/,
  );
  expect(() => adapter.adapt({ x: [[1], [2], [3]], y: ['a', 'b', 'c'] })).toThrow(
    /reads 2 \(temp, site\)/,
  );
  adapter.dispose();
});

describe.each<[AlgorithmName, number]>([
  ['maml', 3],
  ['anil', 3],
])('adapter: MAML++ per-step rates, %s, %d steps', (algorithm, steps) => {
  it("adapts with the card's rate of each step and weight tensor, like the engine", async () => {
    const base = input(algorithm, 'regression');
    const spec: MlpSpec = { ...(base.spec as MlpSpec), stepRates: 2 };
    const P = base.arrays.length;
    // distinct rates per step and tensor; step 2 (past the table) must reuse row 1
    const table = Float32Array.from({ length: 2 * P }, (_, k) => 0.05 + 0.03 * k);
    const e: TfjsExportInput = { ...base, spec, arrays: [...base.arrays, table] };
    const { adapter, card } = await load(e);
    expect(card.adaptation.stepRates).toEqual([
      Array.from(table.subarray(0, P)),
      Array.from(table.subarray(P)),
    ]);
    const y = supportX.map((r) => 0.5 * (r[0] as number) - 2);
    const task = adapter.adapt({ x: supportX, y }, { steps });
    const got = task.outputs(queryX).flat();
    const ty = encodeTargets(card, y, 1);
    const task3 = {
      supportX: encodeFeatures(card, supportX),
      supportY: ty.y,
      outputDim: 1,
      queryX: encodeFeatures(card, queryX),
    };
    const model = {
      spec,
      arrays: e.arrays,
      style: card.adaptation.style,
      lossKind: 'mse' as const,
    };
    const ref = await adaptNewTask(model, task3, steps, card.adaptation.innerLr);
    const want = [...ref.outputs].map((z) => restoreTarget(card, z));
    expect(worstDiff(got, want)).toBeLessThan(1e-6);
    // the table was used: one plain rate for all gives other numbers
    const plain = adapter.adapt({ x: supportX, y }, { steps, lr: card.adaptation.innerLr });
    expect(worstDiff(plain.outputs(queryX).flat(), got)).toBeGreaterThan(1e-4);
    plain.dispose();
    task.dispose();
    adapter.dispose();
  });
});
