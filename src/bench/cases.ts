/**
 * The benchmark's workloads and its report, as pure data shared by the app's
 * Benchmark page and `npm run bench:browser`, so both run literally the same
 * cases and write the same JSON rows: the grid of cases from a selection
 * (backend × hidden × meta-batch × method), the PyTorch reference figures of
 * issue 7 with the ratio next to the rows they match, and one row per case
 * outcome. No tfjs: the page imports it.
 */
import type { Layout } from '../core/algorithms/learner';
import type { EngineBackendName } from '../core/spec/backend';
import type { AlgorithmName } from '../core/spec/config';
import type { BenchCase, BenchResult } from './measure';
import type { CaseOutcome } from './runner';

export const BENCH_METHODS = ['maml', 'fomaml', 'reptile', 'protonet'] as const;
export type BenchMethod = (typeof BENCH_METHODS)[number];
export const BENCH_METHOD_LABELS: Record<BenchMethod, string> = {
  maml: 'MAML',
  fomaml: 'First-order MAML',
  reptile: 'Reptile',
  protonet: 'ProtoNet',
};
export const BENCH_META_BATCHES = [1, 5, 25, 100] as const;
export const BENCH_HIDDEN = ['40,40', '256,256'] as const;
export type BenchHidden = (typeof BENCH_HIDDEN)[number];

export interface BenchSelection {
  backends: EngineBackendName[];
  methods: BenchMethod[];
  metaBatches: number[];
  hidden: BenchHidden[];
  /** timed seconds per case (after the first step and the warm-up) */
  seconds: number;
  /** a case still running after this long is terminated and reported "over budget" */
  budgetSec: number;
  /** wait for each worker's memory figure (Chrome takes up to ~20 s more per case) */
  memory: boolean;
}

/** How long a finished case waits for its memory figure when asked to. */
export const MEMORY_WAIT_MS = 25_000;

/** Small enough to finish in about a minute on a slow two-core machine. */
export const DEFAULT_SELECTION: BenchSelection = {
  backends: ['wasm', 'cpu', 'webgl'],
  methods: ['maml', 'fomaml'],
  metaBatches: [25],
  hidden: ['40,40'],
  seconds: 3,
  budgetSec: 30,
  memory: false,
};

export const parseHidden = (h: string): number[] => h.split(',').map(Number);

/** Every case of a selection, in the order the CLI has always run them. */
export function casesOf(
  sel: Pick<BenchSelection, 'backends' | 'methods' | 'metaBatches' | 'hidden' | 'seconds'>,
  extra: Partial<Pick<BenchCase, 'layout' | 'profile' | 'flags' | 'settings'>> = {},
): BenchCase[] {
  const out: BenchCase[] = [];
  for (const backend of sel.backends)
    for (const hidden of sel.hidden)
      for (const metaBatch of sel.metaBatches)
        for (const algorithm of sel.methods)
          out.push({
            backend,
            algorithm,
            metaBatch,
            hidden: parseHidden(hidden),
            layout: extra.layout ?? 'batched',
            seconds: sel.seconds,
            profile: extra.profile ?? false,
            flags: extra.flags ?? {},
            ...(extra.settings ? { settings: extra.settings } : {}),
          });
  return out;
}

/**
 * Meta-steps/s of PyTorch 1.13 CPU on this kind of machine (issue 7: 2 cores,
 * one thread), MAML's sinusoid settings: meta-batch 25, K = 10, one inner
 * step, 1-40-40-1. "loop" clones the model per task; "batched" batches tasks.
 */
export const PYTORCH: Partial<Record<AlgorithmName, { loop: number; batched: number }>> = {
  maml: { loop: 70, batched: 410 },
  fomaml: { loop: 95, batched: 740 },
};

export interface PytorchComparison {
  loop: number;
  batched: number;
  overLoop: number;
  overBatched: number;
  /**
   * PyTorch measured on this machine in the same run (bench/pytorch, by
   * `npm run bench:browser` when python3 with torch is there): shared cloud
   * machines drift by 2–3× over a day, so only a same-run ratio is fair.
   */
  measured?: Omit<PytorchComparison, 'measured'>;
}

/** Meta-steps/s of the PyTorch reference measured in this run (bench/pytorch/maml_sinusoid.py). */
export type MeasuredPytorch = Partial<Record<AlgorithmName, { loop: number; batched: number }>>;

/** A row with the same-run PyTorch figures added next to the issue's reference. */
export function withMeasuredPytorch(row: BenchRow, measured: MeasuredPytorch): BenchRow {
  const ref = measured[row.algorithm];
  if (row.status !== 'ok' || !row.pytorch || !ref) return row;
  const sps = row.stepsPerSec;
  return {
    ...row,
    pytorch: {
      ...row.pytorch,
      measured: { ...ref, overLoop: sps / ref.loop, overBatched: sps / ref.batched },
    },
  };
}

/** The reference next to a row measured on its settings, with our figure's ratio to it. */
export function pytorchFor(
  r: Pick<BenchCase, 'algorithm' | 'metaBatch' | 'hidden'>,
  stepsPerSec: number,
): PytorchComparison | null {
  const ref = PYTORCH[r.algorithm];
  if (!ref || r.metaBatch !== 25 || r.hidden.join(',') !== '40,40') return null;
  return { ...ref, overLoop: stepsPerSec / ref.loop, overBatched: stepsPerSec / ref.batched };
}

interface RowKey {
  backend: EngineBackendName;
  algorithm: AlgorithmName;
  metaBatch: number;
  hidden: number[];
  layout: Layout;
}

export type BenchRow =
  | (BenchResult & { status: 'ok'; pytorch?: PytorchComparison })
  | (RowKey & { status: 'over-budget' | 'error' | 'stopped'; error: string });

export function rowOf(c: BenchCase, o: CaseOutcome): BenchRow {
  const key: RowKey = {
    backend: c.backend,
    algorithm: c.algorithm,
    metaBatch: c.metaBatch,
    hidden: c.hidden,
    layout: c.layout,
  };
  switch (o.status) {
    case 'ok': {
      const ref = pytorchFor(o.result, o.result.stepsPerSec);
      return { ...o.result, status: 'ok', ...(ref ? { pytorch: ref } : {}) };
    }
    case 'over-budget':
      return {
        ...key,
        status: 'over-budget',
        error: `over budget: still ${o.phase === 'first-step' || o.phase === null ? 'compiling its first step' : `at "${o.phase}"`} after ${o.budgetMs / 1000} s; the worker was terminated`,
      };
    case 'error':
      return { ...key, status: 'error', error: o.message };
    case 'stopped':
      return { ...key, status: 'stopped', error: 'stopped' };
    default:
      return o satisfies never;
  }
}

export const BENCH_SETTINGS =
  'sinusoid K=10 Q=10, 1 inner step α=0.01, MLP 1-hidden-1 (ProtoNet: blobs 5-way 1-shot 15 queries); one fresh dedicated worker per case';

export interface BenchReport {
  date: string;
  machine: Record<string, unknown>;
  settings: string;
  rows: BenchRow[];
}

export function benchReport(rows: BenchRow[], machine: Record<string, unknown>): BenchReport {
  return { date: new Date().toISOString(), machine, settings: BENCH_SETTINGS, rows };
}
