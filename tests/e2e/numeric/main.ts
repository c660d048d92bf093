/**
 * The in-browser numeric test page: for each backend in webgpu, webgl,
 * wasm, cpu it tries to set that backend (core/backend.ts) and, when it is
 * really there, runs the engine's numeric checks; a backend the browser does
 * not have is reported as missing with the reason, never as passed. The
 * results go to `window.__numeric` (for Playwright) and to a table on the page.
 */
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { chooseBackend } from '../../../src/core/backend';
import { BACKEND_ORDER, type BackendName } from '../../../src/core/spec/backend';
import {
  batchedVsLoop,
  convForwardAndGrad,
  convVersusCpu,
  finiteDifferences,
  productGradient,
  versusCpu,
  type CheckResult,
} from './checks';
import { fusedChecks, fusedReferences, type FusedReport } from './fused';

export interface BackendReport {
  backend: BackendName;
  status: 'ran' | 'missing' | 'crashed';
  reason: string;
  checks: CheckResult[];
  seconds: number;
}

const wasmPaths = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

declare global {
  interface Window {
    __numeric?: { done: boolean; reports: BackendReport[] };
    /** `?only=fused`: the fused WebGPU meta-step against the cpu tape */
    __fused?: FusedPageState;
  }
}

export interface FusedPageState extends Partial<FusedReport> {
  done: boolean;
  status: 'ran' | 'missing' | 'crashed' | 'running';
  reason: string;
  seconds: number;
}

function render(reports: BackendReport[]): void {
  const rows = reports.flatMap((r) =>
    r.status !== 'ran'
      ? [`<tr><td>${r.backend}</td><td colspan="4">${r.status}: ${r.reason}</td></tr>`]
      : r.checks.map(
          (c) =>
            `<tr><td>${r.backend}</td><td>${c.check}</td><td>${c.maxAbsDiff.toExponential(2)}</td><td>${c.tolerance}</td><td>${c.pass ? 'pass' : 'FAIL'}</td></tr>`,
        ),
  );
  document.getElementById('out')!.innerHTML =
    `<table><tr><th>backend</th><th>check</th><th>max |diff|</th><th>tolerance</th><th>result</th></tr>${rows.join('')}</table>`;
}

async function main(): Promise<void> {
  const state = { done: false, reports: [] as BackendReport[] };
  window.__numeric = state;
  // CPU first: its gradient is the reference the others are compared with.
  const order: BackendName[] = ['cpu', ...BACKEND_ORDER.filter((b) => b !== 'cpu')];
  let cpuGrad: Float32Array | null = null;
  let cpuConv: Awaited<ReturnType<typeof convForwardAndGrad>> | null = null;
  for (const backend of order) {
    const t0 = performance.now();
    const report: BackendReport = { backend, status: 'ran', reason: '', checks: [], seconds: 0 };
    try {
      const choice = await chooseBackend({ preferred: backend, wasmPaths });
      if (choice.backend !== backend) {
        report.status = 'missing';
        report.reason =
          choice.attempts.find((a) => a.backend === backend)?.reason ?? 'not available';
      } else {
        const g = await productGradient();
        if (backend === 'cpu') cpuGrad = g;
        else if (cpuGrad) report.checks.push(versusCpu(backend, g, cpuGrad));
        report.checks.push(await batchedVsLoop(backend, g));
        report.checks.push(await finiteDifferences(backend, 'mse'));
        report.checks.push(await finiteDifferences(backend, 'ce'));
        const conv = await convForwardAndGrad();
        if (backend === 'cpu') cpuConv = conv;
        else if (cpuConv) report.checks.push(...convVersusCpu(backend, conv, cpuConv));
      }
    } catch (e) {
      report.status = 'crashed';
      report.reason = e instanceof Error ? e.message : String(e);
    }
    report.seconds = (performance.now() - t0) / 1000;
    state.reports.push(report);
    render(state.reports);
  }
  state.done = true;
  document.title = `numeric: done (${tf.version.tfjs})`;
}

/** `?only=fused`: the references on cpu, then the fused step on webgpu. */
async function mainFused(): Promise<void> {
  const state: FusedPageState = { done: false, status: 'running', reason: '', seconds: 0 };
  window.__fused = state;
  const t0 = performance.now();
  try {
    await chooseBackend({ preferred: 'cpu' });
    const refs = await fusedReferences();
    const choice = await chooseBackend({ preferred: 'webgpu', wasmPaths });
    if (choice.backend !== 'webgpu') {
      state.status = 'missing';
      state.reason = choice.attempts.find((a) => a.backend === 'webgpu')?.reason ?? 'not available';
    } else {
      Object.assign(state, await fusedChecks(refs));
      state.status = 'ran';
      render([
        { backend: 'webgpu', status: 'ran', reason: '', checks: state.checks ?? [], seconds: 0 },
      ]);
    }
  } catch (e) {
    state.status = 'crashed';
    state.reason = e instanceof Error ? e.message : String(e);
  }
  state.seconds = (performance.now() - t0) / 1000;
  state.done = true;
}

void (new URLSearchParams(location.search).get('only') === 'fused' ? mainFused() : main());
