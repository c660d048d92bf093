/**
 * Training configuration: one flat record of every knob, the defaults of the
 * papers per algorithm, and a one-line explanation per knob that the UI and
 * the CLI both show. The whole record is saved in sessions and share links.
 * Part of the spec layer: plain data and pure functions, no tfjs, so the page
 * can validate and label a configuration without loading the engine.
 */
export const ALGORITHMS = [
  'maml',
  'fomaml',
  'reptile',
  'protonet',
  'anil',
  'metasgd',
  'pretrain',
  'scratch',
] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];

export const ALGORITHM_LABELS: Record<AlgorithmName, string> = {
  maml: 'MAML (second order)',
  fomaml: 'First-order MAML',
  reptile: 'Reptile',
  protonet: 'Prototypical Networks',
  anil: 'ANIL (adapt the head only)',
  metasgd: 'Meta-SGD (learned per-parameter inner rates)',
  pretrain: 'Joint pre-training (baseline)',
  scratch: 'From scratch (baseline)',
};

export const BACKBONES = ['mlp', 'conv4'] as const;
export type Backbone = (typeof BACKBONES)[number];
export const FILTER_CHOICES = [32, 64] as const;

/** Why second-order MAML is off for conv nets (UI validation and CLI say the same). */
export const CONV_METASGD_MESSAGE =
  'Meta-SGD is available for the MLP only: its exact meta-gradient needs second derivatives through the network, which tfjs lacks for conv2d. Pick ANIL or first-order MAML for the conv net.';

export const CONV_MAML_MESSAGE =
  'Second-order MAML is not available for the conv net: tfjs has no second derivative of conv2d (its filter gradient has no gradient). Use first-order MAML, ANIL (exact second order through the head) or Prototypical Networks instead.';

/** How the conv net's batch norm behaves, said wherever the backbone is chosen. */
export const BATCH_NORM_NOTE =
  'Batch norm uses the batch statistics of the images in every forward pass (support and query sets each normalized by their own statistics), never running averages: transductive, as the MAML and ProtoNet code do.';

/** Optimizers of the outer (meta) update. */
export const META_OPTIMIZERS = ['adam', 'adagrad', 'sgd-momentum'] as const;
export type MetaOptimizerName = (typeof META_OPTIMIZERS)[number];

export const META_OPTIMIZER_LABELS: Record<MetaOptimizerName, string> = {
  adam: 'Adam',
  adagrad: 'Adagrad',
  'sgd-momentum': 'SGD with momentum (0.9)',
};

/** Highest dropout rate accepted: at 1 nothing would pass. */
export const MAX_DROPOUT = 0.9;

/**
 * The MAML++ multi-step loss schedule (Antoniou, Edwards & Storkey 2019, and
 * their code's defaults: 15 epochs of annealing, a floor of 0.03/S): the
 * share of the meta-steps over which the weights anneal, and the floor of a
 * non-final weight in units of 1/S.
 */
export const MSL_ANNEAL_FRACTION = 0.15;
export const MSL_MIN_WEIGHT = 0.03;

/** Why the MAML++ options are refused where they are (UI validation and CLI say the same). */
export const MAMLPP_ALGORITHM_MESSAGE =
  'The MAML++ options (multi-step loss, per-step rates) belong to second-order MAML: pick the algorithm MAML.';
export const MAMLPP_CONV_MESSAGE =
  'The MAML++ options (multi-step loss, per-step rates) are available for the MLP only: they are options of second-order MAML, and tfjs has no second derivative of conv2d.';

/** Methods whose training uses dropout when it is set (see CONFIG_HELP.dropout for why only these). */
export const DROPOUT_ALGORITHMS: readonly AlgorithmName[] = ['pretrain', 'protonet'];

