/**
 * The main thread's facade over the benchmark worker, and the only place that
 * creates it: one fresh worker per case (backends never share tfjs state),
 * terminated when the case ends, when it overruns its time budget (WebGPU on
 * a software GPU can take ~17 s for a first step), or when the caller aborts.
 * A case therefore always settles — with a result, "over budget", an error or
 * "stopped" — and never hangs.
 *
 * No tfjs here: the page imports this without pulling in the engine.
 */
import type { BenchEvent } from '../worker/protocol';
import type { BenchCase, BenchResult, CaseMemory, CasePhase } from './measure';

export type CaseOutcome =
  | { status: 'ok'; result: BenchResult }
  | { status: 'over-budget'; budgetMs: number; phase: CasePhase | null }
  | { status: 'error'; message: string }
  | { status: 'stopped' };

export interface RunCaseOptions {
  budgetMs: number;
  /**
   * How long the finished worker may wait for its memory figure (0: none).
   * Chrome answers measureUserAgentSpecificMemory at the page's next garbage
   * collection, forced after ~20 s: the measure starts when timing starts and
   * the idle worker is kept until it answers or this wait is over.
   */
  memoryWaitMs?: number;
  signal?: AbortSignal;
  onPhase?: (phase: CasePhase) => void;
}

/** Runs one case; what the Benchmark page, the probe and the CLI's page share. */
export type CaseRunner = (c: BenchCase, opts: RunCaseOptions) => Promise<CaseOutcome>;

interface MemoryBreakdown {
  bytes: number;
  breakdown: { bytes: number; attribution: { scope?: string; url?: string }[] }[];
}

/** The bench worker's share of a page-wide memory measure, or null where the browser has none. */
function measureWorkerMemory(): Promise<CaseMemory | null> | null {
  const perf = performance as Performance & {
    measureUserAgentSpecificMemory?: () => Promise<MemoryBreakdown>;
  };
  if (!globalThis.crossOriginIsolated || !perf.measureUserAgentSpecificMemory) return null;
  return perf
    .measureUserAgentSpecificMemory()
    .then((m) => {
      // One bench worker lives at a time, so its script's name (hashed or not) names it.
      let bytes = 0;
      for (const b of m.breakdown)
        if (
          b.attribution.some(
            (a) => a.scope === 'DedicatedWorkerGlobalScope' && /bench\.worker/.test(a.url ?? ''),
          )
        )
          bytes += b.bytes;
      return bytes > 0 ? { bytes, method: 'measureUserAgentSpecificMemory' as const } : null;
    })
    .catch(() => null);
}

function within<T>(p: Promise<T>, ms: number, otherwise: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<T>((r) => (timer = setTimeout(() => r(otherwise), ms)));
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export const runCase: CaseRunner = (c, opts) =>
  new Promise<CaseOutcome>((resolve) => {
    if (opts.signal?.aborted) {
      resolve({ status: 'stopped' });
      return;
    }
    // Written inline: Vite bundles a worker only for this exact pattern.
    const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
    let phase: CasePhase | null = null;
    let memory: Promise<CaseMemory | null> | null = null;
    let settled = false;
    const finish = (o: CaseOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      resolve(o);
    };
    const finishWithMemory = (result: BenchResult) => {
      clearTimeout(timer);
      if (!memory) {
        finish({ status: 'ok', result });
        return;
      }
      opts.onPhase?.('memory');
      // A memory figure that fails or never comes leaves the result without one, never hangs.
      void within(memory, opts.memoryWaitMs ?? 0, null)
        .catch(() => null)
        .then((m) => finish({ status: 'ok', result: { ...result, memory: m } }));
    };
    const timer = setTimeout(
      () => finish({ status: 'over-budget', budgetMs: opts.budgetMs, phase }),
      opts.budgetMs,
    );
    const onAbort = () => finish({ status: 'stopped' });
    opts.signal?.addEventListener('abort', onAbort);
    worker.onmessage = (e: MessageEvent<BenchEvent>) => {
      const ev = e.data;
      switch (ev.type) {
        case 'phase':
          phase = ev.phase;
          opts.onPhase?.(ev.phase);
          if (ev.phase === 'timing' && (opts.memoryWaitMs ?? 0) > 0) memory = measureWorkerMemory();
          return;
        case 'result':
          finishWithMemory(ev.result);
          return;
        case 'failed':
          finish({ status: 'error', message: ev.message });
          return;
        default:
          ev satisfies never;
      }
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      finish({ status: 'error', message: e.message || 'the benchmark worker failed to load' });
    };
    worker.postMessage({ type: 'measure', case: c });
  });
