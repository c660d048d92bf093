/**
 * The worker's state and command handling, kept free of the worker global so
 * Node tests can drive it with a fake `post`: the chosen backend, the task
 * source, the current run, and the weights kept after a run ends (Stop keeps
 * them, so Train can continue and Evaluate can score them).
 *
 * Commands that set things up (init, load-data, train, reset, evaluate) run
 * one after another on a queue, so Train sent right after Init waits for the
 * backend. Pause, Resume and Stop act at once on the current run. Every
 * failure becomes an `error` event; nothing is only logged.
 *
 * Events go out through an outbox that sends the events of one synchronous
 * burst as one message (see protocol.ts).
 */
import {
  chooseBackend,
  loseGpuDeviceForTesting,
  nextBackend,
  type BackendChoice,
  type BackendName,
} from '../core/backend';
import { BUILTIN_DESCRIPTIONS, builtinSource } from '../core/data/builtin';
import type { TaskSource } from '../core/data/types';
import type { TrainConfig } from '../core/train/config';
import { type TrainedModel, type TrainResult, type TrainState } from '../core/train/trainer';
import { CsvStage } from './csv-stage';
import { classifyError } from './errors';
import type { Command, CommandOf, DataSummary, WorkerEvent, WorkerMessage } from './protocol';
import { JobCancelled, RunGate } from './gate';
import { TrainingRun } from './run';
import { CHECKPOINT_POLL_MS, CheckpointSchedule } from './checkpoints';
import {
  builtinDataset,
  evaluateKept,
  keptFromSession,
  sessionDocFromKept,
  sourceFromDataset,
} from './session-io';
import { specFor } from '../core/algorithms/index';
import { adaptStyleOf } from '../core/train/experiment';
import type { SessionDataset } from '../sessions/schema';
import { csvDatasetRecord } from '../sessions/csv-dataset';
import { adaptOnTask, needsPretrain, trainPretrainBaseline } from './adapt';
import { evaluateCurve } from './adapt-evaluate';
import { comparisonModels } from '../core/train/experiment';

export interface SessionEnv {
  /** where Vite serves the WASM binaries (worker only; Node finds them itself) */
  wasmPaths?: Record<string, string>;
  snapshotEveryMs?: number;
}

interface Kept {
  config: TrainConfig;
  state: TrainState;
  model: TrainedModel;
  /** a loaded session's pre-training baseline, evaluated next to the model */
  pretrain?: TrainedModel | null;
}

/** Lineages of runs (see checkpoints.ts), unique in this worker. */
let lineages = 0;

/** Collects the events of one synchronous burst and sends them as one message. */
export class Outbox {
  private queue: WorkerEvent[] = [];
  constructor(private readonly send: (m: WorkerMessage) => void) {}
  post = (e: WorkerEvent): void => {
    if (this.queue.length === 0) queueMicrotask(() => this.flush());
    this.queue.push(e);
  };
  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length) this.send(batch);
  }
}

function hideWebgpu(): void {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav && 'gpu' in nav)
    Object.defineProperty(nav, 'gpu', { value: undefined, configurable: true });
}

function summarize(source: TaskSource, description: string): DataSummary {
  const sizes = source.splitSizes();
  const finite = (n: number) => (Number.isFinite(n) ? n : null);
  return {
    name: source.name,
    kind: source.kind,
    inputDim: source.inputDim,
    description,
    splitSizes: { train: finite(sizes.train), val: finite(sizes.val), test: finite(sizes.test) },
  };
}

/** Commands that make a baseline being trained for the current model useless. */
const REPLACES_MODEL = new Set<Command['type']>(['init', 'load-data', 'train', 'reset']);

export class WorkerSession {
  private readonly post: (e: WorkerEvent) => void;
  private choice: BackendChoice | null = null;
  private preferred: BackendName | undefined;
  /** backends found broken in this worker (e.g. webgpu after its device was lost), with why */
  private readonly broken: Partial<Record<BackendName, string>> = {};
  private source: TaskSource | null = null;
  private run: TrainingRun | null = null;
  /** settles after the current run's result has been kept */
  private runSettled: Promise<void> = Promise.resolve();
  private kept: Kept | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** controls the pre-training baseline while one is being trained for adaptation */
  /** the cancellable job in progress (adaptation, evaluation, a baseline), if any */
  private jobGate: RunGate | null = null;
  /** the session dataset record of `source` (sessions autosave only runs on data they can name) */
  private sessionData: { source: TaskSource; dataset: SessionDataset } | null = null;
  private lineage = 0;
  private pollRun: (() => void) | null = null;
  /** the last CSV upload that was read and built (trained on only after load-data csv) */
  private readonly csv: CsvStage;

