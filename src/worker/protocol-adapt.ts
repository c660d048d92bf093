/**
 * The adaptation part of the message union (protocol.ts): the kept model
 * adapted to one task, evaluated over many, the three metrics, the image
 * views and draw to adapt. Long jobs report `adapt-progress` and may be
 * dropped (`job-cancelled`) by a command that replaces the model.
 */
import type { ImageProtocolJson, ImageSetting } from '../core/spec/image-protocol';
import type {
  AdaptCommand,
  AdaptProgress,
  AdaptResult,
  ConfusionResult,
  EvaluationCurve,
} from './adapt-types';
import type { DrawClassifyCommand, DrawPrediction } from './draw-types';
import type { ThreeMetricsCommand, ThreeMetricsReport } from './three-metrics-types';

export interface AdaptCommandBodies {
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
}

export interface AdaptEventBodies {
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
}