export interface TrainConfig {
  algorithm: AlgorithmName;
  metaSteps: number;
  metaBatch: number;
  shots: number;
  ways: number;
  queries: number;
  innerLr: number;
  innerSteps: number;
  evalInnerSteps: number;
  metaLr: number;
  hidden: number[];
  /** the network: an MLP on feature rows, or Conv-4 on image tasks (absent = mlp) */
  backbone?: Backbone;
  /** Conv-4 filters per layer (absent = 64) */
  filters?: 32 | 64;
  seed: number;
  /** meta-validate every this many meta-steps */
  valEvery: number;
  /** episodes per meta-validation */
  valTasks: number;
  /** stop after this many validations without improvement; 0 disables early stopping */
  patience: number;
  /** the outer update's optimizer (Reptile has none: its outer step is an interpolation) */
  metaOptimizer: MetaOptimizerName;
  /** L2 penalty λ on the meta-parameters: λθ is added to the meta-gradient (0 = off) */
  weightDecay: number;
  /** decay the meta learning rate along a half cosine from metaLr to 0 over metaSteps */
  cosineSchedule: boolean;
  /** dropout rate on hidden units while training the pre-training baseline and ProtoNet's MLP embedding */
  dropout: number;
  /**
   * MAML++ multi-step loss (MAML on the MLP only): the meta-loss weighs the
   * query loss after every inner step, annealed toward the last (absent = off)
   */
  multiStepLoss?: boolean;
  /** MAML++ LSLR: a learned inner rate per layer tensor and per inner step (MAML on the MLP only; absent = off) */
  perStepRates?: boolean;
}

export const CONFIG_HELP: Record<keyof TrainConfig, string> = {
  algorithm:
    'How the initialization is learned: MAML differentiates through the inner steps; first-order MAML drops those second derivatives; Reptile moves toward adapted weights; ProtoNet learns an embedding and classifies by nearest class mean; Meta-SGD learns, with the initialization, one inner learning rate per weight (MLP only).',
  metaSteps: 'Number of outer (meta) updates.',
  metaBatch: 'Tasks per meta-update; all of them run as one batched computation.',
  shots: 'K: labelled examples per task (per class for classification) given for adaptation.',
  ways: 'N: classes per episode (classification only).',
  queries: 'Examples per task (per class) used to score the adapted model during meta-training.',
  innerLr:
    'α: step size of the gradient steps that adapt to one task (Meta-SGD: the starting value of every learned rate; adaptation then uses the learned rates).',
  innerSteps: 'Adaptation steps per task during meta-training.',
  evalInnerSteps: 'Adaptation steps on a new task at evaluation time.',
  metaLr: 'β: Adam step size of the outer update (Reptile: interpolation step ε).',
  hidden: 'Hidden layer sizes of the MLP (ReLU).',
  backbone:
    'The network: an MLP on feature rows, or for image tasks Conv-4, the four-block conv net of the few-shot papers (3×3 conv, batch norm, ReLU, 2×2 max-pool).',
  filters: 'Filters per conv layer: 64 as in the papers, 32 for about a quarter of the compute.',
  seed: 'Seed for every random draw: the same seed and backend reproduce the run.',
  valEvery: 'Meta-validate on held-out tasks every this many meta-steps.',
  valTasks: 'Held-out tasks or episodes per meta-validation.',
  patience:
    'Early stopping: validations without improvement before stopping (0 = never). The best weights are kept either way.',
  metaOptimizer:
    'The optimizer of the outer update: Adam (β1 0.9, β2 0.999), Adagrad (accumulator starts at 0.1) or SGD with momentum 0.9. Reptile has none: its outer step is the interpolation ε.',
  weightDecay:
    'L2 regularization λ of the meta-parameters (the initialization): λ·θ is added to the meta-gradient. Meta-SGD’s learned rates are not decayed. Not used by Reptile. 0 = off.',
  cosineSchedule:
    'Lower the meta learning rate along a half cosine, from the set value at the first meta-step toward 0 at the last. Not used by Reptile, whose ε stays constant.',
  dropout:
    'Dropout rate on the hidden units during training, used only where it is meaningful: the pre-training baseline and the ProtoNet MLP embedding. Off for MAML, first-order MAML, Meta-SGD, ANIL and Reptile, whose inner loop adapts on a few examples: random masks would make the support and query passes different networks and the meta-gradient noisy. Off for the conv net (its batch norm already regularizes). Evaluation never drops units.',
  multiStepLoss: `MAML++ multi-step loss: the meta-loss is a weighted sum of the query losses after each of the S inner steps. The weights start equal (1/S); over the first ${MSL_ANNEAL_FRACTION * 100}% of the meta-steps the earlier steps' weights fall linearly toward ${MSL_MIN_WEIGHT}/S while the last step's grows, and after that only the last step counts (plain MAML's loss). The meta-train loss shown is this weighted loss. Helps deep inner loops train stably; with one inner step it changes nothing. Second-order MAML on the MLP only.`,
  perStepRates:
    'MAML++ learned per-layer, per-step inner rates (LSLR): every weight matrix and bias vector gets its own inner learning rate at each of the S inner steps, starting at α and meta-trained with the initialization (exact gradient). Evaluation adapts with the learned rates; steps past S reuse the last step’s rates. Second-order MAML on the MLP only.',
};

