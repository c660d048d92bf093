/**
 * The pure parts of the benchmark and of the "Fastest" backend choice: the
 * grid of cases, the PyTorch comparison, rows from outcomes, the choice of
 * the fastest probe figure, the badge's words, and the store actions driven
 * by a fake case runner (no worker, no browser).
 */
import { describe, expect, it } from 'vitest';
import { fakeBenchResult } from '../../helpers/bench-result';
import { createStore } from 'zustand/vanilla';
import { casesOf, pytorchFor, rowOf, DEFAULT_SELECTION } from '../../../src/bench/cases';
import type { BenchCase, BenchResult } from '../../../src/bench/measure';
import {
  figureOf,
  pickFastest,
  probeCase,
  probeKey,
  type ProbeFigure,
} from '../../../src/bench/probe';
import type { CaseOutcome, CaseRunner } from '../../../src/bench/runner';
import { defaultConfig } from '../../../src/core/spec/config';
import { createActions } from '../../../src/store/actions';
import { softwareGpuReason, type AdapterInfo } from '../../../src/core/spec/backend';
import { createBenchActions, busyWith } from '../../../src/store/bench-actions';
import { initialProbe, initialState, type AppState } from '../../../src/store/slices';
import { badgeText, probeTitle } from '../../../src/ui/header/badge';
import { chartSummary, progressText, rowCells } from '../../../src/ui/benchmark/format';
import type { Command } from '../../../src/worker/protocol';

const ok = (backend: ProbeFigure['backend'], stepsPerSec: number): ProbeFigure => ({
  backend,
  status: 'ok',
  stepsPerSec,
  firstStepMs: 50,
  note: '',
});

function result(c: BenchCase, stepsPerSec: number): BenchResult {
  return fakeBenchResult(c, stepsPerSec);
}

describe('pickFastest', () => {
  it('keeps the backend with the most meta-steps/s, ignoring those without a figure', () => {
    const figures: ProbeFigure[] = [
      ok('wasm', 64),
      ok('cpu', 11),
      ok('webgl', 8),
      { backend: 'webgpu', status: 'over-budget', stepsPerSec: null, firstStepMs: null, note: 'x' },
    ];
    expect(pickFastest(figures)?.backend).toBe('wasm');
    expect(pickFastest([ok('cpu', 5), ok('webgl', 9)])?.backend).toBe('webgl');
  });

  it('breaks a tie by the usual preference order and returns null without any figure', () => {
    expect(pickFastest([ok('cpu', 10), ok('webgl', 10)])?.backend).toBe('webgl');
    expect(pickFastest([ok('wasm', NaN)])).toBeNull();
    expect(pickFastest([])).toBeNull();
  });

  it('turns every outcome into a figure with a reason', () => {
    const c = probeCase('wasm', 'sinusoid', defaultConfig('maml'));
    expect(figureOf('wasm', { status: 'ok', result: result(c, 42) })).toMatchObject({
      status: 'ok',
      stepsPerSec: 42,
    });
    expect(
      figureOf('webgpu', { status: 'over-budget', budgetMs: 15000, phase: 'first-step' }),
    ).toMatchObject({ stepsPerSec: null, note: 'over budget (15 s)' });
    expect(figureOf('webgl', { status: 'error', message: 'no WebGL' }).note).toBe('no WebGL');
  });

  it('probes the current configuration and keys on what changes a step’s cost', () => {
    const cfg = { ...defaultConfig('maml'), metaBatch: 5, hidden: [256, 256] };
    const c = probeCase('cpu', 'linear', cfg);
    expect(c).toMatchObject({ backend: 'cpu', family: 'linear', metaBatch: 5, hidden: [256, 256] });
    expect(probeKey('sinusoid', cfg)).not.toBe(probeKey('sinusoid', { ...cfg, metaBatch: 25 }));
    expect(probeKey('sinusoid', cfg)).toBe(probeKey('sinusoid', { ...cfg, metaSteps: 9, seed: 3 }));
  });
});

