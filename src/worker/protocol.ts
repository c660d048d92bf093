/**
 * The one typed message union between the UI and the training worker.
 *
 * Every message type is declared once, as a key of `CommandBodies` (UI →
 * worker) or `EventBodies` (worker → UI); the unions `Command` and
 * `WorkerEvent` are derived from those records, so a new message cannot drift
 * from its type. Each switch over them ends in `msg satisfies never`.
 *
 * Wire format: the worker posts `WorkerEvent[]`, one array per synchronous
 * burst (a trainer flush emits metrics + progress + memory together), so the
 * UI gets at most about ten messages a second and applies each as one store
 * update. All payloads are plain structured-clonable data; no tensors.
 *
 * This module holds types and constants only: the UI imports it without
 * pulling in tfjs (the types it borrows from core are erased).
 */
import type { AdapterInfo, BackendAttempt, BackendName } from '../core/spec/backend';
import type { SchemaOverrides } from '../core/data/csv/schema';
import type { BuiltinName } from '../core/spec/builtin';
import type { TrainConfig } from '../core/spec/config';
import type { SamplerName, SweepParams, SweepSpace, TrialRecord } from '../core/spec/sweep-space';
import type { SessionDataset, StoredSweep } from '../sessions/schema';
import type { StepMetric, ValidationMetric } from '../core/spec/events';
import type { SessionDoc } from '../sessions/schema';
import type { SessionCheckpointBody } from './checkpoints';
import type {
  AdaptCommand,
  AdaptProgress,
  AdaptResult,
  ConfusionResult,
  EvaluationCurve,
} from './adapt-types';
import type { ImageProtocolJson, ImageSetting } from '../core/spec/image-protocol';
import type { ThreeMetricsCommand, ThreeMetricsReport } from './three-metrics-types';
import type { DrawClassifyCommand, DrawPrediction } from './draw-types';
import type { BenchCase, BenchResult, CasePhase } from '../bench/measure';
import type {
  CsvStaged,
  DataLimits,
  DataRequest,
  DataSummary,
  ImageStageSettings,
  ImageUpload,
  ImagesStaged,
  Preview,
  PreviewRequest,
  WorkerMemory,
} from './data-types';

export type { AdapterInfo, BackendAttempt, BackendName, StepMetric, ValidationMetric };
export type {
  CsvStaged,
  DataLimits,
  DataRequest,
  DataSummary,
  ImageStageSettings,
  ImageUpload,
  ImagesStaged,
  Preview,
  PreviewRequest,
  WorkerMemory,
};

/** 'auto' = the fallback order webgpu → webgl → wasm → cpu. */
export type BackendRequest = BackendName | 'auto';

/**
 * What the person picks in the Backend menu: a request the worker understands,
 * or 'fastest' — a timed probe of each backend on the current configuration
 * (src/bench/probe.ts, in throwaway bench workers), whose winner is then sent
 * to the training worker as a plain `init` with that backend.
 */
export type BackendPick = BackendRequest | 'fastest';

/**
 * A hyper-parameter sweep in the browser (sweep-coordinator.ts): the worker
 * checks the space against `base` again, runs the sampler and successive
 * halving, and trains each trial in a trial worker of its own.
 */
export interface SweepStart {
  /** the settings of every key the space does not vary (its seed seeds the sweep) */
  base: TrainConfig;
  space: SweepSpace;
  sampler: SamplerName;
  trials: number;
  /** trial workers at once; a GPU backend runs one at a time whatever is asked */
  workers: number;
  pruning: { gracePeriod: number; reductionFactor: number } | null;
}

/** One parameter's importance as the sweep events carry it (core/sweep/importance.ts). */
export interface SweepImportance {
  key: string;
  importance: number;
}