const BASE: TrainConfig = {
  algorithm: 'maml',
  metaSteps: 1000,
  metaBatch: 25,
  shots: 10,
  ways: 5,
  queries: 10,
  innerLr: 0.01,
  innerSteps: 1,
  evalInnerSteps: 10,
  metaLr: 0.001,
  hidden: [40, 40],
  seed: 1,
  valEvery: 100,
  valTasks: 100,
  patience: 10,
  metaOptimizer: 'adam',
  weightDecay: 0,
  cosineSchedule: false,
  dropout: 0,
};

/** Defaults per algorithm: the MAML sinusoid settings, adjusted where a method needs it. */
export function defaultConfig(algorithm: AlgorithmName = 'maml'): TrainConfig {
  switch (algorithm) {
    case 'maml':
    case 'fomaml':
    case 'metasgd':
      // Meta-SGD (Li et al. 2017) starts every learned rate at MAML's α.
      return { ...BASE, algorithm };
    case 'reptile':
      // Reptile (Nichol et al. 2018): several SGD steps per task, outer step ε.
      return { ...BASE, algorithm, innerSteps: 5, innerLr: 0.02, metaLr: 0.1, metaBatch: 5 };
    case 'protonet':
      return {
        ...BASE,
        algorithm,
        shots: 1,
        ways: 5,
        queries: 15,
        metaBatch: 4,
        metaLr: 0.001,
        hidden: [64, 64],
      };
    case 'anil':
      // ANIL (Raghu et al. 2020): MAML's settings, only the head adapts.
      return { ...BASE, algorithm, innerSteps: 5, innerLr: 0.1 };
    case 'pretrain':
    case 'scratch':
      return { ...BASE, algorithm };
  }
}

/**
 * Defaults for image tasks (Omniglot): Conv-4 with 32 filters, 5-way 1-shot
 * with 5 queries per class (Omniglot has 20 drawings a character, so K + Q
 * stays well inside it), one episode per meta-step where a step is costly,
 * and the rates that trained in BENCHMARKS.md ("Issue 13"). Second-order
 * MAML keeps its name but is refused by validateConfig (CONV_MAML_MESSAGE).
 */
