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
 * Meta-step engines of our own (issue 16) that the Benchmark page, the bench
 * and the CLI offer next to the tfjs backends. Each runs the meta-gradient
 * of MAML and first-order MAML on the MLP itself and everything else on the
 * tfjs backend under it (FUSED_BASE; the WebGPU one on that backend's GPU
 * device); neither is in the fallback order.
 */
export const FUSED_BACKENDS = ['wasm-fused', 'wasm-fused-2t', 'webgpu-fused'] as const;
export type FusedBackendName = (typeof FUSED_BACKENDS)[number];
export const FUSED_BASE: Record<FusedBackendName, BackendName> = {
  'wasm-fused': 'wasm',
  'wasm-fused-2t': 'wasm',
  'webgpu-fused': 'webgpu',
};
/**
 * Threads a fused engine splits each meta-batch across: 'wasm-fused-2t' is
 * the WASM one with a helper thread (createLearner's `threads: 2`).
 */
export const FUSED_THREADS: Record<FusedBackendName, 1 | 2> = {
  'wasm-fused': 1,
  'wasm-fused-2t': 2,
  'webgpu-fused': 1,
};
/** A tfjs backend or a fused engine: what a benchmark case or a CLI run names. */
export type EngineBackendName = BackendName | FusedBackendName;
export const ENGINE_BACKEND_LABELS: Record<EngineBackendName, string> = {
  ...BACKEND_LABELS,
  'wasm-fused': 'WASM (fused)',
  'wasm-fused-2t': 'WASM (fused, 2 threads)',
  'webgpu-fused': 'WebGPU (fused)',
};

export function isFusedBackend(s: string): s is FusedBackendName {
  return (FUSED_BACKENDS as readonly string[]).includes(s);
}

/** Every name a person may pick or a session may record, tfjs backends first. */
export const ENGINE_BACKENDS: readonly EngineBackendName[] = [...BACKEND_ORDER, ...FUSED_BACKENDS];

export function isEngineBackendName(s: string): s is EngineBackendName {
  return isBackendName(s) || isFusedBackend(s);
}

/**
 * What the page says when a run asked for a fused engine trains on tfjs
 * instead: the engine, why it does not apply (the learner's own reason),
 * and where the run really trains. Nothing silently pretends.
 */
export function fusedFallbackSentence(
  engine: FusedBackendName,
  reason: string,
  base: BackendName = FUSED_BASE[engine],
  used?: EngineBackendName | null,
): string {
  if (used && isFusedBackend(used))
    return `${ENGINE_BACKEND_LABELS[engine]} could not start its second thread (${reason}); this run uses ${ENGINE_BACKEND_LABELS[used]}, on one thread.`;
  return `${ENGINE_BACKEND_LABELS[engine]} covers MAML and first-order MAML on the MLP; this run uses tfjs on ${BACKEND_LABELS[base]} (${reason}).`;
}

/** The tfjs backend a benchmark case or a CLI run starts (a fused engine's base). */
export function tfjsBackendOf(b: EngineBackendName): BackendName {
  return isFusedBackend(b) ? FUSED_BASE[b] : b;
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
