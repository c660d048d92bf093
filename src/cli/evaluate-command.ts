/**
 * `evaluate`: the papers' protocol on a saved session — the meta-learned
 * weights, both baselines and (classification) the raw-feature prototype and
 * untrained-network references on the same held-out episodes — printed as a
 * table, or with --json as one object on stdout. The protocol says how many
 * distinct tasks / classes the episodes came from and how the interval
 * accounts for them.
 */
import { decodeWeights, type SessionDoc } from '../sessions/index';
import {
  adaptStyleOf,
  defaultEvalQueries,
  evaluateExperiment,
  specFromShapes,
} from '../core/train/experiment';
import type { TrainedModel } from '../core/train/trainer';
import type { CurveStats, EvalResult } from '../core/train/evaluate';
import { fewUnitsWarning, unitsSentence } from '../core/spec/units-note';
import { useNodeBackend, type NodeBackend } from './backend-node';
import { CliError } from './errors';
import { readSessionFile } from './session-file';
import { sourceFromSession } from './dataset';
import { runImageEvaluate } from './evaluate-images';
import type { ImageShape } from '../core/data/types';
import { backboneOf, learnedRatesOf, type LearnedRates } from '../core/spec/config';
import { evaluateThreeMetrics, type ThreeMetrics } from '../core/train/three-metrics-run';

export interface EvaluateFlags {
  session: string;
  episodes: number;
  steps: number[];
  shots?: number;
  ways?: number;
  queries?: number;
  innerLr?: number;
  seed?: number;
  data?: string;
  json?: boolean;
  /** also compute the three metrics (speed, generalization, robustness) */
  metrics?: boolean;
  /** robustness: noise sd as a fraction of the targets' sd, or share of flipped labels */
  corruption?: number;
  backend: NodeBackend;
}

function model(
  w: NonNullable<SessionDoc['weights']>,
  adaptStyle: TrainedModel['adaptStyle'],
  imageShape?: ImageShape,
  rates: LearnedRates = {},
): TrainedModel {
  return {
    spec: specFromShapes(w.shapes, imageShape, rates),
    arrays: decodeWeights(w),
    adaptStyle,
  };
}

export interface EvaluationJson {
  algorithm: string;
  metric: 'mse' | 'accuracy';
  steps: number[];
  mean: (number | null)[];
  ci95: (number | null)[];
  median: (number | null)[];
  diverged: number[];
  baselines: Record<
    string,
    {
      mean: (number | null)[];
      ci95: (number | null)[];
      median: (number | null)[];
      diverged: number[];
    }
  >;
  protocol: {
    episodes: number;
    shots: number;
    ways: number | null;
    queries: number;
    innerLr: number;
    seed: number;
    backend: string;
    /** what the episodes were drawn from: tasks, or classes (episodic) */
    unitKind: 'tasks' | 'classes';
    /** distinct tasks / classes among the episodes; the interval counts these */
    distinctUnits: number;
    /** how ci95 was computed */
    ciMethod: string;
  };
  /** with --metrics: adaptation speed, generalization and robustness per model */
  metrics?: ThreeMetrics;
}

const pick = (c: CurveStats, steps: number[]) => ({
  mean: steps.map((s) => finiteOrNull(c.mean[s])),
  ci95: steps.map((s) => finiteOrNull(c.ci95[s])),
  median: steps.map((s) => finiteOrNull(c.median[s])),
  diverged: steps.map((s) => c.diverged[s] ?? 0),
});
const finiteOrNull = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);

type Setup = Omit<EvaluationJson['protocol'], 'unitKind' | 'distinctUnits' | 'ciMethod'>;

export function evaluationJson(
  doc: SessionDoc,
  res: EvalResult,
  steps: number[],
  setup: Setup,
): EvaluationJson {
  const protocol: EvaluationJson['protocol'] = {
    ...setup,
    unitKind: res.units.kind,
    distinctUnits: res.units.distinct,
    ciMethod: res.units.ciMethod,
  };
  const algorithm = doc.config.algorithm;
  const main = res.models[algorithm];
  if (!main) throw new Error('evaluation lacks the main model');
  const baselines: EvaluationJson['baselines'] = {};
  for (const [name, c] of Object.entries(res.models))
    if (name !== algorithm) baselines[name] = pick(c, steps);
  return { algorithm, metric: res.metric, steps, ...pick(main, steps), baselines, protocol };
}

