/**
 * The shape of a model as plain data: an MLP or the Conv-4 backbone, as a
 * small union, and the parameter shapes each implies, in the order the engine
 * keeps the parameters. Sessions store weights in this order and check them
 * against these shapes; models/mlp.ts and models/conv4.ts build and run the
 * tensors. A spec without `kind` is an MLP (sessions saved before conv nets).
 *
 * MLP params: [W0, b0, W1, b1, …], W [in, out], b [out].
 * Conv-4 params: [W1, γ1, β1, …, W4, γ4, β4, (Wh [d, N], bh [N])],
 * W [3, 3, in, F]; the head is present when outputDim > 0.
 */

/**
 * Image tasks: each example row is one image flattened row-major as
 * [height, width, channels] (HWC), pixel values in [0, 1]; for grayscale
 * line drawings (Omniglot) ink is 1 and background 0, so zero padding in a
 * convolution reads as blank paper. inputDim = height * width * channels.
 */
export interface ImageShape {
  height: number;
  width: number;
  channels: 1 | 3;
}

export interface MlpSpec {
  /** absent in sessions saved before conv nets existed: an MLP */
  kind?: 'mlp';
  inputDim: number;
  hidden: number[];
  outputDim: number;
  /**
   * Meta-SGD: every weight and bias carries its own learned inner learning
   * rate, stored after the weights in the same shapes ([W0, b0, …, αW0, αb0, …]).
   * Absent = plain weights.
   */
  learnedLr?: boolean;
  /**
   * MAML++ per-layer, per-step inner rates (LSLR): S = stepRates rows, one
   * rate per weight tensor (W0, b0, W1, …) at each inner step, stored as one
   * [S, P] tensor after the P weight tensors. Absent = plain weights.
   */
  stepRates?: number;
}

export const CONV_BLOCKS = 4;
/** params per conv block: W, gamma, beta */
export const PER_BLOCK = 3;

export interface ConvSpec {
  kind: 'conv4';
  imageShape: ImageShape;
  filters: number;
  /** head outputs; 0 = no head, the embedding is the output (ProtoNet) */
  outputDim: number;
}

export type ModelSpec = MlpSpec | ConvSpec;

export function isConv(spec: ModelSpec): spec is ConvSpec {
  return spec.kind === 'conv4';
}

export function layerSizes(spec: MlpSpec): number[] {
  return [spec.inputDim, ...spec.hidden, spec.outputDim];
}

function mlpParamShapes(spec: MlpSpec): number[][] {
  const sizes = layerSizes(spec);
  const shapes: number[][] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    shapes.push([sizes[i] as number, sizes[i + 1] as number], [sizes[i + 1] as number]);
  }
  return shapes;
}

/** Spatial size after the four 'valid' 2×2 pools. */
export function featureSide(side: number): number {
  let s = side;
  for (let i = 0; i < CONV_BLOCKS; i++) s = Math.floor(s / 2);
  return s;
}

/** Width of the flattened conv embedding. */
export function embeddingDim(spec: ConvSpec): number {
  const { height, width } = spec.imageShape;
  return featureSide(height) * featureSide(width) * spec.filters;
}

export function convParamShapes(spec: ConvSpec): number[][] {
  const shapes: number[][] = [];
  let cin = spec.imageShape.channels as number;
  for (let i = 0; i < CONV_BLOCKS; i++) {
    shapes.push([3, 3, cin, spec.filters], [spec.filters], [spec.filters]);
    cin = spec.filters;
  }
  if (spec.outputDim > 0) shapes.push([embeddingDim(spec), spec.outputDim], [spec.outputDim]);
  return shapes;
}

export function paramShapes(spec: ModelSpec): number[][] {
  if (isConv(spec)) return convParamShapes(spec);
  const shapes = mlpParamShapes(spec);
  if (spec.stepRates) return [...shapes, [spec.stepRates, shapes.length]];
  return spec.learnedLr ? [...shapes, ...shapes.map((s) => [...s])] : shapes;
}

