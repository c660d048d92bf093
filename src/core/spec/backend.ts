/**
 * The tfjs backends by name, in the fallback order, with the words people
 * read. Apart from core/backend.ts (which loads tfjs) so the page — header
 * badge, Benchmark page, the Fastest probe — can use them without loading
 * tfjs on the main thread.
 */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

export function isBackendName(s: string): s is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(s);
}

/**
 * Meta-step engines of our own running on a tfjs backend's device (issue
 * 16), offered by the benchmark next to the tfjs backends.
 */
export const FUSED_ENGINES = ['webgpu-fused'] as const;
export type FusedEngineName = (typeof FUSED_ENGINES)[number];

/** What a benchmark case runs on: a tfjs backend or one of the fused engines. */
export type BenchBackendName = BackendName | FusedEngineName;

export const BENCH_BACKEND_LABELS: Record<BenchBackendName, string> = {
  ...BACKEND_LABELS,
  'webgpu-fused': 'WebGPU (fused)',
};

/** The tfjs backend a benchmark backend starts (a fused engine uses its device). */
export function tfjsBackendOf(b: BenchBackendName): BackendName {
  return b === 'webgpu-fused' ? 'webgpu' : b;
}

export function isFusedEngine(b: BenchBackendName): b is FusedEngineName {
  return (FUSED_ENGINES as readonly string[]).includes(b);
}

/** What the WebGPU adapter says about itself (GPUAdapterInfo, as plain data). */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  device: string;
  /** GPUAdapterInfo.isFallbackAdapter (or the adapter's own flag in older browsers): a CPU-backed adapter */
  isFallbackAdapter?: boolean;
}

/** Software rasterizers that implement WebGPU on the CPU (slower than WASM for small models). */
const SOFTWARE_GPU = /swiftshader|llvmpipe|lavapipe|softpipe|software/i;

/**
 * Why this WebGPU adapter is a software one ("a software GPU (SwiftShader)"),
 * or null for real hardware. "Best available" does not trust such an adapter
 * to be the fastest: it times the backends instead.
 */
export function softwareGpuReason(info: AdapterInfo | null): string | null {
  if (!info) return null;
  const named = [info.architecture, info.description, info.vendor, info.device]
    .map((t) => SOFTWARE_GPU.exec(t)?.[0])
    .find((m) => m !== undefined);
  if (named)
    return `a software GPU (${named.toLowerCase() === 'swiftshader' ? 'SwiftShader' : named})`;
  return info.isFallbackAdapter ? 'a software GPU (fallback adapter)' : null;
}

export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** why it was skipped or failed, worded for a person; empty when ok */
  reason: string;
}
