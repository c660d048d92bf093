/**
 * The worker's command router, kept free of the worker global so Node tests
 * can drive it with a fake `send`. It owns no state of its own beyond the
 * queue: the backend (BackendHost), the data (DataStage), the run and its
 * kept weights (RunController), the cancellable jobs (JobRunner) and the
 * autosave (Autosave) each own theirs.
 *
 * Commands that set things up (init, load-data, csv, train, reset, evaluate,
 * adapt, sessions) run one after another on a queue, so Train sent right
 * after Init waits for the backend. Pause, Resume, Stop and checkpoint-now
 * act at once on the current run; preview is answered at once from what is
 * staged (the page asks for it only after the upload's csv-staged event), and
 * draw-classify at once from the kept weights. A command that replaces the model first
 * stops a job in progress. Every failure becomes an `error` event (or
 * `job-cancelled`); nothing is only logged.
 */
import type { AssetLoader } from '../core/data/builtin';
import type { ImageDecoder } from '../core/data/images/formats';
import { loseGpuDeviceForTesting } from '../core/backend';
import type { SessionStore } from '../sessions/store/index';
import { Autosave } from './autosave';
import { BackendHost } from './backend-host';
import { DataStage } from './data-stage';
import { answerDrawing } from './draw-classify';
import { classifyError } from './errors';
import { JobCancelled } from './gate';
import { JobRunner } from './job-runner';
import { Outbox, type Post } from './outbox';
import { previewEvent } from './preview';
import type { Command, CommandOf, ModelExportFormat, WorkerMessage } from './protocol';
import { RunController } from './run-controller';
import { SweepCoordinator, type SpawnTrial, type SweepData } from './sweep-coordinator';
import { spawnTrialInProcess } from './trial-client';
import { keptFromSession, sessionIsConv } from './kept-run';

export { Outbox } from './outbox';

export interface SessionEnv {
  /** where Vite serves the WASM binaries (worker only; Node finds them itself) */
  wasmPaths?: Record<string, string>;
  snapshotEveryMs?: number;
  /** where autosave writes (IndexedDB in the worker); none: nothing is stored */
  sessions?: SessionStore | null;
  now?: () => Date;
  /** reads the app's committed assets (the Omniglot images) */
  assets?: AssetLoader;
  /** decodes uploaded images (default: createImageBitmap; Node tests pass a JS decoder) */
  imageDecoder?: ImageDecoder;
  /** creates a sweep's trial workers; none: trials run in this process, one at a time */
  spawnTrial?: SpawnTrial;
}

/** Commands that make a job on the current model (a baseline, an evaluation) useless. */
const REPLACES_MODEL = new Set<Command['type']>(['init', 'load-data', 'train', 'reset']);

export class WorkerSession {
  private readonly post: Post;
  private readonly backend: BackendHost;
  private readonly data: DataStage;
  private readonly runs: RunController;
  private readonly jobs: JobRunner;
  private readonly autosave: Autosave;
  private readonly sweeps: SweepCoordinator;
  private queue: Promise<void> = Promise.resolve();

  constructor(send: (m: WorkerMessage) => void, env: SessionEnv = {}) {
    const post = new Outbox(send).post;
    this.post = post;
    this.backend = new BackendHost(post, env.wasmPaths);
    this.data = new DataStage(post, () => this.runs.forget(), env.assets ?? null, env.imageDecoder);
    this.autosave = new Autosave(post, env.sessions ?? null, env.now);
    this.runs = new RunController({
      post,
      backend: this.backend,
      data: this.data,
      autosave: this.autosave,
      snapshotEveryMs: env.snapshotEveryMs,
      sweep: (dataset) => this.sweeps.recordFor(dataset),
    });
    this.jobs = new JobRunner(post, this.runs, this.data, this.backend);
    this.sweeps = new SweepCoordinator(post, env.spawnTrial ?? spawnTrialInProcess);
  }