/** Whether the arrays of this model end with MAML++ per-layer, per-step inner rates. */
export function hasStepRates(spec: ModelSpec): boolean {
  return stepRatesOf(spec) > 0;
}

/** The inner steps the MAML++ rate table covers (0 = no table). */
export function stepRatesOf(spec: ModelSpec): number {
  return isConv(spec) ? 0 : (spec.stepRates ?? 0);
}

/** How many of the model's arrays are network weights (the rest are learned inner rates). */
export function weightTensorCount(spec: ModelSpec): number {
  return paramShapes(weightsSpec(spec)).length;
}

/** Whether the arrays of this model end with per-parameter learned inner rates (Meta-SGD). */
export function hasLearnedLr(spec: ModelSpec): boolean {
  return !isConv(spec) && spec.learnedLr === true;
}

/** The network without its learned rates (what forward passes take). */
export function weightsSpec(spec: ModelSpec): ModelSpec {
  if (!hasLearnedLr(spec) && !hasStepRates(spec)) return spec;
  const { learnedLr: _drop, stepRates: _dropSteps, ...rest } = spec as MlpSpec;
  void _drop;
  void _dropSteps;
  return rest;
}

/** Index of the first head param (the last linear layer); body params come before it. */
export function headStart(spec: ModelSpec): number {
  if (isConv(spec)) {
    if (spec.outputDim === 0) throw new Error('this conv net has no head');
    return CONV_BLOCKS * PER_BLOCK;
  }
  return 2 * (spec.hidden.length + 1) - 2;
}

/** The same network with a different number of outputs. */
export function withOutputDim(spec: ModelSpec, outputDim: number): ModelSpec {
  return { ...spec, outputDim };
}

/**
 * Recover a spec from saved weight shapes: rank-4 first weights are a conv
 * net (whose image shape the data source tells), anything else an MLP.
 * `learnedLr` (the session's algorithm is Meta-SGD) says the second half of
 * the list is the learned rates: the shapes alone cannot tell, since a
 * 1-40-40-1 net followed by its rates also chains like a deeper MLP.
 * `stepRates` (a MAML session with per-step rates) says the last array is
 * the [S, P] table of MAML++ rates.
 */
export function specFromShapes(
  shapes: number[][],
  imageShape?: ImageShape,
  opts: { learnedLr?: boolean; stepRates?: boolean } = {},
): ModelSpec {
  if (opts.stepRates) {
    const table = shapes[shapes.length - 1];
    if (!table || table.length !== 2 || table[1] !== shapes.length - 1)
      throw new Error(
        'per-step rates need an [inner steps, weight tensors] table after the weights',
      );
    const net = specFromShapes(shapes.slice(0, -1)) as MlpSpec;
    return { ...net, stepRates: table[0] as number };
  }
  if (opts.learnedLr) {
    if (shapes.length % 2 !== 0) throw new Error('learned rates need one tensor per weight');
    return { ...(specFromShapes(shapes.slice(0, shapes.length / 2)) as MlpSpec), learnedLr: true };
  }
  const first = shapes[0];
  if (first && first.length === 4) {
    if (!imageShape) throw new Error('conv weights need the image shape of their data');
    const head = shapes.length > CONV_BLOCKS * PER_BLOCK ? shapes[shapes.length - 1] : undefined;
    return {
      kind: 'conv4',
      imageShape,
      filters: first[3] as number,
      outputDim: head ? (head[0] as number) : 0,
    };
  }
  const ws = shapes.filter((_, i) => i % 2 === 0);
  const w0 = ws[0];
  const last = ws[ws.length - 1];
  if (!w0 || !last) throw new Error('no weights');
  return {
    inputDim: w0[0] as number,
    hidden: ws.slice(0, -1).map((w) => w[1] as number),
    outputDim: last[1] as number,
  };
}
