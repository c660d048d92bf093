/**
 * The image (Conv-4) part of the benchmark and of the backend choice: the
 * image cases of a selection, their rows and PyTorch ratio, and "Best
 * available" on image tasks, which times a conv step on each backend and
 * trains on the fastest (store actions driven by a fake case runner).
 */
import { describe, expect, it } from 'vitest';
import { fakeBenchResult } from '../../helpers/bench-result';
import { createStore } from 'zustand/vanilla';
import {
  casesOf,
  imageKeyOf,
  modelLabel,
  parseImageEpisode,
  pytorchImageKey,
  rowOf,
  withMeasuredPytorchImages,
} from '../../../src/bench/cases';
import { isImageCase, stepsOf, type BenchCase, type BenchResult } from '../../../src/bench/measure';
import {
  IMAGE_PROBE_REASON,
  PROBE_BUDGET_MS,
  PROBE_IMAGE_BUDGET_MS,
  probeCandidates,
  probeCase,
  probeKey,
} from '../../../src/bench/probe';
import type { CaseOutcome, CaseRunner, RunCaseOptions } from '../../../src/bench/runner';
import { defaultConfig, imageDefaultConfig } from '../../../src/core/spec/config';
import { createActions } from '../../../src/store/actions';
import { createBenchActions } from '../../../src/store/bench-actions';
import { initialState, type AppState } from '../../../src/store/slices';
import { badgeText } from '../../../src/ui/header/badge';
import { caseName, rowCells } from '../../../src/ui/benchmark/format';
import type { Command } from '../../../src/worker/protocol';

function result(c: BenchCase, stepsPerSec: number): BenchResult {
  return fakeBenchResult(c, stepsPerSec, {
    family: 'omniglot',
    firstStepMs: 3000,
    kernelsPerStep: 1001,
    numTensors: [14, 14],
    image: imageKeyOf(c),
  });
}

const sel = {
  backends: ['wasm' as const],
  methods: ['maml' as const, 'fomaml' as const, 'protonet' as const],
  metaBatches: [25],
  hidden: [] as never[],
  seconds: 2,
};

describe('image benchmark cases', () => {
  it('reads "NwKs" episode codes and nothing else', () => {
    expect(parseImageEpisode('20w1s')).toEqual({ ways: 20, shots: 1 });
    expect(parseImageEpisode('5w5s')).toEqual({ ways: 5, shots: 5 });
    expect(parseImageEpisode('1w1s')).toBeNull();
    expect(parseImageEpisode('5-way')).toBeNull();
  });

  it('adds Conv-4 cases for the image methods only, with the app’s image meta-batch and queries', () => {
    const cases = casesOf({ ...sel, images: ['5w1s', '20w1s', 'bogus'], filters: [32, 64] });
    // MAML (second order) is refused on conv nets: no case for it.
    expect(
      cases.map((c) => [c.algorithm, c.metaBatch, c.settings?.ways, c.settings?.filters]),
    ).toEqual([
      ['fomaml', 4, 5, 32],
      ['protonet', 1, 5, 32],
      ['fomaml', 4, 5, 64],
      ['protonet', 1, 5, 64],
      ['fomaml', 4, 20, 32],
      ['protonet', 1, 20, 32],
      ['fomaml', 4, 20, 64],
      ['protonet', 1, 20, 64],
    ]);
    expect(cases[1]).toMatchObject({
      family: 'omniglot',
      hidden: [],
      settings: {
        ways: 5,
        shots: 1,
        queries: imageDefaultConfig('protonet').queries,
        backbone: 'conv4',
      },
    });
    expect(isImageCase(cases[1]!)).toBe(true);
    expect(stepsOf(cases[1]!)).toEqual({ warmup: 1, minPerHalf: 1 });
    const mlp = casesOf({ ...sel, hidden: ['40,40'] })[0]!;
    expect(isImageCase(mlp)).toBe(false);
    expect(stepsOf(mlp)).toEqual({ warmup: 3, minPerHalf: 3 });
    // The CLI's --image-meta-batch overrides the default.
    expect(
      casesOf({ ...sel, images: ['5w1s'] }, { imageMetaBatch: 8 }).map((c) => c.metaBatch),
    ).toEqual([8, 8]);
    // No images picked: the selection's cases are exactly as before.
    expect(casesOf({ ...sel, images: [] })).toEqual([]);
  });

  it('keeps the image key in every row, and puts PyTorch’s same-run figure and ratio next to it', () => {
    const c = casesOf({ ...sel, methods: ['protonet'], images: ['5w1s'], filters: [32] })[0]!;
    const over = rowOf(c, { status: 'over-budget', budgetMs: 60000, phase: 'timing' });
    expect(over).toMatchObject({ image: { ways: 5, shots: 1, queries: 5, filters: 32 } });
    const row = rowOf(c, { status: 'ok', result: result(c, 0.5) });
    // The key must match bench/pytorch/conv4_omniglot.py's key().
    expect(pytorchImageKey('protonet', 1, { ways: 5, shots: 1, queries: 5, filters: 32 })).toBe(
      'protonet B1 5w1s5q f32',
    );
    const withRef = withMeasuredPytorchImages(row, { 'protonet B1 5w1s5q f32': 2.5 });
    expect(withRef).toMatchObject({ pytorchImages: { episodesPerSec: 2.5, ratio: 0.2 } });
    expect(withMeasuredPytorchImages(row, { 'protonet B1 5w1s5q f64': 2.5 })).toBe(row);
    expect(rowCells(withRef).pytorch).toBe('0.20× (2.5 episodes/s)');
    expect(modelLabel(row as { hidden: number[] })).toBe('Conv-4 32 · 5-way 1-shot');
    expect(caseName(c)).toBe('ProtoNet · B 1 · Conv-4 32 · 5-way 1-shot');
    expect(caseName({ algorithm: 'maml', metaBatch: 25, hidden: [40, 40] })).toBe(
      'MAML · B 25 · 40-40',
    );
  });
});