export function imageDefaultConfig(algorithm: AlgorithmName = 'protonet'): TrainConfig {
  const image: TrainConfig = {
    ...BASE,
    algorithm,
    backbone: 'conv4',
    filters: 32,
    ways: 5,
    shots: 1,
    queries: 5,
    metaSteps: 500,
    valEvery: 100,
    valTasks: 20,
    patience: 0,
  };
  switch (algorithm) {
    case 'protonet':
      return { ...image, metaBatch: 1, metaLr: 0.001 };
    case 'maml':
    case 'fomaml':
    case 'metasgd': // refused on conv by validateConfig, like second-order MAML
      return {
        ...image,
        metaBatch: 4,
        innerSteps: 1,
        innerLr: 0.4,
        evalInnerSteps: 3,
        metaLr: 0.003,
      };
    case 'anil':
      return {
        ...image,
        metaBatch: 4,
        innerSteps: 5,
        innerLr: 0.1,
        evalInnerSteps: 10,
        metaLr: 0.002,
      };
    case 'reptile':
      return {
        ...image,
        metaBatch: 5,
        innerSteps: 5,
        innerLr: 0.02,
        evalInnerSteps: 10,
        metaLr: 0.1,
      };
    case 'pretrain':
    case 'scratch':
      return { ...image, metaBatch: 4, evalInnerSteps: 10 };
  }
}

/** The defaults of `algorithm` for image tasks or for feature rows. */
export function defaultsFor(algorithm: AlgorithmName, images: boolean): TrainConfig {
  return images ? imageDefaultConfig(algorithm) : defaultConfig(algorithm);
}

export function backboneOf(c: Pick<TrainConfig, 'backbone'>): Backbone {
  return c.backbone ?? 'mlp';
}

export function filtersOf(c: Pick<TrainConfig, 'filters'>): 32 | 64 {
  return c.filters ?? 64;
}

/** Which learned inner rates a run of this configuration saves after its weights. */
export interface LearnedRates {
  /** Meta-SGD: one rate per weight */
  learnedLr?: boolean;
  /** MAML++: a [S, P] table of per-layer, per-step rates */
  stepRates?: boolean;
}

export function learnedRatesOf(
  c: Pick<TrainConfig, 'algorithm' | 'perStepRates' | 'backbone'>,
): LearnedRates {
  if (backboneOf(c) === 'conv4') return {};
  return { learnedLr: c.algorithm === 'metasgd', stepRates: usesPerStepRates(c) };
}

/** Whether MAML trains with the MAML++ multi-step loss (absent = off). */
export function usesMultiStepLoss(c: Pick<TrainConfig, 'algorithm' | 'multiStepLoss'>): boolean {
  return c.algorithm === 'maml' && c.multiStepLoss === true;
}

/** Whether MAML learns per-layer, per-step inner rates (absent = off). */
export function usesPerStepRates(c: Pick<TrainConfig, 'algorithm' | 'perStepRates'>): boolean {
  return c.algorithm === 'maml' && c.perStepRates === true;
}

/**
 * The MAML++ weights of the query losses after inner steps 1…S at meta-step
 * `step` (0-based, steps done so far) of `metaSteps`. Uniform 1/S at first;
 * over the first MSL_ANNEAL_FRACTION of the run each non-final weight falls
 * linearly to its floor MSL_MIN_WEIGHT/S and the final one rises (they sum
 * to 1 until the floors bind); from then on only the final loss counts.
 * S ≤ 1 gives [1]: there is only one loss to weigh.
 */
export function multiStepLossWeights(S: number, step: number, metaSteps: number): number[] {
  if (S <= 1) return [1];
  const anneal = Math.max(1, Math.round(MSL_ANNEAL_FRACTION * metaSteps));
  if (step >= anneal) return Array.from({ length: S }, (_, i) => (i === S - 1 ? 1 : 0));
  const p = step / anneal;
  const floor = MSL_MIN_WEIGHT / S;
  const other = Math.max((1 - p) / S, floor);
  const last = Math.min((1 + p * (S - 1)) / S, 1 - (S - 1) * floor);
  return Array.from({ length: S }, (_, i) => (i === S - 1 ? last : other));
}

