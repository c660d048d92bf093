/**
 * Backend choice with an ordered fallback webgpu → webgl → wasm → cpu. It
 * works in a dedicated Worker and in Node (no DOM): it reports what it got and
 * why it fell back instead of throwing, and only the pure-JS cpu backend, which
 * cannot fail, ends the chain.
 *
 * Invariants (see TFJS-NOTES.md):
 * - WebGPU is probed with navigator.gpu.requestAdapter() before tfjs is asked,
 *   so a browser without it is reported plainly ("no WebGPU in this browser").
 * - A failed tf.setBackend leaves tfjs pointing at the broken backend, so every
 *   failure is followed at once by setBackend on the next one in the order.
 * - tfjs never watches the GPU device: watchGpuDevice() listens to the webgpu
 *   backend's device.lost promise and its uncaptured errors, and the caller
 *   decides how to recover (the worker restarts from its last checkpoint on the
 *   next backend).
 * - WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE is set to 100 (faster whole steps here).
 * - WASM runs single-threaded: the threaded build starts its pthreads from a
 *   Blob holding its factory's source text (`WasmBackendModuleThreadedSimd
 *   .toString()`), which a bundler's renaming breaks ("e is not defined" in
 *   every pthread, and setBackend('wasm') never settles). SIMD stays on.
 * - No attempt may hang: a backend that does not start within
 *   BACKEND_START_TIMEOUT_MS counts as failed and the next one is tried.
 *
 * The WASM binaries' URLs are the caller's business (Vite's `?url` imports in
 * the worker; Node finds them next to the module), passed as `wasmPaths`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

import {
  BACKEND_LABELS,
  BACKEND_ORDER,
  type AdapterInfo,
  type BackendAttempt,
  type BackendName,
} from './spec/backend';

export interface BackendChoice {
  backend: BackendName;
  /** WebGPU adapter info when the chosen backend is webgpu, else null */
  adapterInfo: AdapterInfo | null;
  /** why the first backend tried was not the one we got; null when it was */
  fallbackReason: string | null;
  attempts: BackendAttempt[];
}

export interface ChooseOptions {
  /** try this backend first (the person forced it); the rest of the order follows it */
  preferred?: BackendName;
  /** backends never to try (e.g. webgpu after its device was lost), with the reason */
  exclude?: Partial<Record<BackendName, string>>;
  /** where the WASM binaries are served: a URL prefix or one URL per file name */
  wasmPaths?: string | Record<string, string>;
}

/** The minimal slice of the WebGPU API used here (no dependency on @webgpu/types). */
interface GpuAdapterLike {
  info?: Partial<AdapterInfo>;
  /** before Chromium 136 the flag lived on the adapter, not its info */
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(opts?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}
interface GpuDeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
  destroy(): void;
  addEventListener?(
    type: 'uncapturederror',
    cb: (e: { error?: { message?: string } }) => void,
  ): void;
  removeEventListener?(
    type: 'uncapturederror',
    cb: (e: { error?: { message?: string } }) => void,
  ): void;
}

function gpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu ?? undefined;
}

/** The order to try: the preferred backend first, then those after it in BACKEND_ORDER. */
export function backendOrder(preferred?: BackendName): BackendName[] {
  if (!preferred) return [...BACKEND_ORDER];
  const i = BACKEND_ORDER.indexOf(preferred);
  return BACKEND_ORDER.slice(i);
}