/** What the UI sends. */
export interface CommandBodies {
  /**
   * pick (or re-pick) the tfjs backend; hideWebgpu simulates a browser without WebGPU.
   * During a run the run moves there from a fresh checkpoint (weights, Adam state, RNG);
   * a stopped run's weights stay kept, so Train continues them on the new backend.
   */
  init: { backend: BackendRequest; hideWebgpu: boolean };
  'load-data': { data: DataRequest };
  /**
   * Read CSV files (streaming) and build a task source from the guessed roles;
   * a refusal leaves everything as it was. use: also make it the data trained on;
   * splitSeed: the seed of the meta-split of tasks (or classes); ways: N of
   * N-way, so the default episodic split keeps N classes in meta-val / meta-test.
   */
  'csv-parse': { uploadId: number; files: File[]; use: boolean; splitSeed: number; ways?: number };
  /** rebuild the staged CSV with other column roles (same rules as csv-parse) */
  'csv-roles': {
    uploadId: number;
    overrides: SchemaOverrides;
    use: boolean;
    splitSeed: number;
    ways?: number;
  };
  /**
   * Read an upload of image classes (a zip or a folder), decode and resize
   * every image and stage it with its summary; a refusal leaves everything as
   * it was. use: also make it the data trained on.
   */
  'images-stage': {
    uploadId: number;
    upload: ImageUpload;
    settings: ImageStageSettings;
    use: boolean;
  };
  /** continueRun: resume the stopped run's weights and optimizer instead of starting fresh */
  train: { config: TrainConfig; continueRun: boolean };
  pause: Record<never, never>;
  resume: Record<never, never>;
  stop: Record<never, never>;
  /** stop any run and forget its weights */
  reset: Record<never, never>;
  /**
   * the adaptation curve (steps 0..steps) of the kept model and both baselines on
   * held-out test tasks, with the CLI's protocol (see adapt-evaluate.ts)
   */
  evaluate: { episodes: number; steps: number };
  /** adapt the kept model and both baselines to one task (see adapt-types.ts) */
  adapt: AdaptCommand;
  /** adaptation speed, generalization and robustness of the kept model and both baselines (the CLI's `evaluate --metrics`) */
  'three-metrics': ThreeMetricsCommand;
  /** draw to adapt: adapt the kept model to drawn examples and classify a drawn query (draw-types.ts) */
  'draw-classify': DrawClassifyCommand;
  /** image tasks: the kept model's confusion matrix over held-out episodes (image-jobs.ts) */
  'image-confusion': { episodes: number; steps: number };
  /**
   * image tasks: the papers' protocol on these settings, the numbers of the
   * CLI's `evaluate --episodes E --steps … --json` for the same session and seed
   */
  'image-protocol': { settings: ImageSetting[]; episodes: number; steps: number[] };
  /** tests only: destroy the GPU device mid-run to exercise the recovery path */
  'debug-lose-device': Record<never, never>;
  /** sessions: load a saved session's data, weights and resumable state (csvFiles: the dataset's files, hash-checked, when the session lacks its rows) */
  'load-session': {
    doc: SessionDoc;
    csvFiles: { fileName: string; bytes: Uint8Array }[] | null;
    /** false for a share link's read-only session: the worker's autosave never writes it */
    persist: boolean;
  };
  /** sessions: evaluate the kept session with the CLI's protocol (same numbers as `evaluate --json`) */
  'evaluate-session': { episodes: number; steps: number[] };
  /**
   * sessions: the session on screen was renamed, or a read-only one saved as a copy
   * under a new id; the worker's autosave writes the run's checkpoints under `id`
   */
  'session-meta': {
    sessionId: string;
    id: string;
    name: string;
    createdAt: string;
    persist: boolean;
  };
  /** sessions: save the latest checkpoint now (the page is being hidden) */
  'checkpoint-now': Record<never, never>;
  /** the data picture (answered at once with a `preview` event of the same id) */
  preview: { id: number; request: PreviewRequest };
  /** start a hyper-parameter sweep on the data in use (answered by sweep-started or sweep-done) */
  'sweep-start': SweepStart;
  /** end the sweep now: running trials are dropped, finished ones kept */
  'sweep-stop': Record<never, never>;
  /** "Download model": the kept model's best weights as files (answered by `model-export`) */
  'export-model': { format: ModelExportFormat };
}

