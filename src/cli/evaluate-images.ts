/**
 * `evaluate` on an image session: the papers' protocol (image-protocol.ts) —
 * 5-way 1-shot, 5-way 5-shot and 20-way 1-shot by default, or the one
 * setting --ways/--shots name — as a table, or with --json as one object:
 * per setting the main model's and the baselines' mean accuracy and 95% CI
 * at each requested adaptation step, and the published figures alongside.
 */
import type { TaskSource } from '../core/data/types';
import type { TrainConfig } from '../core/spec/config';
import type { ExperimentModels } from '../core/train/experiment';
import {
  PAPER_OMNIGLOT,
  PAPER_SETTINGS,
  evaluateImageProtocol,
  settingLabel,
  type ImageSetting,
} from '../core/train/image-protocol';
import type { CurveStats } from '../core/train/evaluate';

export interface ImageEvalFlags {
  episodes: number;
  steps: number[];
  ways?: number;
  shots?: number;
  queries?: number;
  innerLr?: number;
  seed?: number;
  json?: boolean;
}

/** Query images per class when evaluating image sessions (papers use 1–15; 5 keeps 20-way affordable). */
export const IMAGE_EVAL_QUERIES = 5;

const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
const pick = (c: CurveStats, steps: number[]) => ({
  mean: steps.map((s) => finite(c.mean[s])),
  ci95: steps.map((s) => finite(c.ci95[s])),
});

export async function runImageEvaluate(
  source: TaskSource,
  config: TrainConfig,
  models: ExperimentModels,
  f: ImageEvalFlags,
  backend: string,
): Promise<string> {
  const settings: ImageSetting[] =
    f.ways !== undefined || f.shots !== undefined
      ? [{ ways: f.ways ?? config.ways, shots: f.shots ?? config.shots }]
      : [...PAPER_SETTINGS];
  const protocol = {
    episodes: f.episodes,
    queries: f.queries ?? IMAGE_EVAL_QUERIES,
    innerLr: f.innerLr ?? config.innerLr,
    seed: f.seed ?? config.seed,
    backend,
  };
  const t0 = performance.now();
  const results = await evaluateImageProtocol(source, config, models, {
    settings,
    episodes: protocol.episodes,
    queries: protocol.queries,
    maxSteps: Math.max(...f.steps),
    scoreSteps: [...new Set([0, ...f.steps])],
    innerLr: protocol.innerLr,
    seed: protocol.seed,
    onProgress: (s, d, t) => process.stderr.write(`\r${settingLabel(s)}: ${d}/${t} episodes`),
  });
  process.stderr.write('\n');
  const paper = PAPER_OMNIGLOT[config.algorithm] ?? null;
  const json = {
    algorithm: config.algorithm,
    metric: 'accuracy' as const,
    steps: f.steps,
    protocol: { ...protocol, seconds: Math.round((performance.now() - t0) / 1000) },
    settings: results.map((r) => {
      const idx = PAPER_SETTINGS.findIndex(
        (p) => p.ways === r.setting.ways && p.shots === r.setting.shots,
      );
      const models: Record<string, { mean: (number | null)[]; ci95: (number | null)[] }> = {};
      for (const [name, c] of Object.entries(r.result.models)) models[name] = pick(c, f.steps);
      return {
        ways: r.setting.ways,
        shots: r.setting.shots,
        models,
        skipped: r.skipped,
        paperPercent: paper && idx >= 0 ? (paper[idx] ?? null) : null,
      };
    }),
  };
  if (f.json) return JSON.stringify(json) + '\n';
  const pct = (m: number | null, c: number | null) =>
    m === null ? '—' : `${(100 * m).toFixed(1)} ± ${(100 * (c ?? NaN)).toFixed(1)}`;
  const lines = [
    `accuracy % (mean ± 95% CI) on ${protocol.episodes} held-out episodes per setting, ${protocol.queries} queries per class, inner lr ${protocol.innerLr}, seed ${protocol.seed}, ${backend}`,
  ];
  for (const s of json.settings) {
    lines.push(
      `${s.ways}-way ${s.shots}-shot` +
        (s.paperPercent !== null ? ` (paper: ${s.paperPercent})` : ''),
    );
    for (const [name, r] of Object.entries(s.models))
      lines.push(
        `  ${name.padEnd(9)} ` +
          f.steps
            .map((st, i) => `${st} steps: ${pct(r.mean[i] ?? null, r.ci95[i] ?? null)}`)
            .join('   '),
      );
    for (const [name, why] of Object.entries(s.skipped))
      lines.push(`  ${name.padEnd(9)} left out: ${why}`);
  }
  return lines.join('\n') + '\n';
}