/** The backend after `current` in the fallback order, or null after cpu. */
export function nextBackend(current: BackendName): BackendName | null {
  const i = BACKEND_ORDER.indexOf(current);
  return BACKEND_ORDER[i + 1] ?? null;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function probeWebgpu(): Promise<{ info: AdapterInfo } | { reason: string }> {
  const g = gpu();
  if (!g) return { reason: 'no WebGPU in this browser' };
  try {
    const adapter = await g.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { reason: 'WebGPU found no usable GPU adapter' };
    const i = adapter.info ?? {};
    return {
      info: {
        vendor: i.vendor ?? '',
        architecture: i.architecture ?? '',
        description: i.description ?? '',
        device: i.device ?? '',
        isFallbackAdapter: i.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
      },
    };
  } catch (e) {
    return { reason: `WebGPU adapter request failed: ${messageOf(e)}` };
  }
}

/** Long enough for a slow adapter or a WASM download, short enough not to look frozen. */
export const BACKEND_START_TIMEOUT_MS = 30_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** One attempt: null when tfjs now runs on `name`, else why not. */
async function trySet(name: BackendName): Promise<string | null> {
  const quiet = console.warn;
  try {
    // tfjs logs every failed initialization; the attempt list reports it instead.
    console.warn = () => {};
    const ok = await withTimeout(tf.setBackend(name), BACKEND_START_TIMEOUT_MS, 'starting');
    if (!ok) return `${BACKEND_LABELS[name]} failed to start`;
    await tf.ready();
    // A smoke test: a backend that initializes but cannot run a kernel is no backend.
    const t = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
    const v = await withTimeout(t.data(), BACKEND_START_TIMEOUT_MS, 'a first kernel');
    t.dispose();
    if (v[0] !== 3) return `${BACKEND_LABELS[name]} computed 1 + 2 = ${v[0]}`;
    return null;
  } catch (e) {
    return `${BACKEND_LABELS[name]} failed to start: ${messageOf(e)}`;
  } finally {
    console.warn = quiet;
  }
}

let wasmPathsSet = false;

/**
 * Sets the first backend of the order that works and says what happened.
 * Always resolves: cpu is the last resort and needs nothing from the platform.
 */
export async function chooseBackend(opts: ChooseOptions = {}): Promise<BackendChoice> {
  tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', 100);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (opts.wasmPaths !== undefined && !wasmPathsSet) {
    // Allowed once, before the wasm backend first initializes (it throws afterwards).
    setWasmPaths(opts.wasmPaths as Parameters<typeof setWasmPaths>[0]);
    wasmPathsSet = true;
  }
  const attempts: BackendAttempt[] = [];
  const order = backendOrder(opts.preferred);
  let adapterInfo: AdapterInfo | null = null;
  for (const name of order) {
    const excluded = opts.exclude?.[name];
    if (excluded !== undefined) {
      attempts.push({ backend: name, ok: false, reason: excluded });
      continue;
    }
    if (name === 'webgpu') {
      const probe = await probeWebgpu();
      if ('reason' in probe) {
        attempts.push({ backend: name, ok: false, reason: probe.reason });
        continue;
      }
      adapterInfo = probe.info;
    }
    const failure = await trySet(name);
    if (failure === null) {
      attempts.push({ backend: name, ok: true, reason: '' });
      const skipped = attempts.filter((a) => !a.ok);
      return {
        backend: name,
        adapterInfo: name === 'webgpu' ? adapterInfo : null,
        fallbackReason: skipped.length ? skipped.map((a) => a.reason).join('; ') : null,
        attempts,
      };
    }
    attempts.push({ backend: name, ok: false, reason: failure });
  }
  // Every backend failed, cpu included: should not happen, but say so rather than hang.
  throw new Error(
    `No TensorFlow.js backend could start: ${attempts.map((a) => a.reason).join('; ')}`,
  );
}

/** The GPUDevice of the active webgpu backend, or null on any other backend. */
function activeGpuDevice(): GpuDeviceLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const b = tf.backend() as unknown as { device?: GpuDeviceLike };
  return b.device ?? null;
}

export interface GpuTrouble {
  kind: 'device-lost' | 'gpu-error' | 'out-of-memory';
  message: string;
}

/**
 * Calls `onTrouble` once when the webgpu device is lost or reports an
 * uncaptured error (a shader that failed to compile, a failed allocation).
 * Returns a function that stops listening; a no-op on other backends.
 */
export function watchGpuDevice(onTrouble: (t: GpuTrouble) => void): () => void {
  const device = activeGpuDevice();
  if (!device) return () => {};
  let active = true;
  const fire = (t: GpuTrouble) => {
    if (!active) return;
    active = false;
    onTrouble(t);
  };
  void device.lost.then((info) =>
    fire({
      kind: 'device-lost',
      message: `the GPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''})`,
    }),
  );
  const onError = (e: { error?: { message?: string; constructor?: { name?: string } } }) => {
    const name = e.error?.constructor?.name ?? '';
    const message = e.error?.message ?? 'unknown GPU error';
    fire(
      name === 'GPUOutOfMemoryError'
        ? { kind: 'out-of-memory', message: `the GPU ran out of memory: ${message}` }
        : { kind: 'gpu-error', message: `a GPU kernel failed: ${message}` },
    );
  };
  device.addEventListener?.('uncapturederror', onError);
  return () => {
    active = false;
    device.removeEventListener?.('uncapturederror', onError);
  };
}

/** Destroys the webgpu device, as a driver reset would. For tests of the recovery path only. */
export function loseGpuDeviceForTesting(): boolean {
  const device = activeGpuDevice();
  if (!device) return false;
  device.destroy();
  return true;
}
