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
 * staged (the page asks for it only after the upload's csv-staged event). A command that replaces the model first
 * stops a job in progress. Every failure becomes an `error` event (or
 * `job-cancelled`); nothing is only logged.
 */
import type { AssetLoader } from '../core/data/builtin';
import { loseGpuDeviceForTesting } from '../core/backend';
import type { SessionStore } from '../sessions/store/index';
import { Autosave } from './autosave';
import { BackendHost } from './backend-host';
import { DataStage } from './data-stage';
import { classifyError } from './errors';
import { JobCancelled } from './gate';
import { JobRunner } from './job-runner';
import { Outbox, type Post } from './outbox';
import { previewEvent } from './preview';
import type { Command, CommandOf, WorkerMessage } from './protocol';
import { RunController } from './run-controller';
import { keptFromSession, sessionIsConv } from './session-io';

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
  private queue: Promise<void> = Promise.resolve();

  constructor(send: (m: WorkerMessage) => void, env: SessionEnv = {}) {
    const post = new Outbox(send).post;
    this.post = post;
    this.backend = new BackendHost(post, env.wasmPaths);
    this.data = new DataStage(post, () => this.runs.forget(), env.assets ?? null);
    this.autosave = new Autosave(post, env.sessions ?? null, env.now);
    this.runs = new RunController({
      post,
      backend: this.backend,
      data: this.data,
      autosave: this.autosave,
      snapshotEveryMs: env.snapshotEveryMs,
    });
    this.jobs = new JobRunner(post, this.runs, this.data, this.backend);
  }

  handle(cmd: Command): void {
    if (REPLACES_MODEL.has(cmd.type)) this.jobs.cancel();
    switch (cmd.type) {
      case 'init':
        return this.serial(() => this.init(cmd));
      case 'load-data':
        return this.serial(() =>
          cmd.data.kind === 'csv' ? this.data.useCsv() : this.data.loadBuiltin(cmd.data.name),
        );
      case 'csv-parse':
        return this.serial(() =>
          this.data.parseCsv(cmd.uploadId, cmd.files, cmd.use, cmd.splitSeed, cmd.ways),
        );
      case 'csv-roles':
        return this.serial(() =>
          this.data.rebuildCsv(cmd.uploadId, cmd.overrides, cmd.use, cmd.splitSeed, cmd.ways),
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

  /**
   * Picks the backend. A run in progress moves there from a fresh checkpoint
   * (the path a lost GPU device takes) instead of being refused or thrown away;
   * a stopped run's weights stay kept, so Train continues them there.
   */
  private async init(cmd: CommandOf<'init'>): Promise<void> {
    if ((await this.runs.busy()) && (await this.runs.move(cmd.backend))) return;
    await this.runs.settled();
    await this.backend.init(cmd.backend, cmd.hideWebgpu);
  }

  private async loadSession(cmd: CommandOf<'load-session'>): Promise<void> {
    await this.runs.settled();
    const doc = cmd.doc;
    // An MLP session is checked before its data replaces ours; a conv net's
    // weights need the image shape of its data first.
    const early = sessionIsConv(doc) ? null : keptFromSession(doc);
    const source = await this.data.useSession(doc, cmd.csvFiles);
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
