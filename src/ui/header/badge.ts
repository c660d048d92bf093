/**
 * The backend badge's words: which backend the worker runs on and, when it
 * is not the one asked for, the short reason ("WebGPU · swiftshader",
 * "WebGL (no WebGPU in this browser)"). Pure, so it is unit-tested.
 */
import type { BackendSlice } from '../../store/slices';
import type { BackendName } from '../../worker/protocol';

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

export function badgeText(
  b: Pick<BackendSlice, 'active' | 'adapterInfo' | 'fallbackReason' | 'recovery' | 'requested'>,
): string {
  if (!b.active) return 'Starting backend…';
  const label = BACKEND_LABELS[b.active];
  if (b.active === 'webgpu') {
    const i = b.adapterInfo;
    const what = i ? i.architecture || i.vendor || i.description : '';
    return what ? `${label} · ${what}` : label;
  }
  if (b.recovery) {
    const from = BACKEND_LABELS[b.recovery.from];
    const lost = /device was lost/.test(b.recovery.reason) ? 'device lost' : 'failed';
    return `${label} (${from} ${lost})`;
  }
  if (b.fallbackReason) return `${label} (${b.fallbackReason.split(';')[0]?.trim()})`;
  return b.requested === b.active ? `${label} (selected)` : label;
}