/** tfjs: a zip of model.json, model.weights.bin and adaptation.json */
export type ModelExportFormat = 'tfjs';

export type ErrorCode =
  | 'bad-config'
  | 'bad-data'
  | 'diverged'
  | 'out-of-memory'
  | 'shader-failed'
  | 'device-lost'
  | 'backend-failed'
  | 'busy'
  | 'no-data'
  | 'no-model'
  | 'worker-crashed'
  | 'internal';

/** What the worker sends back. */
export interface EventBodies {
  ready: {
    backend: BackendName;
    adapterInfo: AdapterInfo | null;
    /** why this is not the first backend tried; null when it is */
    fallbackReason: string | null;
    attempts: BackendAttempt[];
    /**
     * set when a run moved here mid-way: after its backend failed, or because the
     * person picked another backend during the run (moved: true); either way it
     * resumed from a checkpoint, weights kept
     */
    recovery: {
      from: BackendName;
      reason: string;
      resumedFromStep: number;
      moved?: boolean;
    } | null;
  };
  'data-loaded': { summary: DataSummary };
  /** an image upload is being decoded: files done of all */
  'images-progress': { uploadId: number; done: number; total: number };
  'images-staged': ImagesStaged;
  /** the image upload was refused as a whole; the data in use and the staged upload stay */
  'images-refused': { uploadId: number; name: string; message: string };
  /** a built-in family's asset is downloading (Omniglot): bytes so far, total when known */
  'data-progress': { name: BuiltinName; loaded: number; total: number | null };
  /** a built-in family could not be loaded; the data in use stays as it was */
  'data-failed': { name: BuiltinName; message: string };
  /** a CSV upload is being read: share of the bytes of all files, rows so far */
  'csv-progress': { uploadId: number; fraction: number; rows: number; fileName: string };
  'csv-staged': CsvStaged;
  /** the upload or role change was refused; the previous data stays */
  'csv-refused': {
    uploadId: number;
    stage: 'parse' | 'roles';
    message: string;
    where: { file?: string; row?: number; column?: string };
  };
  /** the first meta-step on a backend compiles kernels: seconds of silence, shown as a state */
  compiling: { message: string };
  /** the run's state as the worker sees it (acknowledges train/pause/resume/stop) */
  status: { state: 'training' | 'paused' | 'stopping'; step: number };
  progress: {
    step: number;
    totalSteps: number;
    stepsPerSec: number;
    /** average since the run (re)started */
    tasksPerSec: number;
    /** over the last reporting interval */
    recentTasksPerSec: number;
    etaSec: number;
    lastLoss: number;
  };
  metrics: { points: StepMetric[] };
  validation: {
    point: ValidationMetric;
    bestStep: number;
    improved: boolean;
    metric: 'mse' | 'accuracy';
  };
  memory: { numTensors: number; numBytes: number };
  done: {
    reason: 'finished' | 'stopped' | 'early-stopped';
    step: number;
    bestStep: number;
  };
  /** acknowledges reset: no run, no kept weights */
  idle: Record<never, never>;
  evaluation: {
    metric: 'mse' | 'accuracy';
    steps: number[];
    /** the meta-learned model's mean and 95% CI per step (NaN where not finite) */
    mean: number[];
    ci95: number[];
    episodes: number;
    /** all three models with medians, diverged counts and the protocol */
    curve: EvaluationCurve;
  };
  /** predictions of the adapted models on one task (answers `adapt`) */
  adaptation: AdaptResult;
  /** answers `image-confusion` */
  'image-confusion': ConfusionResult;
  /** answers `image-protocol`: the CLI's `evaluate --json` object */
  'image-protocol': { result: ImageProtocolJson };
  /** a longer adaptation job is under way (baseline training, evaluation chunks) */
  'adapt-progress': AdaptProgress;
  /** answers `three-metrics`: progress over the tasks of its four passes (report null), then the report */
  'three-metrics': { done: number; total: number; report: ThreeMetricsReport | null };
  /** answers `draw-classify`: the drawn query's probabilities, or why there are none */
  'draw-prediction': DrawPrediction;
  /** an adaptation, evaluation or baseline was dropped for a command that replaces the model */
  'job-cancelled': Record<never, never>;
  error: { code: ErrorCode; message: string };
  /** sessions: a loaded session's model is kept and its data loaded; `lineage` tags its checkpoints */
  'session-loaded': { sessionId: string; lineage: number; step: number };
  /** sessions: the worker saved the run (every few seconds, on Stop and at the end) */
  checkpoint: SessionCheckpointBody;
  'session-evaluation': { evaluation: NonNullable<SessionDoc['evaluation']> };
  /** answers `export-model`: a zip to download, and the names of the files in it */
  'model-export': {
    format: ModelExportFormat;
    fileName: string;
    bytes: Uint8Array;
    files: string[];
  };
  /** answers `preview` with the same id; null: this data has no picture */
  preview: { id: number; preview: Preview | null };
  'sweep-started': {
    total: number;
    /** trial workers actually used */
    workers: number;
    backend: BackendName;
    metric: 'mse' | 'accuracy';
    /** how importance is computed, in words (IMPORTANCE_METHOD) */
    importanceMethod: string;
  };
  /** a trial ended (trials end in any order when several run at once) */
  'sweep-trial': {
    trial: TrialRecord;
    /** the number of the best complete trial so far, or null */
    best: number | null;
    importance: SweepImportance[];
  };
  /** the sweep ended; record: what a session stores (null when it never started) */
  'sweep-done': {
    reason: 'finished' | 'stopped' | 'refused';
    message: string | null;
    record: StoredSweep | null;
  };
}

