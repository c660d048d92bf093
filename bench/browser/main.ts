/**
 * The browser benchmark page: runs the case described by the query string
 * (backend, algorithm, B, hidden, layout, seconds, profile, WEBGPU_* flags)
 * in a fresh worker — one tfjs per case, so backends never share state — and
 * puts the result on window.__bench (for `npm run bench:browser`) and on the page.
 */
import type { BackendName } from '../../src/core/backend';
import type { AlgorithmName } from '../../src/core/train/config';
import type { BenchCase } from './measure';

declare global {
  interface Window {
    __bench?: { ok: true; result: unknown } | { ok: false; error: string };
  }
}

const q = new URLSearchParams(location.search);
const c: BenchCase = {
  backend: (q.get('backend') ?? 'webgpu') as BackendName,
  algorithm: (q.get('algorithm') ?? 'maml') as AlgorithmName,
  metaBatch: Number(q.get('B') ?? 25),
  hidden: (q.get('hidden') ?? '40,40').split(',').map(Number),
  layout: (q.get('layout') ?? 'batched') as 'batched' | 'loop',
  seconds: Number(q.get('seconds') ?? 10),
  profile: q.get('profile') === '1',
  flags: Object.fromEntries(
    [...q.entries()].filter(([k]) => k.startsWith('WEBGPU_')).map(([k, v]) => [k, Number(v)]),
  ),
};
const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (e: MessageEvent<NonNullable<Window['__bench']>>) => {
  window.__bench = e.data;
  document.getElementById('out')!.textContent = JSON.stringify(e.data, null, 2);
  worker.terminate();
};
worker.onerror = (e) => {
  window.__bench = { ok: false, error: e.message || 'the bench worker failed to load' };
};
worker.postMessage(c);
