/**
 * The address kept in step with the store (src/store/url/bind.ts), with the
 * real actions over a fake worker port and a fake window whose history
 * counts its entries: edits replace the fragment (never push), share links
 * and views are left alone, a pasted settings fragment is applied (asking
 * first when a run exists), and the page's own fragment is not read back.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { defaultConfig } from '../../../src/core/spec/config';
import { createActions, type Actions } from '../../../src/store/actions';
import { initialState, type AppState } from '../../../src/store/slices';
import { keepUrl, type UrlWindow } from '../../../src/store/url/bind';
import { REMEMBERED_KEY, readUrl, settingsHash } from '../../../src/store/url/codec';
import { defaultSettings } from '../../../src/store/url/settings';
import type { Command, WorkerEvent } from '../../../src/worker/protocol';

class FakeWindow implements UrlWindow {
  location = { pathname: '/', search: '', hash: '' };
  /** entries a person can go Back through; replaceState changes the last one */
  entries: string[] = [];
  replaced = 0;
  private listeners: (() => void)[] = [];
  history = {
    state: null,
    replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => {
      this.replaced++;
      const u = new URL(String(url), 'http://localhost');
      this.location = { pathname: u.pathname, search: u.search, hash: u.hash };
      this.entries[this.entries.length - 1] = u.hash;
    },
  };
  constructor(search: string, hash: string) {
    this.location.search = search;
    this.location.hash = hash;
    this.entries = [hash];
  }
  addEventListener(_type: 'hashchange', fn: () => void) {
    this.listeners.push(fn);
  }
  removeEventListener(_type: 'hashchange', fn: () => void) {
    this.listeners = this.listeners.filter((l) => l !== fn);
  }
  /** A link followed or a fragment typed: a new entry and a hashchange. */
  navigate(hash: string) {
    this.location = { ...this.location, hash: hash === '#' ? '' : hash };
    this.entries.push(this.location.hash);
    for (const l of this.listeners) l();
  }
  back() {
    this.entries.pop();
    this.location = { ...this.location, hash: this.entries.at(-1) ?? '' };
    for (const l of this.listeners) l();
  }
}

