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
import { imageDefaultConfig, type AlgorithmName } from '../core/spec/config';
import type { BenchCase, BenchResult, ImageKey } from './measure';
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

/**
 * Omniglot episodes the Benchmark page offers for Conv-4 (issue 13): "NwKs"
 * is N-way K-shot; the CLI takes any such code (5w5s, 10w1s…).
 */
export const BENCH_IMAGE_EPISODES = ['5w1s', '20w1s'] as const;
export const BENCH_FILTERS = [32, 64] as const;
/** Methods that train Conv-4 (second-order MAML is refused on conv nets). */
export const BENCH_IMAGE_METHODS: readonly BenchMethod[] = ['protonet', 'fomaml', 'reptile'];

/** "5w1s" → 5-way 1-shot; null for anything else. */
export function parseImageEpisode(code: string): { ways: number; shots: number } | null {
  const m = /^(\d+)w(\d+)s$/.exec(code);
  if (!m) return null;
  const ways = Number(m[1]);
  const shots = Number(m[2]);
  return ways >= 2 && shots >= 1 ? { ways, shots } : null;
}

export const imageEpisodeLabel = (code: string): string => {
  const e = parseImageEpisode(code);
  return e ? `Omniglot ${e.ways}-way ${e.shots}-shot` : code;
};

/** The model column of a row or case: the MLP's hidden sizes, or Conv-4 and its episode. */
export function modelLabel(r: { hidden: readonly number[]; image?: ImageKey }): string {
  return r.image
    ? `Conv-4 ${r.image.filters} · ${r.image.ways}-way ${r.image.shots}-shot`
    : r.hidden.join('-');
}

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
  /** Omniglot-shaped Conv-4 cases ("5w1s"…), for the image methods picked; empty: none */
  images: string[];
  /** Conv-4 filters per layer for the image cases */
  filters: (32 | 64)[];
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
  images: [],
  filters: [32],
};

export const parseHidden = (h: string): number[] => h.split(',').map(Number);

/**
 * An image case: Conv-4 on Omniglot-shaped episodes with the app's image
 * defaults for the method (meta-batch 1 for ProtoNet, 4 for the MAML
 * family; 5 queries per class).
 */
export function imageCase(
  backend: EngineBackendName,
  algorithm: BenchMethod,
  episode: { ways: number; shots: number },
  filters: 32 | 64,
  rest: Pick<BenchCase, 'seconds' | 'profile' | 'flags'> & { metaBatch?: number },
): BenchCase {
  const d = imageDefaultConfig(algorithm);
  return {
    backend,
    algorithm,
    metaBatch: rest.metaBatch ?? d.metaBatch,
    hidden: [],
    layout: 'batched',
    seconds: rest.seconds,
    family: 'omniglot',
    settings: { ...episode, queries: d.queries, backbone: 'conv4', filters },
    profile: rest.profile,
    flags: rest.flags,
  };
}

/** The image part of a case (its episode and filters), or undefined for an MLP case. */
export function imageKeyOf(c: Pick<BenchCase, 'family' | 'settings'>): ImageKey | undefined {
  const s = c.settings;
  if (c.family !== 'omniglot' && s?.backbone !== 'conv4') return undefined;
  const d = imageDefaultConfig();
  return {
    ways: s?.ways ?? d.ways,
    shots: s?.shots ?? d.shots,
    queries: s?.queries ?? d.queries,
    filters: s?.filters ?? 64,
  };
}

/** Every case of a selection, in the order the CLI has always run them, then the image cases. */
export function casesOf(
  sel: Pick<BenchSelection, 'backends' | 'methods' | 'metaBatches' | 'hidden' | 'seconds'> &
    Partial<Pick<BenchSelection, 'images' | 'filters'>>,
  extra: Partial<Pick<BenchCase, 'layout' | 'profile' | 'flags' | 'settings'>> & {
    /** image cases' meta-batch instead of the method's image default */
    imageMetaBatch?: number;
  } = {},
): BenchCase[] {
  const out: BenchCase[] = [];
  for (const backend of sel.backends) {
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
    for (const code of sel.images ?? []) {
      const episode = parseImageEpisode(code);
      if (!episode) continue;
      for (const filters of sel.filters ?? [32])
        for (const algorithm of sel.methods)
          if (BENCH_IMAGE_METHODS.includes(algorithm))
            out.push(
              imageCase(backend, algorithm, episode, filters, {
                seconds: sel.seconds,
                profile: extra.profile ?? false,
                flags: extra.flags ?? {},
                ...(extra.imageMetaBatch ? { metaBatch: extra.imageMetaBatch } : {}),
              }),
            );
    }
  }
  return out;
}

/**
 * Episodes/s of PyTorch on an image case, measured in the same run
 * (bench/pytorch/conv4_omniglot.py), by pytorchImageKey.
 */
export type MeasuredPytorchImages = Record<string, number>;

export function pytorchImageKey(algorithm: string, metaBatch: number, image: ImageKey): string {
  return `${algorithm} B${metaBatch} ${image.ways}w${image.shots}s${image.queries}q f${image.filters}`;
}

/** An image row with PyTorch's episodes/s on the same episodes and the ratio to it. */
export function withMeasuredPytorchImages(
  row: BenchRow,
  measured: MeasuredPytorchImages,
): BenchRow {
  if (row.status !== 'ok' || !row.image) return row;
  const ref = measured[pytorchImageKey(row.algorithm, row.metaBatch, row.image)];
  if (ref === undefined) return row;
  return { ...row, pytorchImages: { episodesPerSec: ref, ratio: row.tasksPerSec / ref } };
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
  image?: ImageKey;
}

export type BenchRow =
  | (BenchResult & {
      status: 'ok';
      pytorch?: PytorchComparison;
      /** image rows: PyTorch's episodes/s on the same episodes, same run, and ours over it */
      pytorchImages?: { episodesPerSec: number; ratio: number };
    })
  | (RowKey & { status: 'over-budget' | 'error' | 'stopped'; error: string });

export function rowOf(c: BenchCase, o: CaseOutcome): BenchRow {
  const key: RowKey = {
    backend: c.backend,
    algorithm: c.algorithm,
    metaBatch: c.metaBatch,
    hidden: c.hidden,
    layout: c.layout,
  };
  const image = imageKeyOf(c);
  if (image) key.image = image;
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
  "sinusoid K=10 Q=10, 1 inner step α=0.01, MLP 1-hidden-1 (ProtoNet: blobs 5-way 1-shot 15 queries); images: Conv-4 (batch-statistics batch norm) on Omniglot-shaped 28×28 noise, 5 queries per class, the app's image defaults (ProtoNet meta-batch 1; first-order MAML and Reptile meta-batch 4, 1 inner step); one fresh dedicated worker per case";

export interface BenchReport {
  date: string;
  machine: Record<string, unknown>;
  settings: string;
  rows: BenchRow[];
}

export function benchReport(rows: BenchRow[], machine: Record<string, unknown>): BenchReport {
  return { date: new Date().toISOString(), machine, settings: BENCH_SETTINGS, rows };
}
