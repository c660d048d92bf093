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
  PAPER_SETTINGS,
  imageProtocolJson,
  settingLabel,
  type ImageSetting,
} from '../core/train/image-protocol';

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
  const json = await imageProtocolJson(
    source,
    config,
    models,
    {
      settings,
      episodes: f.episodes,
      steps: f.steps,
      ...(f.queries !== undefined ? { queries: f.queries } : {}),
      ...(f.innerLr !== undefined ? { innerLr: f.innerLr } : {}),
      ...(f.seed !== undefined ? { seed: f.seed } : {}),
      onProgress: (s, d, t) => process.stderr.write(`\r${settingLabel(s)}: ${d}/${t} episodes`),
    },
    backend,
  );
  process.stderr.write('\n');
  const protocol = json.protocol;
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
