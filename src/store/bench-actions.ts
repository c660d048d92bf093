/**
 * The Benchmark page's and the "Fastest" probe's actions, as plain functions
 * over the store and an injected case runner (a fake in unit tests, fresh
 * bench workers in the app). Both keep the training worker idle: a run of
 * either is refused while training is under way, and Train is refused while
 * either runs (see canRunHeavy / busyWith).
 *
 * Invariants: at most one benchmark or probe at a time, cases one after
 * another (two workers would share the cores and spoil each other's figure);
 * Stop aborts the case in flight, whose worker is terminated.
 */
import { yieldToEventLoop } from '../worker/gate';
import { MEMORY_WAIT_MS, casesOf, rowOf, type BenchSelection } from '../bench/cases';
import { softwareGpuReason, tfjsBackendOf, type BackendName } from '../core/spec/backend';
import {
  IMAGE_PROBE_REASON,
  isImageConfig,
  pickFastest,
  probeBackends,
  probeCandidates,
  probeKey,
  type ProbeFigure,
} from '../bench/probe';
import type { CaseRunner } from '../bench/runner';
import type { TrainingPort } from '../worker/client';
import type { Store } from './slices';
import { initialProbe, isActive, type AppState } from './slices';

/** What keeps the cores busy besides training, in words for a hint; null when nothing. */
export function busyWith(s: AppState): string | null {
  if (s.bench.phase === 'running') return 'the benchmark is running';
  if (s.backend.probe.phase === 'probing') return 'backends are being probed';
  return null;
}

export function trainingBusy(s: AppState): boolean {
  return isActive(s.run.status) || s.run.status === 'starting';
}

/** Backends a probe tries, cheapest to start first (a slow GPU compiles for seconds). */
export const PROBE_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

export interface BenchPort {
  run: CaseRunner;
  /** the backends this browser seems to have */
  available(hideWebgpu: boolean): BackendName[];
}

