/**
 * `train`: build the task source, meta-train the chosen method with a live
 * progress bar, train the pre-training baseline on the same tasks, and write
 * the session (best weights, baseline weights, curves, and a checkpoint of the
 * last step so the run can be resumed).
 */
import {
  defaultConfig,
  validateConfig,
  type AlgorithmName,
  type Backbone,
  type MetaOptimizerName,
  type TrainConfig,
} from '../core/spec/config';
import {
  Trainer,
  type RunControl,
  type TrainResult,
  type TrainState,
  type TrainedModel,
} from '../core/train/trainer';
import { scratchModel, trainBaseline } from '../core/train/experiment';
import { sessionFromRun } from '../sessions/from-run';
import { useNodeBackend, type NodeBackend } from './backend-node';
import { CliError } from './errors';
import { progressNumber, progressReporter } from './progress';
import { resolveData, sourceFromSession } from './dataset';
import { keptFromSession } from '../worker/kept-run';
import type { TaskSource } from '../core/data/types';
import type { SessionDoc } from '../sessions/index';
import type { CsvFlags } from './csv-dataset';
import type { ImageFlags } from './image-dataset';
import { readSessionFile, writeSessionFile } from './session-file';

export interface TrainFlags extends CsvFlags, ImageFlags {
  /** required unless `resume` names a session (whose dataset is then the default) */
  data?: string;
  out: string;
  algorithm: AlgorithmName;
  /** false when --algorithm took its default (a resumed run then keeps the session's) */
  algorithmGiven?: boolean;
  /** a session file whose checkpoint the run continues */
  resume?: string;
  metaSteps?: number;
  metaBatch?: number;
  shots?: number;
  ways?: number;
  queries?: number;
  innerLr?: number;
  innerSteps?: number;
  evalInnerSteps?: number;
  metaLr?: number;
  hidden?: number[];
  metaOptimizer?: MetaOptimizerName;
  weightDecay?: number;
  cosineSchedule?: boolean;
  dropout?: number;
  multiStepLoss?: boolean;
  perStepRates?: boolean;
  backbone?: Backbone;
  filters?: 32 | 64;
  valEvery?: number;
  valTasks?: number;
  patience?: number;
  seed?: number;
  timeLimit?: number;
  baseline: boolean;
  name?: string;
  backend: NodeBackend;
}

/** The flags that set the training configuration (train and sweep share them). */
export type ConfigFlags = Pick<TrainFlags, 'algorithm' | (typeof CONFIG_FLAG_KEYS)[number]>;

const CONFIG_FLAG_KEYS = [
  'metaSteps',
  'metaBatch',
  'shots',
  'ways',
  'queries',
  'innerLr',
  'innerSteps',
  'evalInnerSteps',
  'metaLr',
  'hidden',
  'backbone',
  'filters',
  'valEvery',
  'valTasks',
  'patience',
  'seed',
  'metaOptimizer',
  'weightDecay',
  'cosineSchedule',
  'dropout',
  'multiStepLoss',
  'perStepRates',
] as const;

