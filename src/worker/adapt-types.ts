/**
 * The message bodies of few-shot adaptation (issue 5): `adapt` (one task,
 * predictions of the meta-learned model after 0..S steps next to both
 * baselines) and the adaptation curve that `evaluate` returns (metric per
 * step over many held-out tasks). Types only, so the UI imports them without
 * tfjs; protocol.ts refers to them from its one union.
 *
 * Numeric payloads are plain Float32Arrays (structured-clonable). Model names
 * are the keys of the core evaluation: the algorithm ("maml", …), "pretrain"
 * (joint pre-training + fine-tuning) and "scratch" (random init fine-tuned).
 */

/** Which task to adapt to. */
export type AdaptTaskChoice =
  /** the index-th meta-test task (a fixed draw from the run's seed) */
  | { kind: 'test'; index: number }
  /** a fresh random task of the meta-test split, drawn from this seed */
  | { kind: 'random'; seed: number }
  /** sinusoid only: a task with these parameters; support x drawn from `seed` */
  | { kind: 'sinusoid'; amplitude: number; phase: number; seed: number };

export interface AdaptCommand {
  /** echoed in the result, so the UI keeps only the answer to its latest request */
  requestId: number;
  task: AdaptTaskChoice;
  /** the largest number of adaptation steps; predictions for every step 0..steps */
  steps: number;
  /**
   * 1-D regression only: the support set as the person edited it (replaces
   * the task's own support points; at least one point). null = the task's own.
   */
  support: { x: number[]; y: number[] } | null;
  /** points of the prediction grid over the input range (1-D regression) */
  gridSize: number;
}

/** One model's adaptation on the task. */
export interface AdaptedModel {
  name: string;
  /**
   * 1-D regression: predictions on the grid after each step, [step][grid];
   * several inputs: predictions at the query points, [step][query];
   * classification: empty.
   */
  predictions: Float32Array[];
  /** query MSE (regression, original units) or accuracy (classification) per step */
  metric: number[];
  /**
   * Image tasks: each query's predicted class (0..N-1, the episode's labels)
   * and the probability the model gives it (softmax of its outputs), after
   * the last step.
   */
  classes?: { predicted: Uint8Array; probability: Float32Array };
}

/**
 * The pictures of an image episode (class-major, like the batch: support
 * image i is of class ⌊i/K⌋, query j of class ⌊j/Q⌋), as display bytes:
 * grayscale is drawn as ink (1) dark on light paper, colour as it is.
 * The buffers are transferred, not copied, to the page.
 */
export interface AdaptImages {
  height: number;
  width: number;
  /** 1 (grayscale, one byte a pixel) or 3 (RGB, HWC) */
  channels: number;
  ways: number;
  shots: number;
  /** queries per class */
  queries: number;
  /** the episode's classes in label order, e.g. "Tifinagh character 12 (90°)" */
  classNames: string[];
  support: Uint8ClampedArray;
  query: Uint8ClampedArray;
}

export interface AdaptResult {
  requestId: number;
  kind: 'regression' | 'classification';
  inputDim: number;
  metric: 'mse' | 'accuracy';
  steps: number;
  innerLr: number;
  /** a short name for the task, e.g. "sinusoid A=2.10 φ=0.42" or a task id */
  taskLabel: string;
  /** the sinusoid's parameters when the task is a known sinusoid */
  params: { amplitude: number; phase: number } | null;
  /** 1-D regression: support points (x, y); otherwise the first input and target */
  support: { x: Float32Array; y: Float32Array };
  /** query points (1-D regression: x, y; several inputs: y only in `y`, x empty) */
  query: { x: Float32Array; y: Float32Array };
  /** 1-D regression: the x grid of the predictions; null otherwise */
  grid: Float32Array | null;
  /** the true function on the grid when it is known (a sinusoid); null otherwise */
  truth: Float32Array | null;
  /** the algorithm first, then the baselines that apply */
  models: AdaptedModel[];
  /** did the support set come from the person's edits */
  edited: boolean;
  /** image classification: the episode's pictures (predictions are in each model's `classes`) */
  images?: AdaptImages;
}

/** One model's curve over the held-out tasks, per adaptation step (null: not finite). */
export interface CurveRow {
  mean: (number | null)[];
  ci95: (number | null)[];
  median: (number | null)[];
  diverged: number[];
}

export interface EvaluationProtocol {
  episodes: number;
  shots: number;
  /** N of N-way episodes; null for regression */
  ways: number | null;
  queries: number;
  innerLr: number;
  seed: number;
  /** S: steps 0..S are scored */
  maxSteps: number;
  backend: string;
  /** what the episodes were drawn from: tasks, or classes (episodic) */
  unitKind: 'tasks' | 'classes';
  /** distinct tasks / classes among the episodes (the interval counts these) */
  distinctUnits: number;
  /** how the 95% interval was computed */
  ciMethod: string;
}

/** The adaptation curve of the three models (the CLI's `evaluate --json` numbers). */
export interface EvaluationCurve {
  algorithm: string;
  metric: 'mse' | 'accuracy';
  steps: number[];
  /** in display order: the algorithm first, then pretrain, scratch */
  models: Record<string, CurveRow>;
  order: string[];
  protocol: EvaluationProtocol;
  durationMs: number;
}

/** Progress of a longer adaptation job in the worker. */
export interface AdaptProgress {
  /**
   * 'baseline': training the joint pre-training baseline once for this run;
   * 'confusion' and 'protocol': the image jobs (episodes done of all settings)
   */
  phase: 'baseline' | 'evaluate' | 'confusion' | 'protocol';
  done: number;
  total: number;
  /** what is being done, e.g. "5-way 1-shot" */
  label?: string;
}

/**
 * The meta-learned model's confusion matrix over many image episodes. Each
 * episode draws new classes, so rows and columns are the episode's labels
 * 1..N, not characters: the matrix shows how often and how evenly the model
 * errs, and the diagonal is the accuracy per label position.
 */
export interface ConfusionResult {
  algorithm: string;
  ways: number;
  shots: number;
  queries: number;
  episodes: number;
  /** adaptation steps before the queries were classified */
  steps: number;
  /** counts[t * ways + p]: queries of class t predicted as p */
  counts: number[];
}
