/**
 * The browser entry: start the training worker, bind the store to it, read
 * the URL's backend switches, and render the app.
 *
 * URL parameters: `?backend=webgpu|webgl|wasm|cpu` forces a backend (the
 * fallback order continues after it if it fails), `?backend=fastest` probes
 * them and keeps the fastest; `?nowebgpu=1` hides WebGPU
 * from the worker, as in a browser without it; `?debug=1` exposes test hooks
 * on `window.__mlp` (used by the browser tests to simulate a lost GPU device).
 * A fragment `#s1.…` is a share link: its session opens read-only.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { connectStore } from './store';
import { createTrainingClient } from './worker/client';
import { lazySessionStore } from './sessions/store/lazy';
import { browserSessionEnv } from './ui/sessions/browser-env';
import { startSessions } from './ui/sessions/start';
import type { BackendPick } from './worker/protocol';
import { runCase } from './bench/runner';
import { browserBackends } from './bench/probe';
import './ui/styles.css';

const BACKENDS: readonly string[] = ['auto', 'fastest', 'webgpu', 'webgl', 'wasm', 'cpu'];

const params = new URLSearchParams(window.location.search);
const requested = params.get('backend') ?? 'auto';
const backend = (BACKENDS.includes(requested) ? requested : 'auto') as BackendPick;
const hideWebgpu = params.get('nowebgpu') === '1';

const sessionStore = lazySessionStore();
const actions = connectStore(
  createTrainingClient(),
  { store: sessionStore, env: browserSessionEnv },
  { run: runCase, available: browserBackends },
);
actions.init({ backend, hideWebgpu });
startSessions(sessionStore);

if (params.get('debug') === '1') {
  (window as unknown as { __mlp: object }).__mlp = { loseGpuDevice: actions.loseGpuDevice };
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