describe('probing image configurations', () => {
  const image = imageDefaultConfig('protonet');

  it('times a conv step of the app’s configuration, keyed by the filters too', () => {
    expect(probeCase('wasm', 'omniglot', { ...image, filters: 64 })).toMatchObject({
      family: 'omniglot',
      metaBatch: 1,
      settings: { ways: 5, shots: 1, queries: 5, backbone: 'conv4', filters: 64 },
    });
    expect(probeKey('omniglot', { ...image, filters: 64 })).not.toBe(
      probeKey('omniglot', { ...image, filters: 32 }),
    );
    // An MLP configuration's case and key are as they were.
    expect(probeCase('wasm', 'sinusoid', defaultConfig('maml')).settings).not.toHaveProperty(
      'backbone',
    );
  });

  it('leaves the pure-JS CPU backend out of an image probe when WASM is there', () => {
    const order = ['wasm', 'cpu', 'webgl', 'webgpu'] as const;
    const all = new Set(order);
    expect(probeCandidates(order, all, image)).toEqual(['wasm', 'webgl', 'webgpu']);
    expect(probeCandidates(order, new Set(['cpu', 'webgl'] as const), image)).toEqual([
      'cpu',
      'webgl',
    ]);
    expect(probeCandidates(order, all, defaultConfig('maml'))).toEqual([...order]);
    // A software WebGPU (SwiftShader) is left out of image probes too, never out of MLP ones.
    expect(probeCandidates(order, all, image, true)).toEqual(['wasm', 'webgl']);
    expect(probeCandidates(order, all, defaultConfig('maml'), true)).toEqual([...order]);
  });
});

