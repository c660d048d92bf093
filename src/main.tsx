/**
 * The browser entry: read the settings in the address (store/url: the
 * configuration, data family and backend in the fragment, the switches
 * `?nowebgpu=1` and `?debug=1` in the query; the README lists them), start
 * the training worker with them (the Backend choice also from localStorage
 * when the address does not say), keep the address up to date as the person
 * edits, and render the app. `?debug=1` exposes test hooks on `window.__mlp`
 * (used by the browser tests to simulate a lost GPU device). A fragment
 * `#s1.…` is a share link: its session opens read-only (ui/sessions/start.ts).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { connectStore, useAppStore } from './store';
import { readUrl, REMEMBERED_KEY } from './store/url/codec';
import { keepUrl } from './store/url/bind';
import { createTrainingClient } from './worker/client';
import { lazySessionStore } from './sessions/store/lazy';
import { browserSessionEnv } from './ui/sessions/browser-env';
import { startSessions } from './ui/sessions/start';
import { runCase } from './bench/runner';
import { browserBackends } from './bench/probe';
import './ui/styles.css';

/** localStorage may be blocked (private mode, a sandboxed frame): then nothing is remembered. */
function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function rememberedSettings(): string | null {
  try {
    return storage()?.getItem(REMEMBERED_KEY) ?? null;
  } catch {
    return null;
  }
}

const remembered = rememberedSettings();
const url = readUrl(window.location.search, window.location.hash, { remembered });
const { config, family, backend, hideWebgpu, debug } = url.settings;

const sessionStore = lazySessionStore();
const actions = connectStore(
  createTrainingClient(),
  { store: sessionStore, env: browserSessionEnv },
  { run: runCase, available: browserBackends },
);
actions.init({ backend, hideWebgpu, config, family: family ?? undefined });
keepUrl(useAppStore, actions, window, url.problems, storage());
startSessions(sessionStore);

if (debug) {
  (window as unknown as { __mlp: object }).__mlp = { loseGpuDevice: actions.loseGpuDevice };
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