  constructor(
    send: (m: WorkerMessage) => void,
    private readonly env: SessionEnv = {},
  ) {
    this.post = new Outbox(send).post;
    this.csv = new CsvStage(this.post);
  }

  handle(cmd: Command): void {
    if (REPLACES_MODEL.has(cmd.type)) this.jobGate?.stop();
    switch (cmd.type) {
      case 'init':
        return this.serial(() => this.init(cmd));
      case 'load-data':
        return this.serial(() => this.loadData(cmd));
      case 'csv-parse':
        return this.serial(async () => {
          const staged = await this.csv.parse(cmd.uploadId, cmd.files, cmd.splitSeed, cmd.ways);
          if (staged) await this.stageCsv(cmd.use);
        });
      case 'csv-roles':
        return this.serial(async () => {
          const staged = await this.csv.rebuild(
            cmd.uploadId,
            cmd.overrides,
            cmd.splitSeed,
            cmd.ways,
          );
          if (staged) await this.stageCsv(cmd.use);
        });
      case 'train':
        return this.serial(() => this.train(cmd));
      case 'pause':
        this.run?.pause();
        return;
      case 'resume':
        this.run?.resume();
        return;
      case 'stop':
        this.run?.stop();
        return;
      case 'reset':
        this.run?.cancel();
        return this.serial(() => this.reset());
      case 'evaluate':
        return this.serial(() => this.evaluate(cmd));
      case 'adapt':
        return this.serial(() => this.adapt(cmd));
      case 'debug-lose-device':
        loseGpuDeviceForTesting();
        return;
      case 'load-session':
        this.run?.cancel();
        return this.serial(() => this.loadSession(cmd));
      case 'evaluate-session':
        return this.serial(() => this.evaluateSession(cmd));
      case 'checkpoint-now':
        this.pollRun?.();
        return;
      default:
        cmd satisfies never;
    }
  }

  private serial(job: () => Promise<void>): void {
    this.queue = this.queue.then(job).catch((e: unknown) => {
      if (e instanceof JobCancelled) {
        this.post({ type: 'job-cancelled' });
        return;
      }
      const c = classifyError(e, this.choice?.backend ?? 'cpu');
      this.post({ type: 'error', code: c.code, message: c.message });
    });
  }

  private async init(cmd: CommandOf<'init'>): Promise<void> {
    await this.settleEndingRun();
    if (this.run) {
      this.post({
        type: 'error',
        code: 'busy',
        message: 'Stop or reset the run before switching the backend.',
      });
      return;
    }
    if (cmd.hideWebgpu) hideWebgpu();
    this.preferred = cmd.backend === 'auto' ? undefined : cmd.backend;
    const choice = await chooseBackend({
      preferred: this.preferred,
      exclude: this.broken,
      wasmPaths: this.env.wasmPaths,
    });
    this.choice = choice;
    if (cmd.hideWebgpu && choice.fallbackReason)
      choice.fallbackReason = `${choice.fallbackReason}; WebGPU was hidden on purpose (?nowebgpu=1)`;
    this.post({ type: 'ready', ...choice, recovery: null });
  }

  /** After a mid-run failure: the next backend after `from`, never one already broken. */
  private async fallback(from: BackendName, reason: string): Promise<BackendChoice | null> {
    this.broken[from] = reason;
    const next = nextBackend(from);
    if (!next) return null;
    const choice = await chooseBackend({ preferred: next, exclude: { ...this.broken } });
    this.choice = choice;
    return choice;
  }

  /** Announces the staged CSV, first making it the data trained on when `use`. */
  private async stageCsv(use: boolean): Promise<void> {
    const staged = this.csv.staged;
    if (!staged) return;
    this.post({ type: 'csv-staged', ...staged.event, inUse: use });
    if (use) await this.useCsv();
  }

  private async useCsv(): Promise<void> {
    const staged = this.csv.staged;
    if (!staged) {
      this.post({ type: 'error', code: 'no-data', message: 'Upload a CSV file first.' });
      return;
    }
    this.source = staged.built.source;
    this.kept = null;
    // The session's dataset record (hash, roles, normalization, small rows), so runs on an
    // upload are autosaved and shared like runs on a built-in family.
    const bytes = await Promise.all(
      staged.files.map(async (f) => new Uint8Array(await f.arrayBuffer())),
    );
    this.sessionData = {
      source: this.source,
      dataset: await csvDatasetRecord({
        name: staged.event.fileNames.join(','),
        bytes,
        tables: staged.tables,
        report: staged.built.report,
      }),
    };
    const r = staged.built.report;
    const what =
      r.schema.kind === 'regression' ? `${r.tasks} tasks` : `${r.classes.length} classes`;
    this.post({
      type: 'data-loaded',
      summary: {
        ...summarize(
          this.source,
          `${staged.event.fileNames.join(', ')}: ${r.rows.used} rows, ${what}.`,
        ),
        limits: staged.event.limits,
      },
    });
  }

