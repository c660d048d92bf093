/**
 * The message bodies of "draw to adapt" (issue 13): the person's drawings,
 * already turned into the model's input by the page (src/ui/draw/rasterize.ts:
 * size × size ink coverage, ink = 1, rows flattened y · size + x), go to the
 * worker as one support set and one query; the answer is the kept model's
 * probability for each drawn symbol after adapting to that support set.
 * Types only, so the UI imports them without tfjs; protocol.ts refers to
 * them from its one union.
 */

export interface DrawClassifyCommand {
  /** echoed in the answer, so the page keeps only the answer to its latest drawing */
  requestId: number;
  /** N: how many symbols the person defined (labels 0..N−1) */
  symbols: number;
  /** the examples' images, one after another (n · size · size values in [0, 1]) */
  support: Float32Array;
  /** the symbol (0..N−1) of each example, in the order of `support` */
  supportSymbol: number[];
  /** the query's image (size · size values) */
  query: Float32Array;
}

/** How the kept model adapted to the drawn support set. */
export type DrawAdaptation =
  /** ProtoNet: one prototype per symbol, the mean embedding of its examples; no gradient step */
  | { kind: 'prototypes' }
  /** MAML-family: `steps` gradient steps on every weight at rate `lr` (the evaluation's inner loop) */
  | { kind: 'finetune'; steps: number; lr: number }
  /** ANIL: `steps` gradient steps on the head only */
  | { kind: 'head'; steps: number; lr: number };

export type DrawPrediction =
  | {
      requestId: number;
      ok: true;
      /** the probability of each symbol, summing to 1 */
      probabilities: number[];
      /** the most probable symbol (0-based) */
      predicted: number;
      adaptation: DrawAdaptation;
      /** the algorithm the kept model was meta-trained with */
      algorithm: string;
      /** how long the adaptation and classification took in the worker */
      ms: number;
    }
  /** the drawing could not be classified (no model, too many symbols, …): why, in words */
  | { requestId: number; ok: false; message: string };
