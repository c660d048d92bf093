/**
 * The shape of a model as plain data: layer sizes and the parameter shapes
 * they imply, in the order the engine keeps the parameters ([W0, b0, W1, b1,
 * …], W [in, out], b [out]). Sessions store weights in this order and check
 * them against these shapes; models/mlp.ts builds and runs the tensors.
 */
export interface MlpSpec {
  inputDim: number;
  hidden: number[];
  outputDim: number;
}

export function layerSizes(spec: MlpSpec): number[] {
  return [spec.inputDim, ...spec.hidden, spec.outputDim];
}

export function paramShapes(spec: MlpSpec): number[][] {
  const sizes = layerSizes(spec);
  const shapes: number[][] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    shapes.push([sizes[i] as number, sizes[i + 1] as number], [sizes[i + 1] as number]);
  }
  return shapes;
}
