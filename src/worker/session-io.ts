/**
 * Sessions inside the worker: a session document turned back into what the
 * worker keeps after a run (task source, best and current weights, Adam
 * slots, RNG position, curves) and the reverse, the kept run as a session
 * document (through sessionFromRun, the same builder the CLI uses); and the
 * evaluation of a kept session with exactly the CLI's protocol (`evaluate
 * --json`: the session's model next to both baselines, the same episodes,
 * queries, shots, inner learning rate and seed), so the two print the same
 * numbers on the same backend.
 *
 * Ownership: everything here is plain arrays; evaluateExperiment creates and
 * frees its tensors.
 */
import { builtinSource, loadBuiltinSource, type AssetLoader } from '../core/data/builtin';
import { isBuiltinName } from '../core/spec/builtin';
import { csvTextFromBytes, loadCsvTexts } from '../core/data/index';
import type { TaskSource } from '../core/data/types';
import { DataError } from '../core/data/types';
import { defaultEvalQueries, evaluateExperiment } from '../core/train/experiment';
import type { TrainResult } from '../core/train/trainer';
import { sessionFromRun } from '../sessions/from-run';
import {
  builtinDatasetRecord,
  csvTextsFromDataset,
  hashFiles,
  overridesFromDataset,
} from '../sessions/csv-dataset';
import type { EvaluationResult, SessionDataset, SessionDoc, StoredSweep } from '../sessions/schema';
import type { KeptRun } from './kept-run';

export interface CsvFile {
  fileName: string;
  bytes: Uint8Array;
}

export const builtinDataset = builtinDatasetRecord;

/** SHA-256 of several files: of their bytes joined, in order (as the CLI hashes them). */
/**
 * The task source a session was trained on: a builtin family, the CSV rows
 * stored in the session, or the CSV files the person chose (their hash must
 * be the session's).
 */
export async function sourceFromDataset(
  d: SessionDataset,
  seed: number,
  files: readonly CsvFile[] | null,
  assets?: AssetLoader,
): Promise<TaskSource> {
  if (d.source === 'builtin') {
    if (!isBuiltinName(d.name))
      throw new DataError(`The session uses an unknown built-in task family "${d.name}".`);
    if (assets) return loadBuiltinSource(d.name, assets, (d.options ?? {}) as never);
    return builtinSource(d.name, (d.options ?? {}) as never);
  }
  let texts: { fileName: string; text: string }[];
  if (d.rows?.length) {
    texts = csvTextsFromDataset(d);
  } else if (files?.length) {
    const sha = await hashFiles(files.map((f) => f.bytes));
    if (sha !== d.sha256)
      throw new DataError(
        `The chosen file is not the dataset "${d.name}" this session was trained on (its SHA-256 differs).`,
      );
    texts = files.map((f) => csvTextFromBytes(f.bytes, f.fileName));
  } else {
    throw new DataError(
      `The session does not carry the rows of its dataset "${d.name}": choose the CSV file to evaluate or continue it.`,
    );
  }
  return loadCsvTexts(texts, overridesFromDataset(d), { seed, name: d.name }).source;
}

/** The kept run (or a snapshot of a live one) as a session document with placeholder identity. */
export function sessionDocFromKept(
  kept: KeptRun,
  dataset: SessionDataset,
  backend: string,
  reason: TrainResult['reason'],
  /** the sweep the settings came from (its trials, never their weights) */
  sweep: StoredSweep | null = null,
): SessionDoc {
  const { state, model } = kept;
  const result: TrainResult = {
    reason,
    stepsDone: state.step,
    bestStep: state.best.step,
    model: { ...model, arrays: state.best.arrays },
    last: { ...model, arrays: state.params },
    history: state.history,
    state,
  };
  return sessionFromRun({
    name: `${kept.config.algorithm} on ${dataset.name}`,
    dataset,
    config: kept.config,
    backend,
    main: result.model,
    pretrain: kept.pretrain ?? null,
    result,
    ...(sweep ? { sweep } : {}),
  });
}

/** Scores the kept session's best weights and its baselines as `evaluate --json` does. */
export async function evaluateKept(
  source: TaskSource,
  kept: KeptRun,
  req: { episodes: number; steps: number[] },
): Promise<EvaluationResult> {
  const config = kept.config;
  const steps = [...new Set(req.steps)].sort((a, b) => a - b);
  if (!(req.episodes >= 1) || steps.length === 0 || steps[0]! < 0)
    throw new DataError('Evaluation needs at least one episode and adaptation steps ≥ 0.');
  const res = await evaluateExperiment(
    source,
    config,
    {
      algorithm: config.algorithm,
      main: { ...kept.model, arrays: kept.state.best.arrays },
      pretrain: kept.pretrain ?? null,
    },
    {
      episodes: req.episodes,
      maxSteps: Math.max(...steps),
      shots: config.shots,
      ways: config.ways,
      queries: defaultEvalQueries(source, config),
      innerLr: config.innerLr,
      seed: config.seed,
    },
  );
  const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
  const models: EvaluationResult['models'] = {};
  for (const [name, c] of Object.entries(res.models)) {
    models[name] = {
      mean: steps.map((s) => finite(c.mean[s])),
      ci95: steps.map((s) => finite(c.ci95[s])),
      median: steps.map((s) => finite(c.median[s])),
      diverged: steps.map((s) => c.diverged[s] ?? 0),
    };
  }
  return {
    algorithm: config.algorithm,
    metric: res.metric,
    steps,
    episodes: req.episodes,
    shots: config.shots,
    innerLr: config.innerLr,
    seed: config.seed,
    models,
  };
}
