/**
 * The "Fastest" backend choice: a short timed probe of each candidate backend
 * on the app's current configuration (method, meta-batch, hidden sizes, the
 * episode shape of the selected built-in family), each case in its own
 * throwaway bench worker with a time budget, then the fastest one wins.
 *
 * Pure apart from the injected case runner, so the choice is unit-tested
 * with a fake. No tfjs here (core/spec/backend, not core/backend): the page
 * imports this.
 */
import { BACKEND_ORDER, type BackendName } from '../core/spec/backend';
import type { BuiltinName } from '../core/spec/builtin';
import { backboneOf, type TrainConfig } from '../core/spec/config';
import type { BenchCase } from './measure';
import type { CaseOutcome, CaseRunner } from './runner';

export interface ProbeFigure {
  backend: BackendName;
  status: 'ok' | 'over-budget' | 'error' | 'stopped';
  /** meta-steps per second; null unless ok */
  stepsPerSec: number | null;
  /** the first step (kernel compilation included), ms; null unless ok */
  firstStepMs: number | null;
  /** why there is no figure, worded for a person; empty when ok */
  note: string;
}

/** Timed seconds per backend: enough for tens of steps on WASM, short enough to wait for. */
export const PROBE_SECONDS = 1;
/** A backend still compiling after this long is not the fastest here. */
export const PROBE_BUDGET_MS = 15_000;

/**
 * A conv step takes 0.2–10 s on this machine's backends (and its first one
 * longer): the image probe gets a minute per backend.
 */
export const PROBE_IMAGE_BUDGET_MS = 60_000;

/** Why "Best available" probes an image configuration (the badge words it). */
export const IMAGE_PROBE_REASON = 'image tasks';

/** Image configurations (Conv-4) probe with a conv step, whatever the GPU. */
export function isImageConfig(c: Pick<TrainConfig, 'backbone'>): boolean {
  return backboneOf(c) === 'conv4';
}

/**
 * The backends a probe of this configuration tries, in `order`. An image
 * configuration leaves out the pure-JS CPU backend when WASM is there, and
 * WebGPU when its adapter is a software one (SwiftShader): both run a conv
 * step many times slower than WASM (BENCHMARKS.md, issue 13 speed) and would
 * only spend the probe's minute each.
 */
export function probeCandidates(
  order: readonly BackendName[],
  available: ReadonlySet<BackendName>,
  c: Pick<TrainConfig, 'backbone'>,
  softwareGpu = false,
): BackendName[] {
  const have = order.filter((b) => available.has(b));
  if (!isImageConfig(c) || !have.includes('wasm')) return have;
  return have.filter((b) => b !== 'cpu' && !(softwareGpu && b === 'webgpu'));
}

/** What the probe measures: the configuration knobs that change a meta-step's cost. */
export function probeKey(family: BuiltinName, c: TrainConfig): string {
  const { algorithm, metaBatch, hidden, shots, ways, queries, innerSteps, backbone, filters } = c;
  return JSON.stringify({
    family,
    algorithm,
    metaBatch,
    hidden,
    shots,
    ways,
    queries,
    innerSteps,
    ...(isImageConfig(c) ? { backbone, filters } : {}),
  });
}

export function probeCase(
  backend: BackendName,
  family: BuiltinName,
  c: TrainConfig,
  seconds = PROBE_SECONDS,
): BenchCase {
  return {
    backend,
    algorithm: c.algorithm,
    metaBatch: c.metaBatch,
    hidden: c.hidden,
    layout: 'batched',
    seconds,
    family,
    settings: {
      shots: c.shots,
      ways: c.ways,
      queries: c.queries,
      innerSteps: c.innerSteps,
      innerLr: c.innerLr,
      // An image configuration times a conv step (on Omniglot-shaped episodes).
      ...(isImageConfig(c) ? { backbone: 'conv4' as const, filters: c.filters ?? 64 } : {}),
    },
    countKernels: false,
    profile: false,
    flags: {},
  };
}