export function configFromFlags(f: ConfigFlags): TrainConfig {
  const c = defaultConfig(f.algorithm);
  const out: TrainConfig = { ...c };
  for (const k of CONFIG_FLAG_KEYS)
    if (f[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = f[k];
  const problems = validateConfig(out);
  if (problems.length) throw new CliError(problems[0] as string);
  return out;
}

/**
 * The settings of a resumed run: the session's, with each flag given on the
 * command line in place of its value. The method cannot change: the weights
 * and the optimizer state belong to it.
 */
export function resumedConfig(saved: TrainConfig, f: TrainFlags): TrainConfig {
  if (f.algorithmGiven && f.algorithm !== saved.algorithm)
    throw new CliError(
      `--resume: the session was trained with ${saved.algorithm}; --algorithm ${f.algorithm} cannot continue it`,
    );
  const out: TrainConfig = { ...saved };
  for (const k of CONFIG_FLAG_KEYS)
    if (f[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = f[k];
  const problems = validateConfig(out);
  if (problems.length) throw new CliError(problems[0] as string);
  return out;
}

function resumeState(
  path: string,
  doc: SessionDoc,
  config: TrainConfig,
  source: TaskSource,
): TrainState {
  if (!doc.checkpoint)
    throw new CliError(
      `--resume: ${path} has no checkpoint of its last step (it was saved without one), so its run cannot be continued`,
    );
  if (config.metaSteps <= doc.checkpoint.step)
    throw new CliError(
      `--resume: the session stopped at meta-step ${doc.checkpoint.step}; give --meta-steps above it (it counts from the run's start)`,
    );
  return keptFromSession(doc, source.imageShape).state;
}

async function resolveTrainData(f: TrainFlags, config: TrainConfig, saved: SessionDoc | null) {
  if (saved && f.data === undefined)
    return { source: await sourceFromSession(saved), dataset: saved.dataset, notes: [] };
  if (f.data === undefined) throw new CliError('--data is required (or --resume a session)');
  return resolveData(f.data, { ...f, ways: config.ways }, config.seed);
}

export async function runTrain(f: TrainFlags): Promise<void> {
  const saved = f.resume ? await readSessionFile(f.resume) : null;
  let config = saved ? resumedConfig(saved.config, f) : configFromFlags(f);
  const backend = await useNodeBackend(f.backend);
  const data = await resolveTrainData(f, config, saved);
  if (saved && data.dataset.sha256 !== saved.dataset.sha256)
    throw new CliError(
      `--resume: --data is not the dataset "${saved.dataset.name}" the session was trained on (its SHA-256 differs)`,
    );
  const resumed = f.resume && saved ? resumeState(f.resume, saved, config, data.source) : null;
  // Image data trains the conv net unless --backbone says otherwise.
  if (!saved && data.source.imageShape && f.backbone === undefined) {
    config = { ...config, backbone: 'conv4' };
    const problems = validateConfig(config);
    if (problems.length) throw new CliError(problems[0] as string);
  }
  const t0 = performance.now();
  const printNotes = () => data.notes.forEach((note) => process.stderr.write(`note: ${note}\n`));

  let result: TrainResult | null = null;
  let main: TrainedModel;
  if (config.algorithm === 'scratch') {
    printNotes();
    main = scratchModel(data.source, config);
  } else {
    const stop = stopOnTimeOrInterrupt(f.timeLimit);
    const trainer = new Trainer(data.source, config, {
      throttleMs: 200,
      ...(resumed ? { resume: resumed } : {}),
      control: stop.control,
      validateOnStop: true,
      ...(f.backend === 'wasm-fused' || f.backend === 'wasm-fused-2t'
        ? {
            engine: f.backend,
            onEngineFallback: (why: string) =>
              process.stderr.write(`note: ${why}; training with tfjs on wasm instead\n`),
            onThreadsFallback: (why: string) =>
              process.stderr.write(`note: ${why}; the fused step runs on one thread\n`),
          }
        : {}),
    });
    printNotes();
    const bar = progressReporter(config.algorithm, config.metaSteps);
    trainer.onEvent = bar.onEvent;
    try {
      await trainer.restoreOptimizer();
      result = await trainer.run();
    } finally {
      bar.stop();
      stop.release();
      trainer.dispose();
    }
    main = result.model;
  }
  const trainSeconds = (performance.now() - t0) / 1000;

  let pretrain: TrainedModel | null = config.algorithm === 'pretrain' ? main : null;
  if (f.baseline && config.algorithm !== 'pretrain' && config.algorithm !== 'scratch') {
    const bar = progressReporter('pretrain baseline', config.metaSteps);
    try {
      pretrain = (await trainBaseline(data.source, config, { onEvent: bar.onEvent })).model;
    } finally {
      bar.stop();
    }
  }

  const doc = sessionFromRun({
    name: f.name ?? saved?.name ?? `${config.algorithm} on ${data.dataset.name}`,
    dataset: data.dataset,
    config,
    backend,
    main,
    pretrain,
    result,
  });
  await writeSessionFile(f.out, doc);

  const steps = result?.stepsDone ?? 0;
  // A resumed run reports the steps it took itself, so the rate is this run's.
  const from = resumed?.step ?? 0;
  const ran = steps - from;
  const best = result?.history.validation.find((v) => v.step === result?.bestStep);
  const metricName = data.source.kind === 'regression' ? 'MSE' : 'accuracy';
  process.stderr.write(
    `trained ${ran} meta-steps${from ? ` (${from} → ${steps})` : ''} in ${trainSeconds.toFixed(1)} s (${(ran / Math.max(trainSeconds, 1e-9)).toFixed(1)} steps/s on ${f.backend.startsWith('wasm-fused') ? f.backend : backend})` +
      (best
        ? `; best validation ${metricName} ${progressNumber(best.metric)} at step ${best.step}`
        : '') +
      (result && result.reason !== 'finished' ? ` (${result.reason})` : '') +
      `; wrote ${f.out}\n`,
  );
}

/**
 * A wall-clock budget (--time-limit) and Ctrl-C both end meta-training at the
 * next step boundary; the trainer then validates the last weights and the
 * session is written as usual, so a long run is never lost to an interrupt.
 */
function stopOnTimeOrInterrupt(minutes: number | undefined): {
  control: RunControl;
  release: () => void;
} {
  const deadline = minutes === undefined ? Infinity : performance.now() + minutes * 60_000;
  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(
      '\nstopping after this step and saving (Ctrl-C again quits without saving)\n',
    );
  };
  process.on('SIGINT', onInterrupt);
  return {
    control: {
      checkpoint: async () => {},
      stopRequested: () => interrupted || performance.now() >= deadline,
    },
    release: () => process.off('SIGINT', onInterrupt),
  };
}