export function createBenchActions(store: Store, bench: BenchPort, training: TrainingPort) {
  const get = store.getState;
  const patch = (f: (s: AppState) => AppState) => store.setState(f(get()), true);
  let benchAbort: AbortController | null = null;
  let probeAbort: AbortController | null = null;
  /** A software WebGPU adapter was reported (the active backend may since be another). */
  let softwareGpu = false;

  function select(change: Partial<BenchSelection>): void {
    patch((s) => ({ ...s, bench: { ...s.bench, selection: { ...s.bench.selection, ...change } } }));
  }

  async function runBenchmark(): Promise<void> {
    const s = get();
    if (busyWith(s) !== null || trainingBusy(s)) return;
    const sel = s.bench.selection;
    const available = new Set(bench.available(s.backend.hideWebgpu));
    // a fused engine runs wherever the tfjs backend under it does
    const cases = casesOf({
      ...sel,
      backends: sel.backends.filter((b) => available.has(tfjsBackendOf(b))),
    });
    if (cases.length === 0) return;
    const abort = new AbortController();
    benchAbort = abort;
    patch((st) => ({
      ...st,
      bench: { ...st.bench, phase: 'running', cases, index: 0, casePhase: null, rows: [] },
    }));
    for (let i = 0; i < cases.length && !abort.signal.aborted; i++) {
      const c = cases[i]!;
      patch((st) => ({ ...st, bench: { ...st.bench, index: i, casePhase: null } }));
      const outcome = await bench.run(c, {
        budgetMs: sel.budgetSec * 1000,
        memoryWaitMs: sel.memory ? MEMORY_WAIT_MS : 0,
        signal: abort.signal,
        onPhase: (casePhase) => patch((st) => ({ ...st, bench: { ...st.bench, casePhase } })),
      });
      if (outcome.status === 'stopped') break;
      patch((st) => ({
        ...st,
        bench: { ...st.bench, rows: [...st.bench.rows, rowOf(c, outcome)] },
      }));
      // The row's render and the next case's `new Worker` in separate tasks: together they
      // came to 45–73 ms of main-thread work, over the page's 50 ms budget.
      await yieldToEventLoop();
    }
    benchAbort = null;
    patch((st) => ({
      ...st,
      bench: { ...st.bench, phase: abort.signal.aborted ? 'stopped' : 'done', casePhase: null },
    }));
  }

  function stopBenchmark(): void {
    benchAbort?.abort();
  }

  /**
   * Probes the backends on the current configuration, then sends the winner
   * to the training worker. A newer probe (the configuration changed) aborts
   * an older one; when no backend gives a figure the worker keeps "auto".
   * `because`: "Best available" found only a software GPU and probes in its
   * place (the winner is sent while "Best available" stays picked).
   */
  async function probe(because: string | null = null): Promise<void> {
    probeAbort?.abort();
    const abort = new AbortController();
    probeAbort = abort;
    const s = get();
    const available = new Set(bench.available(s.backend.hideWebgpu));
    if (softwareGpuReason(s.backend.adapterInfo)) softwareGpu = true;
    const candidates = probeCandidates(PROBE_ORDER, available, s.setup.config, softwareGpu);
    const key = probeKey(s.setup.family, s.setup.config);
    patch((st) => ({
      ...st,
      backend: { ...st.backend, probe: { ...initialProbe, phase: 'probing', key, because } },
    }));
    const setProbe = (f: (p: AppState['backend']['probe']) => AppState['backend']['probe']) =>
      patch((st) => ({ ...st, backend: { ...st.backend, probe: f(st.backend.probe) } }));
    const figures: ProbeFigure[] = await probeBackends({
      candidates,
      family: s.setup.family,
      config: s.setup.config,
      run: bench.run,
      signal: abort.signal,
      onBackend: (current) => setProbe((p) => ({ ...p, current })),
      onFigure: (f) => setProbe((p) => ({ ...p, figures: [...p.figures, f] })),
    });
    if (abort.signal.aborted || probeAbort !== abort) return;
    probeAbort = null;
    const best = pickFastest(figures);
    setProbe((p) => ({
      ...p,
      phase: best ? 'done' : 'failed',
      current: null,
      chosen: best?.backend ?? null,
    }));
    // The person may have picked another backend meanwhile: then the probe is only informative.
    const requested = get().backend.requested;
    if (requested !== 'fastest' && !(requested === 'auto' && because)) return;
    patch((st) => ({ ...st, backend: { ...st.backend, active: null } }));
    training.send({
      type: 'init',
      backend: best?.backend ?? 'auto',
      hideWebgpu: get().backend.hideWebgpu,
    });
  }

  /** Another backend was picked: a probe in flight is abandoned. */
  function cancelProbe(): void {
    probeAbort?.abort();
    probeAbort = null;
    if (get().backend.probe.phase === 'probing')
      patch((st) => ({ ...st, backend: { ...st.backend, probe: { ...initialProbe } } }));
  }

  /**
   * Probes again when "Fastest" is picked and the probed configuration is not
   * the current one; under "Best available", an image configuration is
   * probed (its default backend is the fastest on a conv step), and leaving
   * image tasks hands the choice back to the usual order.
   */
  function reprobeIfStale(): void {
    const s = get();
    const stale = s.backend.probe.key !== probeKey(s.setup.family, s.setup.config);
    if (s.backend.requested === 'fastest') {
      if (stale) void probe();
      return;
    }
    if (s.backend.requested !== 'auto') return;
    if (isImageConfig(s.setup.config)) {
      if (stale) void probe(IMAGE_PROBE_REASON);
      return;
    }
    if (s.backend.probe.because !== IMAGE_PROBE_REASON) return;
    probeAbort?.abort();
    probeAbort = null;
    patch((st) => ({
      ...st,
      backend: { ...st.backend, probe: { ...initialProbe }, active: null },
    }));
    training.send({ type: 'init', backend: 'auto', hideWebgpu: get().backend.hideWebgpu });
  }

  return { select, runBenchmark, stopBenchmark, probe, cancelProbe, reprobeIfStale };
}

export type BenchActions = ReturnType<typeof createBenchActions>;