describe('"Best available" on image tasks (fake runner)', () => {
  function setup(speeds: Partial<Record<string, number>>) {
    const store = createStore<AppState>()(() => initialState());
    const sent: Command[] = [];
    const port = { send: (c: Command) => void sent.push(c) };
    const ran: { c: BenchCase; opts: RunCaseOptions }[] = [];
    const run: CaseRunner = async (c, opts) => {
      ran.push({ c, opts });
      const s = speeds[c.backend];
      const o: CaseOutcome =
        s === undefined
          ? { status: 'over-budget', budgetMs: opts.budgetMs, phase: 'first-step' }
          : { status: 'ok', result: result(c, s) };
      return o;
    };
    const bench = createBenchActions(
      store,
      { run, available: () => ['webgpu', 'webgl', 'wasm', 'cpu'] },
      port,
    );
    const actions = createActions(store, port, () => 0, bench);
    store.setState({
      ...store.getState(),
      run: { ...store.getState().run, status: 'idle' },
      setup: {
        ...store.getState().setup,
        family: 'omniglot',
        config: imageDefaultConfig('protonet'),
      },
    });
    return { store, sent, ran, actions };
  }
  const ready = (backend: 'webgpu' | 'wasm', architecture = 'ampere') => ({
    type: 'ready' as const,
    backend,
    adapterInfo:
      backend === 'webgpu' ? { vendor: 'nvidia', architecture, description: '', device: '' } : null,
    fallbackReason: null,
    attempts: [],
    recovery: null,
  });
  const tick = () => new Promise((r) => setTimeout(r, 0));

  it('probes a conv step even on a real GPU and trains on the fastest, saying why', async () => {
    const { store, sent, ran, actions } = setup({ wasm: 0.6, webgl: 1.5, webgpu: 0.9 });
    actions.receive([ready('webgpu')]);
    expect(store.getState().backend.probe).toMatchObject({
      phase: 'probing',
      because: IMAGE_PROBE_REASON,
    });
    await tick();
    expect(ran.map((r) => r.c.backend)).toEqual(['wasm', 'webgl', 'webgpu']);
    expect(ran.every((r) => r.c.settings?.backbone === 'conv4')).toBe(true);
    expect(ran[0]!.opts.budgetMs).toBe(PROBE_IMAGE_BUDGET_MS);
    expect(PROBE_IMAGE_BUDGET_MS).toBeGreaterThan(PROBE_BUDGET_MS);
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'webgl', hideWebgpu: false });
    expect(store.getState().backend.requested).toBe('auto');
    actions.receive([{ ...ready('wasm'), backend: 'webgl' as const }]);
    expect(badgeText(store.getState().backend)).toBe(
      'WebGL · fastest: 1.5 steps/s (timed on a conv step)',
    );
    // The winner's own ready does not start another probe.
    const n = ran.length;
    actions.receive([ready('webgpu')]);
    await tick();
    expect(ran.length).toBe(n);
  });

  it('on a software GPU, probes WASM and WebGL only', async () => {
    const { store, ran, sent, actions } = setup({ wasm: 0.6, webgl: 0.1 });
    actions.receive([ready('webgpu', 'swiftshader')]);
    expect(store.getState().backend.probe.because).toBe(IMAGE_PROBE_REASON);
    await tick();
    expect(ran.map((r) => r.c.backend)).toEqual(['wasm', 'webgl']);
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'wasm', hideWebgpu: false });
  });

  it('probes again when the image configuration changes, and gives the choice back on leaving images', async () => {
    const { store, sent, ran, actions } = setup({ wasm: 0.6 });
    actions.receive([ready('wasm')]);
    await tick();
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'wasm', hideWebgpu: false });
    const n = ran.length;
    actions.setConfig('filters', 64);
    await tick();
    expect(ran.length).toBe(2 * n);
    expect(ran.at(-1)?.c.settings?.filters).toBe(64);
    actions.setFamily('sinusoid');
    await tick();
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'auto', hideWebgpu: false });
    expect(store.getState().backend.probe.phase).toBe('idle');
    expect(ran.length).toBe(2 * n);
  });

  it('an MLP under "Best available" on a real GPU still takes WebGPU unprobed', () => {
    const { store, ran, actions } = setup({ wasm: 0.6 });
    store.setState({
      ...store.getState(),
      setup: { ...store.getState().setup, family: 'sinusoid', config: defaultConfig('maml') },
    });
    actions.receive([ready('webgpu')]);
    expect(store.getState().backend.probe.phase).toBe('idle');
    expect(ran).toEqual([]);
  });
});