const ready: WorkerEvent = {
  type: 'ready',
  backend: 'wasm',
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

let sent: Command[];
let store: StoreApi<AppState>;
let a: Actions;
let win: FakeWindow;
let stop: () => void;

/** Starts the page as main.tsx does, on an address. */
function open(search: string, hash: string) {
  win = new FakeWindow(search, hash);
  const url = readUrl(search, hash);
  const { config, family, backend, hideWebgpu } = url.settings;
  a.init({ backend, hideWebgpu, config, family: family ?? undefined });
  a.receive([ready, loaded]);
  stop = keepUrl(store, a, win, url.problems);
}

beforeEach(() => {
  sent = [];
  store = createStore<AppState>()(() => initialState());
  a = createActions(store, { send: (c) => sent.push(c) }, () => 0);
  stop?.();
});

const s = () => store.getState();
const hashSettings = () => readUrl(win.location.search, win.location.hash).settings;

describe('keepUrl', () => {
  it('opens /#algorithm=fomaml&shots=5&seed=3 with that setup and writes the full form', () => {
    open('', '#algorithm=fomaml&shots=5&seed=3');
    expect(s().setup.config).toEqual({ ...defaultConfig('fomaml'), shots: 5, seed: 3 });
    expect(s().url.problems).toEqual([]);
    expect(win.location.hash).toBe(
      settingsHash({ ...defaultSettings(), config: s().setup.config }),
    );
    expect(win.entries).toHaveLength(1);
  });

  it('starts the worker with the family and backend of the address', () => {
    open('?nowebgpu=1', '#data=blobs&backend=wasm');
    expect(sent.slice(0, 2)).toEqual([
      { type: 'init', backend: 'wasm', hideWebgpu: true },
      { type: 'load-data', data: { kind: 'builtin', name: 'blobs' } },
    ]);
    expect(win.location.search).toBe('?nowebgpu=1');
    expect(win.location.hash).toMatch(/^#v=1&data=blobs&.*&backend=wasm$/);
  });

  it('keeps the fragment up to date as the person edits, replacing the entry each time', () => {
    open('?backend=wasm', '');
    a.setConfig('shots', 7);
    a.setConfig('hidden', [64, 64, 64]);
    a.setFamily('linear');
    a.setBackend('cpu');
    expect(hashSettings()).toMatchObject({
      config: { shots: 7, hidden: [64, 64, 64] },
      family: 'linear',
      backend: 'cpu',
    });
    expect(win.entries).toHaveLength(1);
    expect(win.location.hash).toContain('hidden=64,64,64');
    const before = win.replaced;
    store.setState({ run: { ...s().run, step: 99 } }); // metrics do not touch the address
    a.setConfig('shots', 7); // nor does an edit to the same value
    expect(win.replaced).toBe(before);
  });

  it('shows the problems of the address and replaces its bad values with the defaults', () => {
    open('', '#shots=-3&seed=3&colour=red');
    expect(s().setup.config).toEqual({ ...defaultConfig(), seed: 3 });
    expect(s().url.problems.map((p) => p.key)).toEqual(['colour', 'shots']);
    expect(win.location.hash).toContain('shots=10&');
  });

  it('leaves a share link in the address alone, also when the configuration changes', () => {
    const link = '#s1.H4sIAAAAAAAAA_abc';
    open('?backend=wasm', link);
    a.setConfig('seed', 9);
    expect(win.location.hash).toBe(link);
    expect(win.replaced).toBe(0);
    win.navigate('#'); // "Training" in the header: the settings come back
    expect(hashSettings().config.seed).toBe(9);
  });

  it('leaves #benchmark alone; Back returns to its own fragment without reading it back', () => {
    open('', '');
    const own = win.location.hash;
    win.navigate('#benchmark');
    a.setBackend('cpu'); // the picker is in the header, on the Benchmark view too
    expect(win.location.hash).toBe('#benchmark');
    win.back();
    expect(s().backend.requested).toBe('cpu');
    expect(win.location.hash).toBe(own.replace('backend=auto', 'backend=cpu'));
  });

  it('applies a settings fragment pasted into the tab, at once when there is no run', () => {
    open('', '');
    win.navigate('#algorithm=reptile&data=blobs&ways=3&bogus=1');
    expect(s().setup.config).toEqual({ ...defaultConfig('reptile'), ways: 3 });
    expect(s().setup.family).toBe('blobs');
    expect(s().url.problems.map((p) => p.key)).toEqual(['bogus']);
    expect(hashSettings().config).toEqual(s().setup.config);
  });

  it('asks before a pasted fragment discards a run, and applies all of it when confirmed', () => {
    open('', '');
    a.train();
    a.receive([
      {
        type: 'progress',
        step: 2,
        totalSteps: 1000,
        stepsPerSec: 1,
        tasksPerSec: 1,
        recentTasksPerSec: 1,
        etaSec: 1,
        lastLoss: 1,
      },
    ]);
    win.navigate('#algorithm=fomaml&seed=5&backend=cpu');
    expect(s().setup.pending).toMatchObject({ kind: 'settings', backend: 'cpu' });
    expect(s().setup.config.algorithm).toBe('maml');
    a.confirmPending();
    expect(s().setup.config).toEqual({ ...defaultConfig('fomaml'), seed: 5 });
    expect(s().backend.requested).toBe('cpu');
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'cpu', hideWebgpu: false });
    expect(hashSettings()).toMatchObject({ backend: 'cpu', config: { seed: 5 } });
  });

  it('puts the current settings back when a pasted fragment is declined', () => {
    open('', '');
    a.train();
    a.receive([
      {
        type: 'progress',
        step: 2,
        totalSteps: 1000,
        stepsPerSec: 1,
        tasksPerSec: 1,
        recentTasksPerSec: 1,
        etaSec: 1,
        lastLoss: 1,
      },
    ]);
    win.navigate('#seed=5');
    a.cancelPending();
    expect(s().setup.config.seed).toBe(1);
    expect(hashSettings().config.seed).toBe(1);
  });

  it('leaves the data out while an uploaded CSV is trained on', () => {
    open('', '');
    store.setState({ csv: { ...s().csv, inUse: true } });
    expect(win.location.hash).not.toContain('data=');
  });

  it('stops when asked', () => {
    open('', '');
    stop();
    a.setConfig('seed', 4);
    win.navigate('#seed=6');
    expect(s().setup.config.seed).toBe(4);
    expect(win.location.hash).toBe('#seed=6');
  });
});

describe('the remembered Backend choice', () => {
  /** A page started as main.tsx starts it, with a localStorage stand-in. */
  function openRemembering(search: string, hash: string, storage: Map<string, string>) {
    win = new FakeWindow(search, hash);
    const url = readUrl(search, hash, { remembered: storage.get(REMEMBERED_KEY) ?? null });
    const { config, family, backend, hideWebgpu } = url.settings;
    a.init({ backend, hideWebgpu, config, family: family ?? undefined });
    a.receive([ready, loaded]);
    stop = keepUrl(store, a, win, url.problems, { setItem: (k, v) => storage.set(k, v) });
  }

  it('survives a reload of a bare address and a share link; the address still wins', () => {
    const storage = new Map<string, string>();
    openRemembering('?backend=cpu', '', storage);
    expect(storage.size).toBe(0); // what an address asked for is not remembered
    a.setBackend('wasm');
    expect(storage.get(REMEMBERED_KEY)).toBe('backend=wasm');
    stop();
    store = createStore<AppState>()(() => initialState());
    a = createActions(store, { send: (c) => sent.push(c) }, () => 0);
    openRemembering('', '', storage);
    expect(s().backend.requested).toBe('wasm');
    expect(sent.filter((c) => c.type === 'init').at(-1)).toMatchObject({ backend: 'wasm' });
    expect(readUrl('', '#s1.abc', { remembered: 'backend=wasm' }).settings.backend).toBe('wasm');
    expect(readUrl('?backend=cpu', '', { remembered: 'backend=wasm' }).settings.backend).toBe(
      'cpu',
    );
  });

  it('drops a remembered value it cannot use, and settings that are not remembered', () => {
    const read = readUrl('', '', { remembered: 'backend=quantum&shots=3' });
    expect(read.settings.backend).toBe('auto');
    expect(read.settings.config.shots).toBe(defaultConfig('maml').shots);
    expect(read.problems).toEqual([]);
  });
});
