/**
 * `sweep`: a hyper-parameter search from the terminal. The search space comes
 * from --space (JSON, see core/spec/sweep-space.ts) or is the default space of
 * the chosen algorithm (printed, so it can be saved and edited); every other
 * setting comes from the same flags as `train`. Trials run one after another
 * (core/sweep/run.ts), with successive halving on meta-validation unless
 * --no-pruning. Prints every trial as it ends (stderr) and at the end the
 * trial table, the best trial and the parameter importances (stdout; one
 * JSON object with --json). --compare-default also trains the default
 * settings and scores both on the same meta-test tasks (sweep-compare.ts);
 * --out writes the best trial as a session carrying the sweep.
 */
import { readFile } from 'node:fs/promises';
import { validateConfig, type TrainConfig } from '../core/spec/config';
import {
  applyParams,
  defaultSweepSpace,
  parseSweepSpace,
  type SamplerName,
  type SweepSpace,
} from '../core/spec/sweep-space';
import { IMPORTANCE_METHOD, paramImportance, type ParamImportance } from '../core/sweep/importance';
import { runSweep, type TrialRecord } from '../core/sweep/run';
import { sessionFromRun } from '../sessions/from-run';
import { useNodeBackend, type NodeBackend } from './backend-node';
import { resolveData } from './dataset';
import { CliError } from './errors';
import { progressNumber } from './progress';
import { writeSessionFile } from './session-file';
import { compareWithDefault, type Comparison } from './sweep-compare';
import { configFromFlags, type ConfigFlags } from './train-command';
import type { CsvFlags } from './csv-dataset';
import type { ImageFlags } from './image-dataset';

export interface SweepFlags extends ConfigFlags, CsvFlags, ImageFlags {
  data: string;
  space?: string;
  trials: number;
  sampler: SamplerName;
  gracePeriod?: number;
  pruning: boolean;
  compareDefault?: boolean;
  episodes: number;
  evalStep: number;
  out?: string;
  json?: boolean;
  backend: NodeBackend;
}

export interface SweepJson {
  algorithm: string;
  sampler: SamplerName;
  seed: number;
  /** true when no --space was given and the algorithm's default space was searched */
  defaultSpace: boolean;
  space: SweepSpace;
  metric: 'mse' | 'accuracy';
  direction: 'minimize' | 'maximize';
  /** the settings every trial shares (the swept keys take the trial's values) */
  base: TrainConfig;
  pruning: { gracePeriod: number; reductionFactor: number } | null;
  trials: TrialRecord[];
  best: TrialRecord | null;
  importance: { method: string; params: ParamImportance[] };
  comparison?: Comparison;
  backend: string;
}

async function readSpace(file: string, base: TrainConfig): Promise<SweepSpace> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`cannot read the search space ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} is not JSON: ${(e as Error).message}`);
  }
  try {
    return parseSweepSpace(json, base);
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
}

const fmtValue = (v: unknown) =>
  typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(3)) : JSON.stringify(v);

function trialLine(t: TrialRecord, metricName: string): string {
  const params = Object.entries(t.params)
    .map(([k, v]) => `${k}=${fmtValue(v)}`)
    .join(' ');
  const value = t.value === null ? '-' : progressNumber(t.value);
  return `trial ${t.number}: ${params} → ${metricName} ${value} (${t.state}, ${t.steps} steps, ${t.seconds.toFixed(1)} s)${t.message ? `: ${t.message}` : ''}`;
}

