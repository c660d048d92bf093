/**
 * `monitor --session S.json --tasks new-tasks.csv`: are new tasks still like
 * the ones the model was meta-trained on? Each new task (rows grouped by the
 * task column) adapts on its first K rows (classification: the first K of
 * each class) and is scored on the rest, after the card's adaptation steps.
 * The reference is the meta-test distribution of the same loss on the
 * session's own meta-test split, redrawn from the data and seed the session
 * records (its evaluation stores means, not the per-task spread): a new task
 * whose loss is beyond that distribution's 95th percentile is flagged.
 *
 * Losses are the training losses: MSE in the target's units (standardized
 * MSE × std²) or cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import { toTensors } from '../core/algorithms/batch';
import { adaptNewTask } from '../core/export/adapt-new-task';
import { encodeFeatures, encodeTargets } from '../core/export/encode-rows';
import { adaptStyleOf } from '../core/train/experiment';
import { adaptationTrace } from '../core/train/evaluate';
import { Rng } from '../core/rng';
import { useNodeBackend, type NodeBackend } from './backend-node';
import { CliError } from './errors';
import { columnIndex, featureRows, readCsvTable, sessionModel } from './new-task-csv';
import { readSessionFile } from './session-file';
import { sourceFromSession } from './dataset';
import { softmaxRow } from './adapt-command';

export interface MonitorFlags {
  session: string;
  tasks: string;
  taskColumn?: string;
  episodes: number;
  steps?: number;
  data?: string;
  json?: boolean;
  backend: NodeBackend;
}

export interface MonitorReport {
  metric: 'mse' | 'cross-entropy';
  steps: number;
  shots: number;
  reference: { episodes: number; mean: number; p50: number; p95: number };
  tasks: {
    task: string;
    support: number;
    queries: number;
    loss: number | null;
    /** share of meta-test tasks with a lower loss */
    percentile: number | null;
    flagged: boolean;
    note?: string;
  }[];
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export async function runMonitor(f: MonitorFlags): Promise<void> {
  if (f.episodes < 20) throw new CliError('--episodes must be at least 20 for a 95th percentile');
  const backend = await useNodeBackend(f.backend);
  const doc = await readSessionFile(f.session);
  const { card, model } = sessionModel(doc, f.session);
  const config = doc.config;
  const steps = f.steps ?? card.adaptation.steps;
  const lr = card.adaptation.innerLr;
  const regression = card.task.kind === 'regression';
  const scale = regression && 'std' in card.target ? card.target.std ** 2 : 1;

  // the reference: per-task losses on the session's meta-test split
  const source = await sourceFromSession(doc, f.data);
  const shape = { shots: config.shots, ways: config.ways, queries: config.queries };
  const batch = source.sample('test', f.episodes, shape, new Rng(config.seed));
  const lossRow = tf.tidy(() => {
    const t = toTensors(batch);
    const trace = adaptationTrace(
      {
        name: 'model',
        spec: model.spec,
        arrays: model.arrays,
        adaptStyle: adaptStyleOf(config.algorithm),
      },
      t,
      model.lossKind,
      steps,
      lr,
    );
    return tf.squeeze(tf.slice(trace.loss, [steps, 0], [1, -1]));
  });
  const ref = [...(await lossRow.data())].map((v) => v * scale).filter(Number.isFinite);
  lossRow.dispose();
  ref.sort((a, b) => a - b);
  if (ref.length === 0) throw new CliError('every meta-test task diverged; no reference');
  const p95 = quantile(ref, 0.95);

  const table = await readCsvTable(f.tasks);
  const taskCol = f.taskColumn ?? doc.dataset.schema.taskColumn ?? 'task';
  const ti = columnIndex(table, f.tasks, taskCol);
  const yi = columnIndex(table, f.tasks, card.target.column);
  const xs = featureRows(table, f.tasks, card);
  const groups = new Map<string, number[]>();
  table.rows.forEach((r, i) => {
    const k = r[ti] ?? '';
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });

  const tasks: MonitorReport['tasks'] = [];
  for (const [name, rows] of groups) {
    const label = (i: number) => (table.rows[i]?.[yi] ?? '').trim();
    let support: number[];
    if (regression) support = rows.slice(0, config.shots);
    else {
      const seen = new Map<string, number>();
      support = rows.filter((i) => {
        const n = seen.get(label(i)) ?? 0;
        seen.set(label(i), n + 1);
        return n < config.shots;
      });
    }
    const query = rows.filter((i) => !support.includes(i));
    const base = { task: name, support: support.length, queries: query.length };
    if (query.length === 0) {
      tasks.push({
        ...base,
        loss: null,
        percentile: null,
        flagged: false,
        note: `needs more than ${support.length} rows`,
      });
      continue;
    }
    let sy;
    try {
      sy = encodeTargets(
        card,
        support.map(label),
        model.style === 'protonet' ? null : model.spec.outputDim,
      );
    } catch (e) {
      tasks.push({
        ...base,
        loss: null,
        percentile: null,
        flagged: false,
        note: (e as Error).message,
      });
      continue;
    }
    const { outputs, width } = await adaptNewTask(
      model,
      {
        supportX: encodeFeatures(
          card,
          support.map((i) => xs[i] ?? []),
        ),
        supportY: sy.y,
        outputDim: sy.outputDim,
        queryX: encodeFeatures(
          card,
          query.map((i) => xs[i] ?? []),
        ),
      },
      steps,
      lr,
    );
    let loss = 0;
    if (regression) {
      const qy = encodeTargets(card, query.map(label), 1).y;
      query.forEach((_, j) => {
        loss += ((outputs[j] as number) - (qy[j] as number)) ** 2;
      });
      loss = (loss / query.length) * scale;
    } else {
      const labels = sy.labels ?? [];
      query.forEach((i, j) => {
        const c = labels.indexOf(label(i));
        const p = softmaxRow(outputs.subarray(j * width, (j + 1) * width));
        // a query label absent from the support set cannot be predicted: count it as p = 1e-12
        loss += -Math.log(c >= 0 ? Math.max(p[c] as number, 1e-12) : 1e-12);
      });
      loss /= query.length;
    }
    const below = ref.filter((v) => v < loss).length;
    tasks.push({ ...base, loss, percentile: below / ref.length, flagged: !(loss <= p95) });
  }

  const report: MonitorReport = {
    metric: regression ? 'mse' : 'cross-entropy',
    steps,
    shots: config.shots,
    reference: {
      episodes: ref.length,
      mean: ref.reduce((a, b) => a + b, 0) / ref.length,
      p50: quantile(ref, 0.5),
      p95,
    },
    tasks,
  };
  if (f.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  const n = (v: number) => v.toPrecision(4);
  const lines = [
    `${report.metric === 'mse' ? 'MSE' : 'Cross-entropy'} after ${steps} adaptation step${steps === 1 ? '' : 's'} (K = ${config.shots}), ${backend}.`,
    `Meta-test reference (${ref.length} tasks of the session's meta-test split): mean ${n(report.reference.mean)}, median ${n(report.reference.p50)}, 95th percentile ${n(p95)}.`,
    ...tasks.map((t) =>
      t.loss === null
        ? `${t.task}: skipped (${t.note})`
        : `${t.task}: ${n(t.loss)} (above ${Math.round((t.percentile ?? 0) * 100)}% of meta-test tasks; ${t.support} support / ${t.queries} query rows)${t.flagged ? '  FLAGGED: beyond the 95th percentile' : ''}`,
    ),
  ];
  const flagged = tasks.filter((t) => t.flagged).length;
  lines.push(`${flagged} of ${tasks.length} task${tasks.length === 1 ? '' : 's'} flagged.`);
  process.stdout.write(lines.join('\n') + '\n');
}