  handle(cmd: Command): void {
    if (REPLACES_MODEL.has(cmd.type)) this.jobs.cancel();
    switch (cmd.type) {
      case 'init':
        return this.serial(() => this.init(cmd));
      case 'load-data':
        return this.serial(async () => {
          const d = cmd.data;
          if (d.kind === 'csv') await this.data.useCsv();
          else if (d.kind === 'images') this.data.useImages();
          else await this.data.loadBuiltin(d.name);
        });
      case 'csv-parse':
        return this.serial(() =>
          this.data.parseCsv(cmd.uploadId, cmd.files, cmd.use, cmd.splitSeed, cmd.ways),
        );
      case 'csv-roles':
        return this.serial(() =>
          this.data.rebuildCsv(cmd.uploadId, cmd.overrides, cmd.use, cmd.splitSeed, cmd.ways),
        );
      case 'images-stage':
        return this.serial(() =>
          this.data.stageImages(cmd.uploadId, cmd.upload, cmd.settings, cmd.use),
        );
      case 'train':
        return this.serial(() => this.runs.train(cmd));
      case 'pause':
        return this.runs.pause();
      case 'resume':
        return this.runs.resume();
      case 'stop':
        return this.runs.stop();
      case 'reset':
        this.runs.cancel();
        return this.serial(() => this.runs.reset());
      case 'evaluate':
        return this.serial(() => this.jobs.evaluate(cmd));
      case 'adapt':
        return this.serial(() => this.jobs.adapt(cmd));
      case 'three-metrics':
        return this.serial(() => this.jobs.threeMetrics(cmd));
      case 'draw-classify':
        // At once, not queued: a drawing is answered in a moment, and must not wait for a
        // long evaluation or baseline. It reads the kept weights once, and its tensors live
        // in one tf.tidy, so it interleaves safely with a job's steps.
        void this.drawClassify(cmd);
        return;
      case 'image-confusion':
        return this.serial(() => this.jobs.imageConfusion(cmd));
      case 'image-protocol':
        return this.serial(() => this.jobs.imageProtocol(cmd));
      case 'debug-lose-device':
        loseGpuDeviceForTesting();
        return;
      case 'load-session':
        this.runs.cancel();
        return this.serial(() => this.loadSession(cmd));
      case 'evaluate-session':
        return this.serial(() => this.jobs.evaluateSession(cmd));
      case 'session-meta':
        return this.serial(async () => {
          const { sessionId, ...next } = cmd;
          this.autosave.rename(sessionId, next);
        });
      case 'checkpoint-now':
        return this.runs.checkpointNow();
      case 'preview':
        // At once, not queued: it only reads, and a long evaluation must not hold the picture up.
        return this.post(previewEvent(cmd.id, cmd.request, this.data.staged));
      case 'sweep-start':
        return this.serial(async () => this.sweeps.start(cmd, await this.sweepData()));
      case 'sweep-stop':
        return this.sweeps.stop();
      case 'export-model':
        return this.serial(() => this.exportModel(cmd.format));
      default:
        cmd satisfies never;
    }
  }

  /** resolves when the commands queued so far and the writes they caused have finished */
  async idle(): Promise<void> {
    await this.queue;
    await this.runs.settled();
    await this.autosave.settled();
  }

  private serial(job: () => Promise<void>): void {
    this.queue = this.queue.then(job).catch((e: unknown) => {
      if (e instanceof JobCancelled) {
        this.post({ type: 'job-cancelled' });
        return;
      }
      const c = classifyError(e, this.backend.name);
      this.post({ type: 'error', code: c.code, message: c.message });
    });
  }

  private async drawClassify(cmd: CommandOf<'draw-classify'>): Promise<void> {
    try {
      const answer = await answerDrawing(this.runs, this.data.source?.imageShape, cmd);
      this.post({ type: 'draw-prediction', ...answer });
    } catch (e) {
      const { message } = classifyError(e, this.backend.name);
      this.post({ type: 'draw-prediction', requestId: cmd.requestId, ok: false, message });
    }
  }

  /**
   * Picks the backend. A run in progress moves there from a fresh checkpoint
   * (the path a lost GPU device takes) instead of being refused or thrown away;
   * a stopped run's weights stay kept, so Train continues them there.
   */
  private async exportModel(format: ModelExportFormat): Promise<void> {
    const kept = this.runs.kept;
    const source = this.data.source;
    const dataset = source ? this.data.datasetOf(source) : null;
    if (!kept || !source || !dataset) {
      this.post({ type: 'error', code: 'no-model', message: 'Train a model first.' });
      return;
    }
    try {
      // loaded on first use: the export code and the Python templates are not needed before
      const { exportModelZip } = await import('./model-export');
      this.post(await exportModelZip(kept, dataset, format));
    } catch (e) {
      this.post({
        type: 'error',
        code: 'no-model',
        message: `Cannot export: ${(e as Error).message}`,
      });
    }
  }

  private async init(cmd: CommandOf<'init'>): Promise<void> {
    if ((await this.runs.busy()) && (await this.runs.move(cmd.backend))) return;
    await this.runs.settled();
    await this.backend.init(cmd.backend, cmd.hideWebgpu);
  }

  /** What a sweep runs on now, or why it cannot start. */
  private async sweepData(): Promise<SweepData | string> {
    const source = this.data.source;
    if (!source) return 'Load data before starting a sweep.';
    if (source.imageShape) return 'Sweeps over image data are not supported yet.';
    const dataset = this.data.datasetOf(source);
    // Trial workers rebuild the data from its session record (a CSV's rows included).
    if (!dataset) return 'This data cannot be handed to trial workers.';
    const backend = this.backend.current;
    if (!backend) return 'The backend has not started yet.';
    if (await this.runs.busy()) return 'Stop training before starting a sweep.';
    return { dataset, kind: source.kind, backend };
  }

  private async loadSession(cmd: CommandOf<'load-session'>): Promise<void> {
    await this.runs.settled();
    const doc = cmd.doc;
    // An MLP session is checked before its data replaces ours; a conv net's
    // weights need the image shape of its data first.
    const early = sessionIsConv(doc) ? null : keptFromSession(doc);
    const source = await this.data.useSession(doc, cmd.csvFiles, cmd.images ?? null);
    const kept = early ?? keptFromSession(doc, source.imageShape);
    const lineage = await this.runs.load(kept);
    this.autosave.adopt(lineage, {
      id: doc.id,
      name: doc.name,
      createdAt: doc.createdAt,
      persist: cmd.persist,
    });
    this.post({ type: 'session-loaded', sessionId: doc.id, lineage, step: kept.state.step });
  }
}