  private async loadData(cmd: CommandOf<'load-data'>): Promise<void> {
    const d = cmd.data;
    if (d.kind === 'csv') {
      await this.useCsv();
      return;
    }
    try {
      this.source = builtinSource(d.name);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.post({ type: 'error', code: 'bad-data', message });
      return;
    }
    this.kept = null;
    this.sessionData = { source: this.source, dataset: await builtinDataset(d.name) };
    this.post({
      type: 'data-loaded',
      summary: summarize(this.source, BUILTIN_DESCRIPTIONS[d.name]),
    });
  }

  private async train(cmd: CommandOf<'train'>): Promise<void> {
    await this.settleEndingRun();
    if (this.run) {
      this.post({ type: 'error', code: 'busy', message: 'A run is already going.' });
      return;
    }
    if (!this.choice) throw new Error('the backend is not initialized yet');
    const source = this.source;
    if (!source) {
      this.post({ type: 'error', code: 'no-data', message: 'Choose a dataset first.' });
      return;
    }
    const resume = cmd.continueRun ? this.kept?.state : undefined;
    if (!resume) this.kept = null;
    const run = new TrainingRun({
      source,
      config: cmd.config,
      resume,
      post: this.post,
      backend: () => this.choice?.backend ?? 'cpu',
      fallback: (from, reason) => this.fallback(from, reason),
      snapshotEveryMs: this.env.snapshotEveryMs,
    });
    this.run = run;
    if (!resume) this.lineage = ++lineages;
    const stopPolling = this.pollCheckpoints(run, cmd.config, source);
    // Not awaited: the queue moves on so Pause/Stop/Reset are handled during the run.
    this.runSettled = run.finished.then((result) => {
      stopPolling();
      if (this.run === run) this.run = null;
      if (result) {
        const pretrain = resume ? this.kept?.pretrain : null;
        this.kept = { config: cmd.config, state: result.state, model: result.last, pretrain };
        this.postCheckpoint(this.kept, source, true, result.reason);
      }
    });
  }

  /** Posts the run's latest snapshot as a checkpoint whenever it has moved on (see checkpoints.ts). */
  private pollCheckpoints(run: TrainingRun, config: TrainConfig, source: TaskSource): () => void {
    const schedule = new CheckpointSchedule(CHECKPOINT_POLL_MS);
    const model = {
      spec: specFor(config.algorithm, source, config),
      adaptStyle: adaptStyleOf(config.algorithm),
    };
    const pretrain = this.kept?.pretrain;
    const poll = (force = false) => {
      const snap = run.latestSnapshot;
      if (!snap || !schedule.due(snap.step, performance.now(), force)) return;
      schedule.mark(snap.step, performance.now());
      const kept = { config, state: snap, model: { ...model, arrays: snap.params }, pretrain };
      this.postCheckpoint(kept, source, false, 'stopped');
    };
    const timer = setInterval(poll, CHECKPOINT_POLL_MS);
    this.pollRun = () => poll(true);
    return () => {
      clearInterval(timer);
      this.pollRun = null;
    };
  }

  private postCheckpoint(
    kept: Kept,
    source: TaskSource,
    final: boolean,
    reason: TrainResult['reason'],
  ): void {
    const data = this.sessionData;
    if (!data || data.source !== source) return;
    try {
      const doc = sessionDocFromKept(kept, data.dataset, this.choice?.backend ?? 'cpu', reason);
      this.post({ type: 'checkpoint', lineage: this.lineage, final, step: kept.state.step, doc });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.post({ type: 'error', code: 'internal', message: `Autosave failed: ${message}` });
    }
  }

  private async loadSession(cmd: CommandOf<'load-session'>): Promise<void> {
    await this.runSettled;
    this.run = null;
    const doc = cmd.doc;
    const source = await sourceFromDataset(doc.dataset, doc.config.seed, cmd.csvFiles);
    const kept = keptFromSession(doc);
    this.source = source;
    this.sessionData = { source, dataset: doc.dataset };
    this.kept = kept;
    this.lineage = ++lineages;
    const description =
      doc.dataset.source === 'builtin' && doc.dataset.name in BUILTIN_DESCRIPTIONS
        ? BUILTIN_DESCRIPTIONS[doc.dataset.name as keyof typeof BUILTIN_DESCRIPTIONS]
        : `${doc.dataset.name} (from the session)`;
    this.post({ type: 'data-loaded', summary: summarize(source, description) });
    this.post({
      type: 'session-loaded',
      sessionId: doc.id,
      lineage: this.lineage,
      step: kept.state.step,
    });
  }