/**
 * The benchmark worker (src/bench/bench.worker.ts): one `measure` in, phase
 * events and one `result` or `failed` out. A fresh worker per case, created
 * only by src/bench/runner.ts, which terminates it when the case overruns its
 * time budget. Plain events, one per message (a case sends a handful).
 */
export interface BenchCommandBodies {
  measure: { case: BenchCase };
}

export interface BenchEventBodies {
  phase: { phase: CasePhase };
  result: { result: BenchResult };
  failed: { message: string };
}

/**
 * A trial worker (trial.worker.ts), created only by the sweep coordinator in
 * the training worker: `run` trains one trial's settings on the sweep's data
 * and backend and answers with `result` (validation scores on the way, for
 * successive halving); `prune` ends that trial at its next meta-step. One
 * trial at a time per worker; a worker is reused for the next trial.
 */
export interface TrialCommandBodies {
  run: {
    trial: number;
    params: SweepParams;
    base: TrainConfig;
    dataset: SessionDataset;
    backend: BackendName;
  };
  prune: { trial: number };
}

export interface TrialEventBodies {
  validation: { trial: number; step: number; metric: number };
  result: { record: TrialRecord };
}

type Tagged<T> = { [K in keyof T]: { type: K } & T[K] }[keyof T];

export type Command = Tagged<CommandBodies>;
export type CommandType = keyof CommandBodies;
export type WorkerEvent = Tagged<EventBodies>;
export type WorkerEventType = keyof EventBodies;

/** One message from the worker: the events of one synchronous burst, in order. */
export type WorkerMessage = WorkerEvent[];

export type EventOf<K extends WorkerEventType> = Extract<WorkerEvent, { type: K }>;
export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>;

export type BenchCommand = Tagged<BenchCommandBodies>;
export type BenchEvent = Tagged<BenchEventBodies>;

export type TrialCommand = Tagged<TrialCommandBodies>;
export type TrialEvent = Tagged<TrialEventBodies>;
