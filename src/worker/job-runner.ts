/**
 * The cancellable jobs on the kept model: adaptation to one task, the
 * adaptation curve on held-out tasks, the three metrics, and the evaluation
 * of a session with the CLI's protocol. Each may first train the pre-training baseline the
 * kept model lacks (once per run, then saved with the session). On a slow
 * GPU these take tens of seconds, so each runs behind a RunGate that a
 * command replacing the model (Train, Reset, other data or backend) stops
 * between two of its steps; the queue then moves on.
 *
 * It owns only the gate of the job in progress; the model comes from the
 * RunController, which also saves the baseline once it is trained.
 */
import { threeMetricsReport } from './three-metrics-job';
import { METRICS_PASSES } from '../core/train/three-metrics-run';
import { comparisonModels } from '../core/train/experiment';
import type { TaskSource } from '../core/data/types';
import { adaptOnTask } from './adapt';
import { needsPretrain, trainPretrainBaseline } from './pretrain';
import { evaluateCurve } from './adapt-evaluate';
import type { AdaptProgress } from './adapt-types';
import { confusionOverEpisodes, protocolEvaluation } from './image-jobs';
import type { BackendHost } from './backend-host';
import type { DataStage } from './data-stage';
import { JobCancelled, RunGate } from './gate';
import type { Post } from './outbox';
import type { CommandOf } from './protocol';
import type { RunController } from './run-controller';
import { evaluateKept } from './session-io';
import type { KeptRun } from './kept-run';

export class JobRunner {
  /** the cancellable job in progress (adaptation, evaluation, a baseline), if any */
  private gate: RunGate | null = null;

  constructor(
    private readonly post: Post,
    private readonly runs: RunController,
    private readonly data: DataStage,
    private readonly backend: BackendHost,
  ) {}

  /** Stops the job in progress between two of its steps (it then ends with `job-cancelled`). */
  cancel(): void {
    this.gate?.stop();
  }

  private async cancellable(job: (gate: RunGate) => Promise<void>): Promise<void> {
    const gate = new RunGate();
    this.gate = gate;
    try {
      await job(gate);
    } finally {
      if (this.gate === gate) this.gate = null;
    }
  }

  /**
   * The kept model ready for adaptation (issue 5): its best-on-validation
   * weights (what the session saves and the CLI evaluates) and the
   * pre-training baseline, trained on first use and then saved with the
   * session (a final checkpoint, written before the job's answer so the page
   * never clears an evaluation it has just shown).
   */
  private async adaptable(
    what: string,
    gate: RunGate,
  ): Promise<{ source: TaskSource; kept: KeptRun } | null> {
    if (await this.runs.busy()) {
      this.post({ type: 'error', code: 'busy', message: `Stop the run before ${what}.` });
      return null;
    }
    const kept = this.runs.kept;
    const source = this.data.source;
    if (!kept || !source) {
      this.post({ type: 'error', code: 'no-model', message: 'Train a model first.' });
      return null;
    }
    if (needsPretrain(kept.config.algorithm, kept.pretrain)) {
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
      if (this.runs.kept === kept) await this.runs.saveFinal(kept, source, done);
    }
    return { source, kept };
  }

  /**
   * The shape of every job: behind its own gate, on the kept model made
   * adaptable (baseline trained if missing); nothing runs when there is none.
   */
  private onKept(
    what: string,
    job: (ready: { source: TaskSource; kept: KeptRun; gate: RunGate }) => Promise<void>,
  ): Promise<void> {
    return this.cancellable(async (gate) => {
      const ready = await this.adaptable(what, gate);
      if (ready) await job({ ...ready, gate });
    });
  }

  adapt(cmd: CommandOf<'adapt'>): Promise<void> {
    return this.onKept('adapting', async ({ source, kept, gate }) => {
      const models = comparisonModels(source, kept.config, {
        algorithm: kept.config.algorithm,
        ...keptModels(kept),
      });
      const result = await adaptOnTask(source, kept.config, models, cmd, () =>
        gate.stopRequested(),
      );
      this.post({ type: 'adaptation', ...result });
    });
  }

  evaluate(cmd: CommandOf<'evaluate'>): Promise<void> {
    return this.onKept('evaluating', async ({ source, kept, gate }) => {
      const curve = await evaluateCurve(
        source,
        kept.config,
        keptModels(kept),
        cmd,
        this.backend.name,
        this.progress(gate),
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
    });
  }

  /** Image tasks: the meta-learned model's confusion matrix over held-out episodes. */
  imageConfusion(cmd: CommandOf<'image-confusion'>): Promise<void> {
    return this.onKept('evaluating', async ({ source, kept, gate }) => {
      const result = await confusionOverEpisodes(
        source,
        kept.config,
        { name: kept.config.algorithm, ...keptModels(kept).main },
        cmd,
        this.progress(gate),
      );
      this.post({ type: 'image-confusion', ...result });
    });
  }

  /** Image tasks: the papers' protocol, the numbers of the CLI's `evaluate --json`. */
  imageProtocol(cmd: CommandOf<'image-protocol'>): Promise<void> {
    return this.onKept('evaluating', async ({ source, kept, gate }) => {
      const result = await protocolEvaluation(
        source,
        kept.config,
        { algorithm: kept.config.algorithm, ...keptModels(kept) },
        cmd,
        this.backend.name,
        this.progress(gate),
      );
      this.post({ type: 'image-protocol', result });
    });
  }

  /** Progress between chunks: also the place to give way to a command that replaces the model. */
  private progress(gate: RunGate) {
    return (p: AdaptProgress) => {
      if (gate.stopRequested()) throw new JobCancelled();
      this.post({ type: 'adapt-progress', ...p });
    };
  }

  threeMetrics(cmd: CommandOf<'three-metrics'>): Promise<void> {
    return this.onKept('computing the metrics', async ({ source, kept, gate }) => {
      const report = await threeMetricsReport(
        source,
        kept.config,
        keptModels(kept),
        cmd,
        this.backend.name,
        (done, total) => {
          // between chunks of tasks, as in evaluate
          if (gate.stopRequested()) throw new JobCancelled();
          this.post({ type: 'three-metrics', done, total, report: null });
        },
      );
      const total = METRICS_PASSES * report.protocol.episodes;
      this.post({ type: 'three-metrics', done: total, total, report });
    });
  }

  /** Through adaptable(), like adapt and evaluate: all three models are compared. */
  evaluateSession(cmd: CommandOf<'evaluate-session'>): Promise<void> {
    return this.onKept('evaluating', async ({ source, kept }) => {
      const evaluation = await evaluateKept(source, kept, cmd);
      this.post({ type: 'session-evaluation', evaluation });
    });
  }
}

/** What every job compares: the best-on-validation weights and the pre-training baseline. */
function keptModels(kept: KeptRun) {
  return {
    main: { ...kept.model, arrays: kept.state.best.arrays },
    pretrain: kept.pretrain ?? null,
  };
}