  /**
   * Through adaptable(), like adapt and evaluate: a session without its
   * pre-training baseline gets it first, so the evaluation compares all three
   * models, and the final checkpoint that records the baseline comes before
   * the evaluation rather than after it (it used to clear an evaluation just
   * shown when Evaluate was clicked while a loaded session was still settling).
   */
  private evaluateSession(cmd: CommandOf<'evaluate-session'>): Promise<void> {
    return this.cancellable(async (gate) => {
      const ready = await this.adaptable('evaluating', gate);
      if (!ready) return;
      const evaluation = await evaluateKept(ready.source, ready.kept, cmd);
      this.post({ type: 'session-evaluation', evaluation });
    });
  }

  /** A run that is only winding down (stopped, finished) is waited for rather than called busy. */
  private async settleEndingRun(): Promise<void> {
    if (this.run?.ending) await this.runSettled;
  }

  private async reset(): Promise<void> {
    await this.runSettled;
    this.run = null;
    this.kept = null;
    this.post({ type: 'idle' });
  }

  /**
   * The kept model ready for adaptation (issue 5): its best-on-validation weights (what the
   * session saves and the CLI evaluates) and the pre-training baseline, trained once per run
   * on first use and then saved with the session (a final checkpoint).
   */
  /**
   * Runs a job that Train, Reset, other data or another backend may cut short
   * between two of its steps (on a slow GPU an adaptation or a baseline takes
   * tens of seconds, and the queue would wait for it).
   */
  private async cancellable(job: (gate: RunGate) => Promise<void>): Promise<void> {
    const gate = new RunGate();
    this.jobGate = gate;
    try {
      await job(gate);
    } finally {
      if (this.jobGate === gate) this.jobGate = null;
    }
  }

  private async adaptable(
    what: string,
    gate: RunGate,
  ): Promise<{ source: TaskSource; kept: Kept } | null> {
    await this.settleEndingRun();
    if (this.run) {
      this.post({ type: 'error', code: 'busy', message: `Stop the run before ${what}.` });
      return null;
    }
    const kept = this.kept;
    const source = this.source;
    if (!kept || !source) {
      this.post({ type: 'error', code: 'no-model', message: 'Train a model first.' });
      return null;
    }
    if (needsPretrain(kept.config.algorithm, kept.pretrain)) {
      // Training the baseline can take long on a slow GPU: a command that replaces the model
      // (Train, Reset, other data or backend) stops it between two steps, so the queue moves on.
      const pretrain = await trainPretrainBaseline(
        source,
        kept.config,
        kept.state.step,
        (p) => this.post({ type: 'adapt-progress', ...p }),
        gate,
      );
      // A baseline cut short is not this run's baseline: it is neither kept nor saved.
      if (gate.stopRequested()) throw new JobCancelled();
      kept.pretrain = pretrain;
      const done = kept.state.step >= kept.config.metaSteps ? 'finished' : 'stopped';
      if (this.kept === kept) this.postCheckpoint(kept, source, true, done);
    }
    return { source, kept };
  }

  private adapt(cmd: CommandOf<'adapt'>): Promise<void> {
    return this.cancellable(async (gate) => {
      const ready = await this.adaptable('adapting', gate);
      if (!ready) return;
      const { source, kept } = ready;
      const models = comparisonModels(source, kept.config, {
        algorithm: kept.config.algorithm,
        main: { ...kept.model, arrays: kept.state.best.arrays },
        pretrain: kept.pretrain ?? null,
      });
      const result = await adaptOnTask(source, kept.config, models, cmd, () =>
        gate.stopRequested(),
      );
      this.post({ type: 'adaptation', ...result });
    });
  }

  private evaluate(cmd: CommandOf<'evaluate'>): Promise<void> {
    return this.cancellable((gate) => this.evaluateNow(cmd, gate));
  }

  private async evaluateNow(cmd: CommandOf<'evaluate'>, gate: RunGate): Promise<void> {
    const ready = await this.adaptable('evaluating', gate);
    if (!ready) return;
    const { source, kept } = ready;
    const curve = await evaluateCurve(
      source,
      kept.config,
      { main: { ...kept.model, arrays: kept.state.best.arrays }, pretrain: kept.pretrain ?? null },
      cmd,
      this.choice?.backend ?? 'cpu',
      (p) => {
        // called between chunks of tasks: the place to give way to a command that replaces the model
        if (gate.stopRequested()) throw new JobCancelled();
        this.post({ type: 'adapt-progress', ...p });
      },
    );
    const main = curve.models[curve.algorithm];
    const nan = (v: number | null) => v ?? NaN;
    this.post({
      type: 'evaluation',
      metric: curve.metric,
      steps: curve.steps,
      mean: main?.mean.map(nan) ?? [],
      ci95: main?.ci95.map(nan) ?? [],
      episodes: curve.protocol.episodes,
      curve,
    });
  }
}