export async function runEvaluate(f: EvaluateFlags): Promise<void> {
  if (f.steps.some((s) => s < 0)) throw new CliError('--steps must list adaptation steps ≥ 0');
  if (f.episodes < 1) throw new CliError('--episodes must be at least 1');
  const backend = await useNodeBackend(f.backend);
  const doc = await readSessionFile(f.session);
  if (!doc.weights) throw new CliError(`${f.session} has no trained weights yet`);
  const source = await sourceFromSession(doc, f.data);
  const config = doc.config;
  if (f.corruption !== undefined && !(f.corruption >= 0 && f.corruption <= 1))
    throw new CliError('--corruption must be a fraction from 0 to 1');
  if (source.imageShape) {
    if (f.metrics)
      throw new CliError('--metrics applies to feature-row sessions (not images) for now');
    const pre = doc.baselines?.pretrain ?? null;
    const backbone = backboneOf(config);
    const models = {
      algorithm: config.algorithm,
      main: model(doc.weights, adaptStyleOf(config.algorithm, backbone), source.imageShape),
      pretrain: pre ? model(pre, adaptStyleOf('pretrain', backbone), source.imageShape) : null,
    };
    process.stdout.write(await runImageEvaluate(source, config, models, f, backend));
    return;
  }
  if (f.ways !== undefined) throw new CliError('--ways applies to image sessions only');
  const protocol = {
    episodes: f.episodes,
    shots: f.shots ?? config.shots,
    ways: source.kind === 'classification' ? config.ways : null,
    queries: f.queries ?? defaultEvalQueries(source, config),
    innerLr: f.innerLr ?? config.innerLr,
    seed: f.seed ?? config.seed,
    backend,
  };
  const pre = doc.baselines?.pretrain ?? null;
  const models = {
    algorithm: config.algorithm,
    main: model(doc.weights, adaptStyleOf(config.algorithm), undefined, learnedRatesOf(config)),
    pretrain: pre ? model(pre, 'finetune') : null,
  };
  const res = await evaluateExperiment(source, config, models, {
    episodes: protocol.episodes,
    maxSteps: Math.max(...f.steps),
    shots: protocol.shots,
    ways: config.ways,
    queries: protocol.queries,
    innerLr: protocol.innerLr,
    seed: protocol.seed,
  });
  const out = evaluationJson(doc, res, f.steps, protocol);
  if (f.metrics) {
    out.metrics = await evaluateThreeMetrics(source, config, models, {
      episodes: protocol.episodes,
      shots: protocol.shots,
      ways: config.ways,
      queries: protocol.queries,
      innerLr: protocol.innerLr,
      seed: protocol.seed,
      ...(f.corruption !== undefined ? { fraction: f.corruption } : {}),
    });
  }
  if (f.json) {
    process.stdout.write(JSON.stringify(out) + '\n');
    return;
  }
  process.stdout.write(formatTable(out));
}

function formatTable(e: EvaluationJson): string {
  const fmt = (m: number | null, c: number | null) =>
    m === null
      ? 'diverged'
      : c === null
        ? `${m.toFixed(3)} (no interval)`
        : `${m.toFixed(3)} ± ${c.toFixed(3)}`;
  const rows = [[e.algorithm, e], ...Object.entries(e.baselines)] as [
    string,
    { mean: (number | null)[]; ci95: (number | null)[]; diverged: number[] },
  ][];
  const head = ['model', ...e.steps.map((s) => `${s} step${s === 1 ? '' : 's'}`)];
  const body = rows.map(([name, r]) => [
    name,
    ...e.steps.map(
      (_, i) =>
        fmt(r.mean[i] ?? null, r.ci95[i] ?? null) +
        (r.diverged[i] ? ` (${r.diverged[i]} diverged)` : ''),
    ),
  ]);
  const widths = head.map((_, j) =>
    Math.max(...[head, ...body].map((r) => (r[j] as string).length)),
  );
  const line = (r: string[]) => r.map((c, j) => c.padEnd(widths[j] as number)).join('  ') + '\n';
  const p = e.protocol;
  const warning = fewUnitsWarning(p);
  return (
    `${e.metric === 'mse' ? 'MSE' : 'accuracy'} (mean ± 95% CI) on ${p.episodes} held-out ${p.ways ? `${p.ways}-way ` : ''}${p.shots}-shot tasks, ` +
    `${p.queries} queries, inner lr ${p.innerLr}, seed ${p.seed}, ${p.backend}\n` +
    `${unitsSentence(p)}\n` +
    (warning ? `Warning: ${warning}\n` : '') +
    line(head) +
    body.map(line).join('') +
    (e.metrics ? formatMetrics(e.metrics) : '')
  );
}

function formatMetrics(t: ThreeMetrics): string {
  const n = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
  const worse = 'positive = worse';
  const what =
    t.corruption.kind === 'noise'
      ? `support targets + noise of ${t.corruption.fraction} × their sd`
      : `${Math.round(t.corruption.fraction * 100)}% of support labels flipped`;
  const rows = Object.entries(t.models).map(
    ([name, m]) =>
      `${name}: speed ${m.speed.stepsTo90 ?? 'n/a'} steps to 90%, AUC ${n(m.speed.auc)}; ` +
      `train ${n(m.generalization.train.final)} / test ${n(m.generalization.test.final)}, gap ${n(m.generalization.gap)}; ` +
      `corrupted ${n(m.robustness.corrupted.changed)} (${n(m.robustness.corrupted.change)}), ` +
      `K=${t.halfShots} ${n(m.robustness.halfShots.changed)} (${n(m.robustness.halfShots.change)})\n`,
  );
  return (
    `\nThe three metrics after ${t.horizon} steps (${worse} for gaps and changes; robustness: ${what}, and K halved):\n` +
    rows.join('')
  );
}
