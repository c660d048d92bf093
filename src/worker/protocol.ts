/**
 * The one typed message union between the UI and the training worker.
 *
 * Every message type is declared once, as a key of `CommandBodies` (UI →
 * worker) or `EventBodies` (worker → UI); the unions `Command` and
 * `WorkerEvent` are derived from those records, so a new message cannot drift
 * from its type. Each switch over them ends in `msg satisfies never`. The
 * data, adaptation and sweep messages are declared in protocol-data.ts,
 * protocol-adapt.ts and protocol-sweep.ts and joined here by `extends`, so
 * there is still one union, and each file stays readable.
 *
 * Wire format: the worker posts `WorkerEvent[]`, one array per synchronous
 * burst (a trainer flush emits metrics + progress + memory together), so the
 * UI gets at most about ten messages a second and applies each as one store
 * update. All payloads are plain structured-clonable data; no tensors.
 *
 * This module holds types and constants only: the UI imports it without
 * pulling in tfjs (the types it borrows from core are erased).
 */
import type {
  AdapterInfo,
  BackendAttempt,
  BackendName,
  EngineBackendName,
  FusedBackendName,
} from '../core/spec/backend';
import type { TrainConfig } from '../core/spec/config';
import type { SweepParams, TrialRecord } from '../core/spec/sweep-space';
import type { SessionDataset } from '../sessions/schema';
import type { StepMetric, ValidationMetric } from '../core/spec/events';
import type { SessionDoc } from '../sessions/schema';
import type { SessionCheckpointBody } from './checkpoints';
import type { AdaptCommandBodies, AdaptEventBodies } from './protocol-adapt';
import type { DataCommandBodies, DataEventBodies } from './protocol-data';
import type {
  SweepCommandBodies,
  SweepEventBodies,
  SweepImportance,
  SweepStart,
} from './protocol-sweep';
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

export type {
  AdapterInfo,
  BackendAttempt,
  BackendName,
  EngineBackendName,
  FusedBackendName,
  StepMetric,
  ValidationMetric,
};
export type { SweepImportance, SweepStart };
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

/**
 * 'auto' = the fallback order webgpu → webgl → wasm → cpu; a fused engine's
 * name runs MAML's meta-step on it, tfjs on its base backend for the rest.
 */
export type BackendRequest = EngineBackendName | 'auto';

/** Per fused engine: null when this worker can run it, else why not (worded for a person). */
export type FusedAvailability = Record<FusedBackendName, string | null>;

/**
 * What the person picks in the Backend menu: a request the worker understands,
 * or 'fastest' — a timed probe of each backend on the current configuration
 * (src/bench/probe.ts, in throwaway bench workers), whose winner is then sent
 * to the training worker as a plain `init` with that backend.
 */
export type BackendPick = BackendRequest | 'fastest';

/** What the UI sends (the data, adaptation and sweep messages in their own files). */
export interface CommandBodies extends DataCommandBodies, AdaptCommandBodies, SweepCommandBodies {
  /**
   * pick (or re-pick) the tfjs backend, or a fused engine (on its base backend);
   * hideWebgpu simulates a browser without WebGPU.
   * During a run the run moves there from a fresh checkpoint (weights, Adam state, RNG);
   * a stopped run's weights stay kept, so Train continues them on the new backend.
   */
  init: { backend: BackendRequest; hideWebgpu: boolean };
  /** continueRun: resume the stopped run's weights and optimizer instead of starting fresh */
  train: { config: TrainConfig; continueRun: boolean };
  pause: Record<never, never>;
  resume: Record<never, never>;
  stop: Record<never, never>;
  /** stop any run and forget its weights */
  reset: Record<never, never>;
  /** tests only: destroy the GPU device mid-run to exercise the recovery path */
  'debug-lose-device': Record<never, never>;
  /** sessions: load a saved session's data, weights and resumable state (csvFiles: the dataset's files, hash-checked, when the session lacks its rows) */
  'load-session': {
    doc: SessionDoc;
    csvFiles: { fileName: string; bytes: Uint8Array }[] | null;
    /** an uploaded image set's session: the zip or folder chosen again (checked against the session) */
    images?: ImageUpload | null;
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
  /** "Download model": the kept model's best weights as files (answered by `model-export`) */
  'export-model': { format: ModelExportFormat };
}

/**
 * Each a zip: tfjs — model.json, model.weights.bin, adaptation.json;
 * safetensors — model.safetensors (+ inner_lr.safetensors), adaptation.json;
 * python — a folder with those and model.py, adapt.py, train.py, README.md.
 */
export type ModelExportFormat = 'tfjs' | 'safetensors' | 'python';

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
export interface EventBodies extends DataEventBodies, AdaptEventBodies, SweepEventBodies {
  ready: {
    backend: BackendName;
    /** the fused engine runs will use on top of `backend`; null or absent: plain tfjs */
    engine?: FusedBackendName | null;
    /** which fused engines this worker can run (the Backend menu offers those) */
    engines?: FusedAvailability;
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
      from: EngineBackendName;
      reason: string;
      resumedFromStep: number;
      moved?: boolean;
    } | null;
  };
  /**
   * What a run (or a run resumed after a move) really trains with: a fused
   * engine, or tfjs on `backend` when the engine asked for does not apply to
   * its settings (`reason` says why; the page shows it)
   */
  'run-engine': {
    requested: FusedBackendName | null;
    used: EngineBackendName;
    backend: BackendName;
    reason: string | null;
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
