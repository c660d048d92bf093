/**
 * The shape of everything the UI shows, as four slices of one store:
 * backend (what the worker runs on and why), setup (dataset and training
 * configuration, and a change waiting for confirmation), run (the live state
 * of training) and history (the curves). Plain data only; no tensors, no
 * functions. Each slice has its initial value here.
 *
 * Homes of state: the configuration (seed included), the built-in family and
 * the backend request live in the URL too (store/url/settings.ts); a share
 * link carries a whole session; the rest lives in memory for this page.
 */
import type { StoreApi } from 'zustand';
import type { BuiltinName } from '../core/spec/builtin';
import { defaultConfig, type TrainConfig } from '../core/spec/config';
import { initialCsv, type CsvSlice } from './data-slice';
import { initialImages, type ImagesSlice } from './images-slice';
import type {
  AdapterInfo,
  BackendName,
  BackendPick,
  DataSummary,
  ErrorCode,
  EventBodies,
  FusedAvailability,
  FusedBackendName,
  StepMetric,
  ValidationMetric,
} from '../worker/protocol';
import { initialSessions, type SessionsSlice } from './sessions-slice';
import { initialAdaptation, type AdaptationSlice } from './adaptation-slice';
import { initialMetrics, type MetricsSlice } from './metrics-slice';
import { initialBench, type BenchSlice } from './bench-slice';
import { initialSweep, type SweepSlice } from './sweep-slice';
import { initialPreview, type PreviewSlice } from './preview-slice';
import { initialDraw, type DrawSlice } from './draw-slice';
import type { ProbeFigure } from '../bench/probe';
import type { UrlProblem } from './url/codec';

/** The "Fastest" choice's timed probe (src/bench/probe.ts). */
export interface ProbeState {
  phase: 'idle' | 'probing' | 'done' | 'failed';
  /** the backend being probed now */
  current: BackendName | null;
  figures: ProbeFigure[];
  /** the winner, sent to the training worker; null until there is one */
  chosen: BackendName | null;
  /** the configuration probed (probeKey): another one probes again */
  key: string | null;
  /** why "Best available" probed instead of taking WebGPU ("a software GPU (SwiftShader)"); null under "Fastest" */
  because: string | null;
}

export interface BackendSlice {
  requested: BackendPick;
  probe: ProbeState;
  hideWebgpu: boolean;
  /** null until the worker has reported */
  active: BackendName | null;
  adapterInfo: AdapterInfo | null;
  fallbackReason: string | null;
  recovery: EventBodies['ready']['recovery'];
  /** the fused engine runs use on top of `active` (issue 16); null: plain tfjs */
  engine: FusedBackendName | null;
  /** which fused engines the worker can run (the Backend menu offers those); null until it says */
  engines: FusedAvailability | null;
  /** what the current (or last) run really trains with, and why not the engine asked for */
  runEngine: EventBodies['run-engine'] | null;
}

/** A change that would throw away the current run, waiting for the person to confirm it. */
export type PendingChange =
  | { kind: 'config'; config: TrainConfig }
  | { kind: 'family'; family: BuiltinName }
  /** train on the staged CSV upload (see data-slice.ts) */
  | { kind: 'csv' }
  /** train on the staged image upload (see images-slice.ts) */
  | { kind: 'images' }
  | { kind: 'backend'; backend: BackendPick }
  /** the settings of an address pasted into this tab (store/url/bind.ts) */
  | { kind: 'settings'; config: TrainConfig; family: BuiltinName | null; backend: BackendPick };

/**
 * A built-in family's asset on its way (Omniglot): bytes so far, and what
 * was in use before it was picked, restored if the load fails.
 */
export interface DataLoad {
  family: BuiltinName;
  loaded: number;
  /** null until the size is known */
  total: number | null;
  previous: { family: BuiltinName; data: DataSummary | null; config: TrainConfig };
}

export interface SetupSlice {
  family: BuiltinName;
  /** the asset of the family picked is loading; null otherwise */
  load: DataLoad | null;
  /** why the last family picked could not be loaded (the data in use did not change) */
  loadError: { name: BuiltinName; message: string } | null;
  /** what the page changed in the configuration by itself (image defaults), said once */
  configNote: string | null;
  data: DataSummary | null;
  config: TrainConfig;
  /** the configuration the current (or stopped) run was started with */
  runConfig: TrainConfig | null;
  pending: PendingChange | null;
  /** bumped whenever a pending change is confirmed or cancelled, so form drafts resync */
  epoch: number;
}

export type RunStatus =
  | 'starting'
  | 'idle'
  | 'compiling'
  | 'training'
  | 'paused'
  | 'stopping'
  | 'stopped'
  | 'done'
  | 'error';

