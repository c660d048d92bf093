/**
 * The backend badge's words: which backend the worker runs on and, when it
 * is not the one asked for, the short reason ("WebGPU · swiftshader",
 * "WebGL (no WebGPU in this browser)"); with "Fastest", the probe's state and
 * the winner's figure ("WASM · fastest: 64 steps/s"). Pure, so it is
 * unit-tested.
 */
import { IMAGE_PROBE_REASON, type ProbeFigure } from '../../bench/probe';
import type { BackendSlice, ProbeState } from '../../store/slices';
import { BACKEND_LABELS, ENGINE_BACKEND_LABELS } from '../../core/spec/backend';

export { BACKEND_LABELS };

type BadgeInput = Pick<
  BackendSlice,
  'active' | 'adapterInfo' | 'fallbackReason' | 'recovery' | 'requested'
> &
  Partial<Pick<BackendSlice, 'engine' | 'runEngine'>> & { probe?: ProbeState };

/** Meta-steps/s as a person reads it: whole numbers from 10 up, else two significant digits. */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return '–';
  return perSec >= 10 ? perSec.toFixed(0) : perSec.toPrecision(2);
}

function figureWords(f: ProbeFigure): string {
  return f.status === 'ok' && f.stepsPerSec !== null
    ? `${BACKEND_LABELS[f.backend]} ${formatRate(f.stepsPerSec)} steps/s`
    : `${BACKEND_LABELS[f.backend]} ${f.note}`;
}

/** The badge's tooltip under "Fastest": every probed backend's figure. */
export function probeTitle(p: ProbeState): string | null {
  if (p.figures.length === 0) return null;
  const head =
    p.phase === 'probing' ? 'Probing (meta-steps/s so far)' : 'Timed probe (meta-steps/s)';
  return `${head} on the current configuration: ${p.figures.map(figureWords).join(' · ')}`;
}

/** The probe speaks for the badge under "Fastest", and under "Best available" on a software GPU. */
export function probing(b: BadgeInput): boolean {
  return !!b.probe && (b.requested === 'fastest' || (b.requested === 'auto' && !!b.probe.because));
}

function fastestText(b: BadgeInput): string | null {
  const p = b.probe;
  if (!p || !probing(b)) return null;
  // "WebGPU is a software GPU (SwiftShader): timed" says why Best available did not take it.
  const why =
    p.because === IMAGE_PROBE_REASON
      ? ' (timed on a conv step)'
      : p.because
        ? ` (WebGPU here is ${p.because})`
        : '';
  if (p.phase === 'probing')
    return `Probing backends… ${p.current ? BACKEND_LABELS[p.current] : ''}`.trim() + why;
  if (!b.active) return null;
  const label = BACKEND_LABELS[b.active];
  if (p.phase === 'failed') return `${label} (no backend finished the probe)`;
  const won = p.figures.find((f) => f.backend === p.chosen);
  if (p.phase === 'done' && p.chosen === b.active && won?.stepsPerSec != null)
    return `${label} · fastest: ${formatRate(won.stepsPerSec)} steps/s${why}`;
  return null;
}

/**
 * A fused engine's words: its name while runs use it ("WASM (fused)"), or
 * the tfjs backend with the reason when this run's settings are not fused.
 */
function engineText(b: BadgeInput): string | null {
  const run = b.runEngine;
  if (run?.requested && run.used !== run.requested)
    return `${BACKEND_LABELS[run.backend]} (tfjs: ${ENGINE_BACKEND_LABELS[run.requested]} does not cover this run)`;
  if (!b.engine) return null;
  const label = ENGINE_BACKEND_LABELS[b.engine];
  const i = b.engine === 'webgpu-fused' ? b.adapterInfo : null;
  const what = i ? i.architecture || i.vendor || i.description : '';
  return what ? `${label} · ${what}` : label;
}

export function badgeText(b: BadgeInput): string {
  const fastest = fastestText(b);
  if (fastest) return fastest;
  if (!b.active) return 'Starting backend…';
  const engine = engineText(b);
  if (engine) return engine;
  const label = BACKEND_LABELS[b.active];
  if (b.active === 'webgpu') {
    const i = b.adapterInfo;
    const what = i ? i.architecture || i.vendor || i.description : '';
    return what ? `${label} · ${what}` : label;
  }
  if (b.recovery && !b.recovery.moved) {
    const from = ENGINE_BACKEND_LABELS[b.recovery.from];
    const lost = /device was lost/.test(b.recovery.reason) ? 'device lost' : 'failed';
    return `${label} (${from} ${lost})`;
  }
  if (b.fallbackReason) return `${label} (${b.fallbackReason.split(';')[0]?.trim()})`;
  return b.requested === b.active ? `${label} (selected)` : label;
}