export async function runSweepCommand(f: SweepFlags): Promise<void> {
  if (f.trials < 1) throw new CliError('--trials must be at least 1');
  if (f.algorithm === 'scratch')
    throw new CliError(
      '"scratch" has nothing to meta-train, so nothing to sweep; pick another --algorithm',
    );
  const base = configFromFlags(f);
  const space = f.space ? await readSpace(f.space, base) : defaultSweepSpace(f.algorithm);
  const backend = await useNodeBackend(f.backend);
  const data = await resolveData(f.data, { ...f, ways: base.ways }, base.seed);
  if (data.source.imageShape) throw new CliError('sweeps over image data are not supported yet');
  data.notes.forEach((note) => process.stderr.write(`note: ${note}\n`));
  if (!f.space && !f.json)
    process.stdout.write(
      `searching the default space of ${f.algorithm}: ${JSON.stringify(space)}\n`,
    );
  const gracePeriod = f.gracePeriod ?? base.valEvery;
  const pruning = f.pruning ? { gracePeriod, reductionFactor: 3 } : null;
  const metricName = data.source.kind === 'regression' ? 'MSE' : 'accuracy';
  const res = await runSweep({
    source: data.source,
    base,
    space,
    sampler: f.sampler,
    seed: base.seed,
    trials: f.trials,
    pruning,
    onTrial: (t) => process.stderr.write(trialLine(t, metricName) + '\n'),
  });
  const best = res.best === null ? null : (res.trials[res.best] as TrialRecord);
  const sign = res.direction === 'minimize' ? 1 : -1;
  const out: SweepJson = {
    algorithm: f.algorithm,
    sampler: f.sampler,
    seed: base.seed,
    defaultSpace: !f.space,
    space,
    metric: data.source.kind === 'regression' ? 'mse' : 'accuracy',
    direction: res.direction,
    base,
    pruning,
    trials: res.trials,
    best,
    importance: {
      method: IMPORTANCE_METHOD,
      params: paramImportance(
        space,
        res.trials.map((t) => ({
          params: t.params,
          loss: t.value === null ? null : sign * t.value,
        })),
      ),
    },
    backend,
  };
  if (f.compareDefault && best && res.bestModel) {
    const bestConfig = applyParams(base, best.params);
    const problems = validateConfig(bestConfig);
    if (problems.length) throw new CliError(problems[0] as string);
    out.comparison = await compareWithDefault(data.source, bestConfig, res.bestModel, base, {
      step: f.evalStep,
      episodes: f.episodes,
      seed: base.seed,
    });
  }
  if (f.out && best && res.bestModel) {
    const doc = sessionFromRun({
      name: `best of a ${f.sampler} sweep on ${data.dataset.name}`,
      dataset: data.dataset,
      config: applyParams(base, best.params),
      backend,
      main: res.bestModel,
      pretrain: null,
      result: null,
      sweep: {
        sampler: f.sampler,
        seed: base.seed,
        space,
        pruning,
        metric: out.metric,
        trials: res.trials,
        best: res.best,
      },
    });
    await writeSessionFile(f.out, doc);
  }
  process.stdout.write(f.json ? JSON.stringify(out) + '\n' : formatSweep(out, metricName));
}

function formatSweep(s: SweepJson, metricName: string): string {
  const keys = Object.keys(s.space);
  const head = ['trial', ...keys, metricName, 'state', 'steps'];
  const rows = s.trials.map((t) => [
    String(t.number),
    ...keys.map((k) => fmtValue(t.params[k as keyof typeof t.params])),
    t.value === null ? '-' : progressNumber(t.value),
    t.state,
    String(t.steps),
  ]);
  const widths = head.map((_, j) =>
    Math.max(...[head, ...rows].map((r) => (r[j] as string).length)),
  );
  const line = (r: string[]) => r.map((c, j) => c.padEnd(widths[j] as number)).join('  ') + '\n';
  let text = line(head) + rows.map(line).join('');
  text += s.best ? `best: ${trialLine(s.best, metricName)}\n` : 'best: none (no trial completed)\n';
  text += `importance (${s.importance.method}): ${s.importance.params.map((p) => `${p.key} ${p.importance.toFixed(2)}`).join(', ')}\n`;
  const c = s.comparison;
  if (c) {
    const f = (x: { mean: number; ci95: number }) => `${x.mean.toFixed(3)} ± ${x.ci95.toFixed(3)}`;
    text +=
      `${metricName} after ${c.step} step${c.step === 1 ? '' : 's'} on ${c.episodes} meta-test episodes (${c.distinctUnits} distinct units, seed ${c.seed}): ` +
      `best ${f(c.best)}, default ${f(c.default)}; paired difference ${f(c.pairedDifference)}; ` +
      `95% intervals ${c.intervalsApart ? 'apart' : 'overlap'}\n`;
  }
  return text;
}