export interface MemorySample {
  step: number;
  numTensors: number;
}

export interface RunSlice {
  status: RunStatus;
  step: number;
  totalSteps: number;
  etaSec: number;
  tasksPerSec: number;
  compilingMessage: string | null;
  error: { code: ErrorCode; message: string } | null;
  doneReason: EventBodies['done']['reason'] | null;
  bestStep: number | null;
  /** live tensors in the worker: the first sample after step 1 of the run, the latest, the peak */
  memory: { first: MemorySample | null; last: MemorySample | null; peak: number };
  evaluation: EventBodies['evaluation'] | null;
  /** performance.now() of the last message from the worker, for the watchdog */
  lastEventAt: number;
  /** Reset was sent and the worker has not acknowledged it: events of the old run are dropped */
  resetting: boolean;
}

export interface ThroughputPoint {
  step: number;
  tasksPerSec: number;
}

export interface HistorySlice {
  train: StepMetric[];
  validation: ValidationMetric[];
  throughput: ThroughputPoint[];
  metric: 'mse' | 'accuracy';
}

export interface AppState {
  /** the sessions panel (sessions-slice.ts) */
  sessions: SessionsSlice;
  backend: BackendSlice;
  setup: SetupSlice;
  run: RunSlice;
  history: HistorySlice;
  csv: CsvSlice;
  /** the upload of image classes (images-slice.ts) */
  images: ImagesSlice;
  /** the adaptation panel (adaptation-slice.ts) */
  adaptation: AdaptationSlice;
  /** the three metrics of the evaluation report (metrics-slice.ts) */
  metrics: MetricsSlice;
  /** the Benchmark page (bench-slice.ts) */
  bench: BenchSlice;
  /** the Sweep panel (sweep-slice.ts) */
  sweep: SweepSlice;
  /** what the address asked for that could not be used (store/url) */
  url: UrlSlice;
  /** the data picture drawn by the worker (preview-slice.ts) */
  preview: PreviewSlice;
  /** the draw-to-adapt panel (draw-slice.ts) */
  draw: DrawSlice;
}

export interface UrlSlice {
  problems: UrlProblem[];
}

/** The store as actions see it (zustand's API narrowed to reading and replacing the state). */
export type Store = Pick<StoreApi<AppState>, 'getState' | 'setState'>;

export const initialProbe: ProbeState = {
  phase: 'idle',
  current: null,
  figures: [],
  chosen: null,
  key: null,
  because: null,
};

export const initialBackend: BackendSlice = {
  requested: 'auto',
  probe: initialProbe,
  hideWebgpu: false,
  active: null,
  adapterInfo: null,
  fallbackReason: null,
  recovery: null,
  engine: null,
  engines: null,
  runEngine: null,
};

export const initialSetup: SetupSlice = {
  family: 'sinusoid',
  load: null,
  loadError: null,
  configNote: null,
  data: null,
  config: defaultConfig('maml'),
  runConfig: null,
  pending: null,
  epoch: 0,
};

export const initialRun: RunSlice = {
  status: 'starting',
  step: 0,
  totalSteps: 0,
  etaSec: NaN,
  tasksPerSec: NaN,
  compilingMessage: null,
  error: null,
  doneReason: null,
  bestStep: null,
  memory: { first: null, last: null, peak: 0 },
  evaluation: null,
  lastEventAt: 0,
  resetting: false,
};

export const initialHistory: HistorySlice = {
  train: [],
  validation: [],
  throughput: [],
  metric: 'mse',
};

export function initialState(): AppState {
  return {
    sessions: { ...initialSessions },
    backend: { ...initialBackend },
    setup: { ...initialSetup, config: defaultConfig('maml') },
    run: { ...initialRun },
    history: { ...initialHistory },
    csv: { ...initialCsv },
    images: { ...initialImages },
    adaptation: { ...initialAdaptation },
    metrics: { ...initialMetrics },
    bench: { ...initialBench },
    sweep: initialSweep(
      defaultConfig('maml'),
      typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency,
    ),
    url: { problems: [] },
    preview: { ...initialPreview },
    draw: { ...initialDraw },
  };
}

/** A run exists (going, paused, or stopped with its weights kept). */
export function hasRun(status: RunStatus): boolean {
  return status !== 'idle' && status !== 'starting' && status !== 'error';
}

/** Training is under way (the worker is busy with it). */
export function isActive(status: RunStatus): boolean {
  return (
    status === 'compiling' || status === 'training' || status === 'paused' || status === 'stopping'
  );
}