/** Human-readable problems with a configuration (empty when valid). */
export function validateConfig(c: TrainConfig): string[] {
  const problems: string[] = [];
  if (!(ALGORITHMS as readonly string[]).includes(c.algorithm))
    problems.push(
      `algorithm must be one of ${ALGORITHMS.join(', ')} (got ${String(c.algorithm)}).`,
    );
  const posInt = (k: keyof TrainConfig, v: number) => {
    if (!Number.isInteger(v) || v < 1) problems.push(`${k} must be a whole number ≥ 1 (got ${v}).`);
  };
  posInt('metaSteps', c.metaSteps);
  posInt('metaBatch', c.metaBatch);
  posInt('shots', c.shots);
  posInt('ways', c.ways);
  posInt('queries', c.queries);
  posInt('valEvery', c.valEvery);
  posInt('valTasks', c.valTasks);
  if (!Number.isInteger(c.innerSteps) || c.innerSteps < 0)
    problems.push(`innerSteps must be a whole number ≥ 0 (got ${c.innerSteps}).`);
  if (!Number.isInteger(c.evalInnerSteps) || c.evalInnerSteps < 0)
    problems.push(`evalInnerSteps must be a whole number ≥ 0 (got ${c.evalInnerSteps}).`);
  if (!Number.isInteger(c.patience) || c.patience < 0)
    problems.push(`patience must be a whole number ≥ 0 (got ${c.patience}).`);
  if (!(c.innerLr > 0) || !Number.isFinite(c.innerLr))
    problems.push(`innerLr must be a positive number (got ${c.innerLr}).`);
  if (!(c.metaLr > 0) || !Number.isFinite(c.metaLr))
    problems.push(`metaLr must be a positive number (got ${c.metaLr}).`);
  if (c.hidden.length === 0 || c.hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 4096)) {
    problems.push(
      `hidden must list layer sizes between 1 and 4096 (got ${c.hidden.join(',') || 'none'}).`,
    );
  }
  if (c.backbone !== undefined && !(BACKBONES as readonly string[]).includes(c.backbone))
    problems.push(`backbone must be one of ${BACKBONES.join(', ')} (got ${String(c.backbone)}).`);
  if (c.filters !== undefined && !(FILTER_CHOICES as readonly number[]).includes(c.filters))
    problems.push(`filters must be 32 or 64 (got ${String(c.filters)}).`);
  if (backboneOf(c) === 'conv4' && c.algorithm === 'maml') problems.push(CONV_MAML_MESSAGE);
  if (backboneOf(c) === 'conv4' && c.algorithm === 'metasgd') problems.push(CONV_METASGD_MESSAGE);
  if (!Number.isInteger(c.seed)) problems.push(`seed must be a whole number (got ${c.seed}).`);
  if (!(META_OPTIMIZERS as readonly string[]).includes(c.metaOptimizer))
    problems.push(
      `metaOptimizer must be one of ${META_OPTIMIZERS.join(', ')} (got ${String(c.metaOptimizer)}).`,
    );
  if (!(c.weightDecay >= 0) || !Number.isFinite(c.weightDecay))
    problems.push(`weightDecay must be a number ≥ 0 (got ${c.weightDecay}).`);
  if (typeof c.cosineSchedule !== 'boolean')
    problems.push(`cosineSchedule must be true or false (got ${String(c.cosineSchedule)}).`);
  if (!(c.dropout >= 0 && c.dropout <= MAX_DROPOUT))
    problems.push(`dropout must be a rate from 0 to ${MAX_DROPOUT} (got ${c.dropout}).`);
  for (const k of ['multiStepLoss', 'perStepRates'] as const)
    if (c[k] !== undefined && typeof c[k] !== 'boolean')
      problems.push(`${k} must be true or false (got ${String(c[k])}).`);
  if (c.multiStepLoss === true || c.perStepRates === true) {
    if (backboneOf(c) === 'conv4') problems.push(MAMLPP_CONV_MESSAGE);
    else if (c.algorithm !== 'maml') problems.push(MAMLPP_ALGORITHM_MESSAGE);
  }
  if (c.perStepRates === true && c.innerSteps < 1)
    problems.push(
      `perStepRates needs at least one inner step to learn a rate for (innerSteps is ${c.innerSteps}).`,
    );
  return problems;
}
