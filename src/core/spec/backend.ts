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

/** What the WebGPU adapter says about itself (GPUAdapterInfo, as plain data). */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  device: string;
}

export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** why it was skipped or failed, worded for a person; empty when ok */
  reason: string;
}
