/**
 * Issue 16 on the page's side: the address and the remembered preference
 * carry the fused engines' names and refuse unknown ones with a message; the
 * Backend menu offers an engine only where the worker can run it; the store
 * keeps what the worker reports (engine, availability, what a run really
 * used); the badge names the engine, or says when a run is not fused.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createActions } from '../../../src/store/actions';
import type { AppState } from '../../../src/store/slices';
import type { Command, WorkerEvent } from '../../../src/worker/protocol';
import { readUrl, rememberedText, settingsHash } from '../../../src/store/url/codec';
import { defaultSettings } from '../../../src/store/url/settings';
import { applyEvents } from '../../../src/store/reduce';
import { initialState } from '../../../src/store/slices';
import { backendChoices } from '../../../src/ui/header/Header';
import { badgeText } from '../../../src/ui/header/badge';
import {
  fusedFallbackSentence,
  isEngineBackendName,
  tfjsBackendOf,
} from '../../../src/core/spec/backend';

describe('fused engines in the address and the remembered preference', () => {
  it('reads, writes and remembers wasm-fused and webgpu-fused', () => {
    for (const backend of ['wasm-fused', 'webgpu-fused'] as const) {
      const s = { ...defaultSettings(), backend };
      const hash = settingsHash(s);
      expect(hash).toContain(`backend=${backend}`);
      expect(readUrl('', hash)).toEqual({ settings: s, problems: [] });
      expect(readUrl(`?backend=${backend}`, '').settings.backend).toBe(backend);
      const remembered = rememberedText(s);
      expect(readUrl('', '', { remembered }).settings.backend).toBe(backend);
    }
  });

  it('refuses an unknown engine name with a message naming the choices', () => {
    const read = readUrl('?backend=wasm-turbo', '');
    expect(read.settings.backend).toBe('auto');
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]!.message).toMatch(
      /^backend=wasm-turbo: expected one of auto, fastest, webgpu, webgl, wasm, cpu, wasm-fused, wasm-fused-2t, webgpu-fused; the default auto is used\.$/,
    );
    // a remembered value this page cannot use is dropped, as for any remembered setting
    expect(readUrl('', '', { remembered: 'backend=wasm-turbo' }).settings.backend).toBe('auto');
  });

  it('names: engine or tfjs backend, and each engine on its base', () => {
    expect(isEngineBackendName('wasm-fused')).toBe(true);
    expect(isEngineBackendName('webgpu')).toBe(true);
    expect(isEngineBackendName('tensorflow')).toBe(false);
    expect(tfjsBackendOf('webgpu-fused')).toBe('webgpu');
    expect(fusedFallbackSentence('webgpu-fused', 'the MAML++ options are not fused')).toBe(
      'WebGPU (fused) covers MAML and first-order MAML on the MLP; this run uses tfjs on WebGPU (the MAML++ options are not fused).',
    );
  });
});

describe('the Backend menu', () => {
  it('offers a fused engine only where the worker can run it, or while it is asked for', () => {
    const none = backendChoices({ requested: 'auto', engines: null });
    expect(none).toEqual(['auto', 'fastest', 'webgpu', 'webgl', 'wasm', 'cpu']);
    const wasmOnly = backendChoices({
      requested: 'auto',
      engines: {
        'wasm-fused': null,
        'wasm-fused-2t': null,
        'webgpu-fused': 'this browser has no WebGPU',
      },
    });
    expect(wasmOnly.slice(-3)).toEqual(['cpu', 'wasm-fused', 'wasm-fused-2t']);
    const asked = backendChoices({
      requested: 'webgpu-fused',
      engines: {
        'wasm-fused': null,
        'wasm-fused-2t': null,
        'webgpu-fused': 'this browser has no WebGPU',
      },
    });
    expect(asked.slice(-3)).toEqual(['wasm-fused', 'wasm-fused-2t', 'webgpu-fused']);
  });
});

describe('the store and the badge', () => {
  const engines = {
    'wasm-fused': null,
    'wasm-fused-2t': null,
    'webgpu-fused': 'this browser has no WebGPU',
  };

  it('keeps the engine and what the run really used; the badge says which', () => {
    let s = applyEvents(
      initialState(),
      [
        {
          type: 'ready',
          backend: 'wasm',
          engine: 'wasm-fused',
          engines,
          adapterInfo: null,
          fallbackReason: null,
          attempts: [],
          recovery: null,
        },
      ],
      0,
    );
    expect(s.backend).toMatchObject({ active: 'wasm', engine: 'wasm-fused', engines });
    expect(badgeText({ ...s.backend, requested: 'wasm-fused' })).toBe('WASM (fused)');

    const fused = {
      type: 'run-engine' as const,
      requested: 'wasm-fused' as const,
      used: 'wasm-fused' as const,
      backend: 'wasm' as const,
      reason: null,
    };
    s = applyEvents(s, [fused], 1);
    expect(s.backend.runEngine).toEqual(fused);
    expect(badgeText(s.backend)).toBe('WASM (fused)');

    const reason = 'the fused WASM step covers MAML and first-order MAML only';
    s = applyEvents(s, [{ ...fused, used: 'wasm', reason }], 2);
    expect(badgeText(s.backend)).toBe('WASM (tfjs: WASM (fused) does not cover this run)');

    // another backend picked outside a run: the last run's engine no longer applies
    s = applyEvents(
      s,
      [
        {
          type: 'ready',
          backend: 'cpu',
          adapterInfo: null,
          fallbackReason: null,
          attempts: [],
          recovery: null,
        },
      ],
      3,
    );
    expect(s.backend).toMatchObject({ active: 'cpu', engine: null, runEngine: null, engines });
  });

  it('names the engine a run moved from', () => {
    expect(
      badgeText({
        requested: 'wasm',
        active: 'wasm',
        adapterInfo: null,
        fallbackReason: null,
        recovery: { from: 'wasm-fused', reason: 'WASM (fused) failed: x', resumedFromStep: 3 },
      }),
    ).toBe('WASM (WASM (fused) failed)');
  });
});

describe('actions on a fused engine', () => {
  it('a restart re-asks for the fused engine; Reset forgets what the last run used', () => {
    const sent: Command[] = [];
    let restarts = 0;
    const store = createStore<AppState>()(() => initialState());
    const port = { send: (c: Command) => void sent.push(c), restart: () => void restarts++ };
    const a = createActions(store, port, () => 0);
    a.init({ backend: 'wasm-fused', hideWebgpu: false });
    expect(sent[0]).toEqual({ type: 'init', backend: 'wasm-fused', hideWebgpu: false });
    const ready: WorkerEvent = {
      type: 'ready',
      backend: 'wasm',
      engine: 'wasm-fused',
      adapterInfo: null,
      fallbackReason: null,
      attempts: [],
      recovery: null,
    };
    const loaded: WorkerEvent = {
      type: 'data-loaded',
      summary: {
        name: 'sinusoid',
        kind: 'regression',
        inputDim: 1,
        description: '',
        splitSizes: { train: null, val: null, test: null },
      },
    };
    a.receive([ready, loaded]);
    a.train();
    a.receive([
      { type: 'run-engine', requested: 'wasm-fused', used: 'wasm', backend: 'wasm', reason: 'x' },
      { type: 'compiling', message: 'Compiling WASM kernels…' },
    ]);
    expect(store.getState().backend.runEngine?.used).toBe('wasm');
    sent.length = 0;
    a.stop();
    expect(restarts).toBe(1);
    expect(sent[0]).toEqual({ type: 'init', backend: 'wasm-fused', hideWebgpu: false });
    a.receive([ready, loaded]);
    a.train();
    a.receive([
      { type: 'run-engine', requested: 'wasm-fused', used: 'wasm', backend: 'wasm', reason: 'x' },
    ]);
    a.reset();
    expect(store.getState().backend.runEngine).toBeNull();
  });
});