describe('software GPUs', () => {
  const info = (o: Partial<AdapterInfo>): AdapterInfo => ({
    vendor: '',
    architecture: '',
    description: '',
    device: '',
    ...o,
  });
  it('are named from the adapter info or its fallback flag; real GPUs are not', () => {
    expect(softwareGpuReason(info({ vendor: 'google', architecture: 'swiftshader' }))).toBe(
      'a software GPU (SwiftShader)',
    );
    expect(softwareGpuReason(info({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toBe(
      'a software GPU (llvmpipe)',
    );
    expect(softwareGpuReason(info({ vendor: 'intel', isFallbackAdapter: true }))).toBe(
      'a software GPU (fallback adapter)',
    );
    expect(softwareGpuReason(info({ vendor: 'nvidia', architecture: 'ampere' }))).toBeNull();
    expect(softwareGpuReason(null)).toBeNull();
  });
});

describe('badge under "Fastest"', () => {
  const base = {
    requested: 'fastest' as const,
    adapterInfo: null,
    fallbackReason: null,
    recovery: null,
  };

  it('shows probing as a state, then the winner with its figure', () => {
    const probing = { ...initialProbe, phase: 'probing' as const, current: 'webgl' as const };
    expect(badgeText({ ...base, active: 'webgpu', probe: probing })).toBe(
      'Probing backends… WebGL',
    );
    const done = {
      ...initialProbe,
      phase: 'done' as const,
      chosen: 'wasm' as const,
      figures: [
        ok('wasm', 63.7),
        ok('cpu', 10.58),
        {
          backend: 'webgpu' as const,
          status: 'over-budget' as const,
          stepsPerSec: null,
          firstStepMs: null,
          note: 'over budget (15 s)',
        },
      ],
    };
    expect(badgeText({ ...base, active: 'wasm', probe: done })).toBe('WASM · fastest: 64 steps/s');
    expect(probeTitle(done)).toBe(
      'Timed probe (meta-steps/s) on the current configuration: WASM 64 steps/s · CPU 11 steps/s · WebGPU over budget (15 s)',
    );
    // Until the worker reports the winner, the badge says it is starting.
    expect(badgeText({ ...base, active: null, probe: done })).toBe('Starting backend…');
  });

  it('leaves the other choices as they were', () => {
    expect(
      badgeText({ ...base, requested: 'cpu', active: 'cpu', probe: { ...initialProbe } }),
    ).toBe('CPU (selected)');
  });
});

describe('benchmark cases and rows', () => {
  it('runs the grid in the CLI’s order: backend, hidden, meta-batch, method', () => {
    const cases = casesOf({ ...DEFAULT_SELECTION, backends: ['wasm', 'cpu'] });
    expect(cases.map((c) => `${c.backend}/${c.algorithm}`)).toEqual([
      'wasm/maml',
      'wasm/fomaml',
      'cpu/maml',
      'cpu/fomaml',
    ]);
    expect(cases[0]).toMatchObject({ metaBatch: 25, hidden: [40, 40], layout: 'batched' });
  });

  it('puts the PyTorch reference only next to rows on its settings', () => {
    expect(pytorchFor({ algorithm: 'maml', metaBatch: 25, hidden: [40, 40] }, 140)).toEqual({
      loop: 70,
      batched: 410,
      overLoop: 2,
      overBatched: 140 / 410,
    });
    expect(pytorchFor({ algorithm: 'maml', metaBatch: 5, hidden: [40, 40] }, 140)).toBeNull();
    expect(pytorchFor({ algorithm: 'reptile', metaBatch: 25, hidden: [40, 40] }, 1)).toBeNull();
  });

  it('keeps a row for a case over budget, with the reason, and words for the page', () => {
    const [c] = casesOf({ ...DEFAULT_SELECTION, backends: ['webgpu'], methods: ['maml'] });
    const row = rowOf(c!, { status: 'over-budget', budgetMs: 30000, phase: 'first-step' });
    expect(row).toMatchObject({ status: 'over-budget', backend: 'webgpu' });
    expect(row.status !== 'ok' && row.error).toMatch(/compiling its first step after 30 s/);
    expect(rowCells(row).stepsPerSec).toBe('over budget');
    const good = rowOf(c!, { status: 'ok', result: result(c!, 57.1) });
    expect(rowCells(good)).toMatchObject({ stepsPerSec: '57', kernels: '483', memory: 'n/a' });
    expect(rowCells(good).pytorch).toBe('0.82× loop (70), 0.14× batched (410)');
    expect(chartSummary('WebGPU', [good, row])).toBe(
      'WebGPU: MAML · B 25 · 40-40 57 meta-steps/s; MAML · B 25 · 40-40 over budget. Fastest: MAML · B 25 · 40-40.',
    );
    expect(progressText('running', [c!], 0, 'first-step', 0)).toBe(
      'Case 1 of 1: WebGPU · MAML · B 25 · 40-40 — first step (compiling kernels)',
    );
  });
});

describe('benchmark and probe actions (fake runner)', () => {
  function setup(speeds: Partial<Record<string, number>>) {
    const store = createStore<AppState>()(() => initialState());
    const sent: Command[] = [];
    const port = { send: (c: Command) => void sent.push(c) };
    const ran: BenchCase[] = [];
    const run: CaseRunner = async (c) => {
      ran.push(c);
      const s = speeds[c.backend];
      const o: CaseOutcome =
        s === undefined
          ? { status: 'over-budget', budgetMs: 15000, phase: 'first-step' }
          : { status: 'ok', result: result(c, s) };
      return o;
    };
    const bench = createBenchActions(
      store,
      { run, available: () => ['webgpu', 'wasm', 'cpu'] },
      port,
    );
    const actions = createActions(store, port, () => 0, bench);
    return { store, sent, ran, bench, actions };
  }

  it('"Fastest" probes each available backend on the current configuration and inits the winner', async () => {
    const { store, sent, ran, actions } = setup({ wasm: 60, cpu: 10 });
    store.setState({ ...store.getState(), run: { ...store.getState().run, status: 'idle' } });
    actions.setBackend('fastest');
    expect(store.getState().backend.probe.phase).toBe('probing');
    expect(busyWith(store.getState())).toBe('backends are being probed');
    await new Promise((r) => setTimeout(r, 0));
    expect(ran.map((c) => c.backend)).toEqual(['wasm', 'cpu', 'webgpu']);
    expect(ran[0]).toMatchObject({ metaBatch: 25, hidden: [40, 40], family: 'sinusoid' });
    const probe = store.getState().backend.probe;
    expect(probe).toMatchObject({ phase: 'done', chosen: 'wasm' });
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'wasm', hideWebgpu: false });
  });

  it('"Best available" on a software GPU probes instead of taking WebGPU, once, and the badge says why', async () => {
    const { store, sent, ran, actions } = setup({ wasm: 60, cpu: 10 });
    store.setState({ ...store.getState(), run: { ...store.getState().run, status: 'idle' } });
    const swiftshader = {
      type: 'ready' as const,
      backend: 'webgpu' as const,
      adapterInfo: { vendor: 'google', architecture: 'swiftshader', description: '', device: '' },
      fallbackReason: null,
      attempts: [],
      recovery: null,
    };
    actions.receive([swiftshader]);
    expect(store.getState().backend.probe).toMatchObject({
      phase: 'probing',
      because: 'a software GPU (SwiftShader)',
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'wasm', hideWebgpu: false });
    expect(store.getState().backend.requested).toBe('auto');
    actions.receive([{ ...swiftshader, backend: 'wasm', adapterInfo: null }]);
    expect(badgeText(store.getState().backend)).toBe(
      'WASM · fastest: 60 steps/s (WebGPU here is a software GPU (SwiftShader))',
    );
    // A later ready on WebGPU (say the probe had chosen it) does not probe again.
    const n = ran.length;
    actions.receive([swiftshader]);
    await new Promise((r) => setTimeout(r, 0));
    expect(ran.length).toBe(n);
  });

  it('"Best available" on a real GPU, or WebGPU asked for by name, takes WebGPU unprobed', () => {
    const { store, ran, actions } = setup({ wasm: 60, cpu: 10 });
    const hw = {
      type: 'ready' as const,
      backend: 'webgpu' as const,
      adapterInfo: { vendor: 'nvidia', architecture: 'ampere', description: '', device: '' },
      fallbackReason: null,
      attempts: [],
      recovery: null,
    };
    actions.receive([hw]);
    expect(store.getState().backend.probe.phase).toBe('idle');
    actions.setBackend('webgpu');
    actions.receive([{ ...hw, adapterInfo: { ...hw.adapterInfo, architecture: 'swiftshader' } }]);
    expect(store.getState().backend.probe.phase).toBe('idle');
    expect(ran).toEqual([]);
  });

  it('probes again when the configuration changes, and not when only the step count does', async () => {
    const { store, ran, actions } = setup({ wasm: 60, cpu: 10 });
    store.setState({ ...store.getState(), run: { ...store.getState().run, status: 'idle' } });
    actions.setBackend('fastest');
    await new Promise((r) => setTimeout(r, 0));
    const n = ran.length;
    actions.setConfig('metaSteps', 50);
    await new Promise((r) => setTimeout(r, 0));
    expect(ran.length).toBe(n);
    actions.setConfig('metaBatch', 5);
    await new Promise((r) => setTimeout(r, 0));
    expect(ran.length).toBe(2 * n);
    expect(ran.at(-1)?.metaBatch).toBe(5);
  });

  it('runs the benchmark case by case, a row per case, and refuses while training', async () => {
    const { store, bench } = setup({ wasm: 60, cpu: 10 });
    store.setState({ ...store.getState(), run: { ...store.getState().run, status: 'training' } });
    await bench.runBenchmark();
    expect(store.getState().bench.phase).toBe('idle');
    store.setState({ ...store.getState(), run: { ...store.getState().run, status: 'idle' } });
    bench.select({ backends: ['wasm', 'cpu', 'webgl'], methods: ['maml'] });
    await bench.runBenchmark();
    const b = store.getState().bench;
    expect(b.phase).toBe('done');
    // webgl is not available here: it is left out rather than reported as a fallback.
    expect(b.rows.map((r) => [r.backend, r.status])).toEqual([
      ['wasm', 'ok'],
      ['cpu', 'ok'],
    ]);
  });
});