export function figureOf(backend: BackendName, o: CaseOutcome): ProbeFigure {
  switch (o.status) {
    case 'ok':
      return {
        backend,
        status: 'ok',
        stepsPerSec: o.result.stepsPerSec,
        firstStepMs: o.result.firstStepMs,
        note: '',
      };
    case 'over-budget':
      return {
        backend,
        status: 'over-budget',
        stepsPerSec: null,
        firstStepMs: null,
        note: `over budget (${o.budgetMs / 1000} s)`,
      };
    case 'error':
      return { backend, status: 'error', stepsPerSec: null, firstStepMs: null, note: o.message };
    case 'stopped':
      return { backend, status: 'stopped', stepsPerSec: null, firstStepMs: null, note: 'stopped' };
    default:
      return o satisfies never;
  }
}

/** The backend with the most meta-steps/s; a tie goes to the one earlier in the usual preference order. */
export function pickFastest(figures: readonly ProbeFigure[]): ProbeFigure | null {
  let best: ProbeFigure | null = null;
  for (const f of figures) {
    if (f.status !== 'ok' || f.stepsPerSec === null || !Number.isFinite(f.stepsPerSec)) continue;
    if (
      !best ||
      f.stepsPerSec > (best.stepsPerSec as number) ||
      (f.stepsPerSec === best.stepsPerSec &&
        BACKEND_ORDER.indexOf(f.backend) < BACKEND_ORDER.indexOf(best.backend))
    )
      best = f;
  }
  return best;
}

export interface ProbeOptions {
  candidates: readonly BackendName[];
  family: BuiltinName;
  config: TrainConfig;
  run: CaseRunner;
  budgetMs?: number;
  seconds?: number;
  signal?: AbortSignal;
  /** called before each backend's case starts, and with each figure as it comes */
  onBackend?: (backend: BackendName) => void;
  onFigure?: (figure: ProbeFigure) => void;
}

/** Probes the candidates one after another (never two workers at once: they would share the cores). */
export async function probeBackends(o: ProbeOptions): Promise<ProbeFigure[]> {
  const figures: ProbeFigure[] = [];
  for (const backend of o.candidates) {
    if (o.signal?.aborted) break;
    o.onBackend?.(backend);
    const outcome = await o.run(probeCase(backend, o.family, o.config, o.seconds), {
      budgetMs: o.budgetMs ?? (isImageConfig(o.config) ? PROBE_IMAGE_BUDGET_MS : PROBE_BUDGET_MS),
      signal: o.signal,
    });
    const f = figureOf(backend, outcome);
    figures.push(f);
    o.onFigure?.(f);
  }
  return figures;
}

const seen = new Map<boolean, BackendName[]>();

/**
 * The backends this browser seems to have, from the main thread, cheaply:
 * each is confirmed (or refused, with the reason) by the worker that runs it.
 * Remembered: a WebGL context costs tens of ms on a software GPU, which must
 * not land in the middle of a benchmark run.
 */
export function browserBackends(hideWebgpu = false): BackendName[] {
  const known = seen.get(hideWebgpu);
  if (known) return known;
  const found = detectBackends(hideWebgpu);
  seen.set(hideWebgpu, found);
  return found;
}

function detectBackends(hideWebgpu: boolean): BackendName[] {
  const g = globalThis as {
    navigator?: { gpu?: unknown };
    OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string): unknown };
    WebAssembly?: unknown;
  };
  const out: BackendName[] = [];
  if (!hideWebgpu && g.navigator?.gpu) out.push('webgpu');
  try {
    if (g.OffscreenCanvas && new g.OffscreenCanvas(1, 1).getContext('webgl2')) out.push('webgl');
  } catch {
    // No WebGL in a worker's OffscreenCanvas: tfjs could not use it either.
  }
  if (g.WebAssembly) out.push('wasm');
  out.push('cpu');
  return out;
}
