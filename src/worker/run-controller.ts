/**
 * The run and what it leaves behind: at most one TrainingRun at a time,
 * Pause / Resume / Stop / Reset on it, the weights kept after it ends (Stop
 * keeps them, so Train can continue and Evaluate can score them), the
 * lineage its checkpoints belong to, and the checkpoints themselves (the
 * run's latest snapshot polled and handed to the worker's autosave).
 *
 * It owns that state; the data and the backend come from DataStage and
 * BackendHost. Commands that start, reset or load wait for a run that is
 * only winding down; a run that is really going makes them `busy`.
 */
import type { TaskSource } from '../core/data/types';
import { specFor } from '../core/algorithms/index';
import type { TrainConfig } from '../core/spec/config';
import { adaptStyleOf } from '../core/train/experiment';
import type { TrainResult } from '../core/train/trainer';
import type { Autosave } from './autosave';
import type { BackendHost } from './backend-host';
import { CHECKPOINT_POLL_MS, CheckpointSchedule } from './checkpoints';
import type { DataStage } from './data-stage';
import type { Post } from './outbox';
import type { BackendRequest, CommandOf } from './protocol';
import { TrainingRun } from './run';
import { sessionDocFromKept } from './session-io';
import type { KeptRun } from './kept-run';
import type { SessionDataset, StoredSweep } from '../sessions/schema';

/** Lineages of runs (see checkpoints.ts), unique in this worker. */
let lineages = 0;

export const newLineage = (): number => ++lineages;

export interface RunDepsOf {
  post: Post;
  backend: BackendHost;
  data: DataStage;
  autosave: Autosave;
  snapshotEveryMs?: number;
  /** the sweep last run on this data, saved with the run's session (no trial weights) */
  sweep?: (dataset: SessionDataset) => StoredSweep | null;
}

export class RunController {
  private run: TrainingRun | null = null;
  /** settles after the current run's result has been kept */
  private runSettled: Promise<void> = Promise.resolve();
  private keptRun: KeptRun | null = null;
  private lineage = 0;
  private pollNow: (() => void) | null = null;

  constructor(private readonly deps: RunDepsOf) {}

  /** what the last run (or a loaded session) left: weights, state, config */
  get kept(): KeptRun | null {
    return this.keptRun;
  }

  /** The data changed: the kept weights belong to other data. */
  forget(): void {
    this.keptRun = null;
  }

  pause = (): void => this.run?.pause();
  resume = (): void => this.run?.resume();
  stop = (): void => this.run?.stop();
  /** Ends the run without a result (Reset, a session being loaded). */
  cancel = (): void => this.run?.cancel();
  /** Saves the latest snapshot now (the page is being hidden). */
  checkpointNow = (): void => this.pollNow?.();

  /**
   * Moves the run in progress to another backend from a fresh snapshot (its
   * weights, Adam state and RNG come along); false when there is no run to move.
   */
  move(request: BackendRequest): Promise<boolean> {
    return this.run ? this.run.moveTo(request) : Promise.resolve(false);
  }

  /** A run that is only winding down (stopped, finished) is waited for; true when one is still going. */
  async busy(): Promise<boolean> {
    if (this.run?.ending) await this.runSettled;
    return this.run !== null;
  }

  async train(cmd: CommandOf<'train'>): Promise<void> {
    const { post, backend, data } = this.deps;
    if (await this.busy()) {
      post({ type: 'error', code: 'busy', message: 'A run is already going.' });
      return;
    }
    if (backend.current === null) throw new Error('the backend is not initialized yet');
    const source = data.source;
    if (!source) {
      post({ type: 'error', code: 'no-data', message: 'Choose a dataset first.' });
      return;
    }
    const resume = cmd.continueRun ? this.keptRun?.state : undefined;
    if (!resume) this.keptRun = null;
    const pretrain = resume ? this.keptRun?.pretrain : null;
    const run = new TrainingRun({
      source,
      config: cmd.config,
      resume,
      post,
      backend: () => backend.name,
      engine: () => backend.engine,
      fallback: (from, reason) => backend.fallback(from, reason),
      switchTo: (request) => backend.switchTo(request),
      snapshotEveryMs: this.deps.snapshotEveryMs,
    });
    this.run = run;
    if (!resume) this.lineage = newLineage();
    const stopPolling = this.pollCheckpoints(run, cmd.config, source, pretrain);
    // Not awaited: the queue moves on so Pause/Stop/Reset are handled during the run.
    this.runSettled = run.finished.then((result) => {
      stopPolling();
      if (this.run === run) this.run = null;
      if (result) {
        this.keptRun = {
          config: cmd.config,
          state: result.state,
          model: result.last,
          pretrain,
          backend: run.usedBackend ?? backend.engineName,
        };
        void this.saveFinal(this.keptRun, source, result.reason);
      }
    });
  }

  /** Saves the run's latest snapshot whenever it has moved on (see checkpoints.ts). */
  private pollCheckpoints(
    run: TrainingRun,
    config: TrainConfig,
    source: TaskSource,
    pretrain: KeptRun['pretrain'],
  ): () => void {
    const schedule = new CheckpointSchedule(CHECKPOINT_POLL_MS);
    const model = {
      spec: specFor(config.algorithm, source, config),
      adaptStyle: adaptStyleOf(config.algorithm),
    };
    const poll = (force = false) => {
      const snap = run.latestSnapshot;
      if (!snap || !schedule.due(snap.step, performance.now(), force)) return;
      schedule.mark(snap.step, performance.now());
      const kept = {
        config,
        state: snap,
        model: { ...model, arrays: snap.params },
        pretrain,
        ...(run.usedBackend ? { backend: run.usedBackend } : {}),
      };
      void this.save(kept, source, false, 'stopped');
    };
    const timer = setInterval(poll, CHECKPOINT_POLL_MS);
    this.pollNow = () => poll(true);
    return () => {
      clearInterval(timer);
      this.pollNow = null;
    };
  }

  /** The kept run as a saved session (the run ended, or its baseline was added). */
  saveFinal(kept: KeptRun, source: TaskSource, reason: TrainResult['reason']): Promise<void> {
    return this.save(kept, source, true, reason);
  }

  private save(
    kept: KeptRun,
    source: TaskSource,
    final: boolean,
    reason: TrainResult['reason'],
  ): Promise<void> {
    const dataset = this.deps.data.datasetOf(source);
    if (!dataset) return Promise.resolve();
    // what the run really trained with: a fused engine, or the tfjs backend it fell back to
    const backend = kept.backend ?? this.deps.backend.engineName;
    return this.deps.autosave.save({
      lineage: this.lineage,
      step: kept.state.step,
      final,
      label: `${kept.config.algorithm} on ${dataset.name}`,
      build: () =>
        sessionDocFromKept(kept, dataset, backend, reason, this.deps.sweep?.(dataset) ?? null),
    });
  }

  /** Forgets the run and its weights (after the run, if any, has wound down). */
  async reset(): Promise<void> {
    await this.runSettled;
    this.run = null;
    this.keptRun = null;
    this.deps.post({ type: 'idle' });
  }

  /** Keeps a loaded session's weights as if its run had just stopped; returns its lineage. */
  async load(kept: KeptRun): Promise<number> {
    await this.runSettled;
    this.run = null;
    this.keptRun = kept;
    this.lineage = newLineage();
    return this.lineage;
  }

  /** Waits for the run (if any) to wind down without touching what is kept. */
  settled(): Promise<void> {
    return this.runSettled;
  }
}
