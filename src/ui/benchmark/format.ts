/**
 * The Benchmark page's words and numbers, pure so they are unit-tested: a
 * case's name, a row's cells, the progress sentence, the chart's text summary
 * and the JSON the person copies (the same report `npm run bench:browser`
 * prints).
 */
import {
  BENCH_METHOD_LABELS,
  benchReport,
  imageKeyOf,
  modelLabel,
  type BenchMethod,
  type BenchRow,
} from '../../bench/cases';
import type { BenchCase, CasePhase, ImageKey } from '../../bench/measure';
import { ENGINE_BACKEND_LABELS } from '../../core/spec/backend';
import { formatRate } from '../header/badge';

export const methodLabel = (a: string): string => BENCH_METHOD_LABELS[a as BenchMethod] ?? a;

export function caseName(
  c: Pick<BenchCase, 'algorithm' | 'metaBatch' | 'hidden' | 'family' | 'settings'> & {
    image?: ImageKey;
  },
): string {
  return `${methodLabel(c.algorithm)} · B ${c.metaBatch} · ${modelLabel({ ...c, image: c.image ?? imageKeyOf(c) })}`;
}

const PHASE_WORDS: Record<CasePhase, string> = {
  starting: 'starting the backend',
  'first-step': 'first step (compiling kernels)',
  timing: 'timing',
  memory: 'measuring memory',
};

export function progressText(
  phase: 'idle' | 'running' | 'done' | 'stopped',
  cases: readonly BenchCase[],
  index: number,
  casePhase: CasePhase | null,
  rows: number,
): string {
  if (phase === 'idle') return 'Pick what to measure, then press Run.';
  if (phase === 'stopped') return `Stopped after ${rows} of ${cases.length} cases.`;
  if (phase === 'done') return `Finished: ${rows} of ${cases.length} cases measured.`;
  const c = cases[index];
  if (!c) return 'Starting…';
  const what = `${ENGINE_BACKEND_LABELS[c.backend]} · ${caseName(c)}`;
  return `Case ${index + 1} of ${cases.length}: ${what}${casePhase ? ` — ${PHASE_WORDS[casePhase]}` : ''}`;
}

export const formatMs = (ms: number): string =>
  ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;

export const formatBytes = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MB`;

export interface RowCells {
  stepsPerSec: string;
  tasksPerSec: string;
  firstStep: string;
  kernels: string;
  memory: string;
  pytorch: string;
}

export function rowCells(r: BenchRow): RowCells {
  if (r.status !== 'ok') {
    const word = r.status === 'over-budget' ? 'over budget' : r.status;
    return {
      stepsPerSec: word,
      tasksPerSec: '',
      firstStep: '',
      kernels: '',
      memory: '',
      pytorch: '',
    };
  }
  const ref = r.pytorch;
  const img = r.pytorchImages;
  return {
    stepsPerSec: formatRate(r.stepsPerSec),
    tasksPerSec: formatRate(r.tasksPerSec),
    firstStep: formatMs(r.firstStepMs),
    kernels: r.kernelsPerStep === null ? '–' : String(r.kernelsPerStep),
    memory: r.memory ? formatBytes(r.memory.bytes) : 'n/a',
    pytorch: ref
      ? `${ref.overLoop.toFixed(2)}× loop (${ref.loop}), ${ref.overBatched.toFixed(2)}× batched (${ref.batched})`
      : img
        ? `${img.ratio.toFixed(2)}× (${formatRate(img.episodesPerSec)} episodes/s)`
        : '',
  };
}

/** The chart's text equivalent: every case of one backend with its figure, and the fastest. */
export function chartSummary(backend: string, rows: readonly BenchRow[]): string {
  if (rows.length === 0) return `${backend}: no case measured yet.`;
  const parts = rows.map((r) =>
    r.status === 'ok'
      ? `${caseName(r)} ${formatRate(r.stepsPerSec)} meta-steps/s`
      : `${caseName(r)} ${r.status === 'over-budget' ? 'over budget' : r.status}`,
  );
  const ok = rows.filter((r) => r.status === 'ok');
  const best = ok.reduce<(typeof ok)[number] | null>(
    (b, r) => (b === null || r.stepsPerSec > b.stepsPerSec ? r : b),
    null,
  );
  return `${backend}: ${parts.join('; ')}.${best ? ` Fastest: ${caseName(best)}.` : ''}`;
}

/** The JSON the Copy button gives: the CLI's report shape, with what the page knows of the machine. */
export function resultsJson(rows: BenchRow[]): string {
  const nav = globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined;
  return JSON.stringify(
    benchReport(rows, {
      cpus: nav?.hardwareConcurrency ?? null,
      deviceMemoryGB: nav?.deviceMemory ?? null,
      browser: nav?.userAgent ?? null,
      crossOriginIsolated:
        (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? false,
      source: 'app Benchmark page',
    }),
    null,
    2,
  );
}
