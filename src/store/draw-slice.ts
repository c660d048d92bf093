/**
 * The draw-to-adapt slice (issue 13): the examples the person drew for each
 * of their symbols (as the model's input images, plus the strokes for the
 * thumbnails), and the latest prediction for a drawn query.
 *
 * Homes of state: memory only (drawings are never saved or shared).
 *
 * Invariants: only the answer to the latest `draw-classify` request is kept
 * (requestId); a new model clears the prediction, other data clears the
 * examples too (their image size may no longer fit). While a request is in
 * flight a newer query waits in `waiting` (only the latest), so drawing fast
 * on a slow backend never queues a backlog of classifications.
 */
import type { WorkerEvent } from '../worker/protocol';
import type { DrawPrediction } from '../worker/draw-types';

export interface DrawnExample {
  /** 0-based symbol */
  symbol: number;
  /** the model's input: size × size ink coverage (src/ui/draw/rasterize.ts) */
  image: Float32Array;
  /** the side of `image` */
  size: number;
}

export interface DrawSlice {
  /** N: how many symbols the person is defining */
  symbols: number;
  examples: DrawnExample[];
  requestId: number;
  pending: boolean;
  /** the query drawn while a request was in flight, sent when its answer arrives */
  waiting: Float32Array | null;
  prediction: Extract<DrawPrediction, { ok: true }> | null;
  /** the query image the prediction is for (shown next to it) */
  predictedQuery: Float32Array | null;
  error: string | null;
}

export const MIN_SYMBOLS = 2;

export const initialDraw: DrawSlice = {
  symbols: 3,
  examples: [],
  requestId: 0,
  pending: false,
  waiting: null,
  prediction: null,
  predictedQuery: null,
  error: null,
};

/** Every symbol has at least one example: a query can be classified. */
export function drawReady(d: Pick<DrawSlice, 'symbols' | 'examples'>): boolean {
  for (let k = 0; k < d.symbols; k++) if (!d.examples.some((e) => e.symbol === k)) return false;
  return d.symbols >= MIN_SYMBOLS;
}

export function examplesOf(d: Pick<DrawSlice, 'examples'>, symbol: number): number {
  return d.examples.filter((e) => e.symbol === symbol).length;
}

/** The next draw slice after one worker event (the same object when it does not apply). */
export function reduceDraw(d: DrawSlice, e: WorkerEvent): DrawSlice {
  switch (e.type) {
    case 'draw-prediction': {
      if (e.requestId !== d.requestId) return d;
      if (!e.ok) return { ...d, pending: false, prediction: null, error: e.message };
      const { type: _type, ...prediction } = e;
      return { ...d, pending: false, prediction, error: null };
    }
    case 'done':
    case 'session-loaded':
    case 'idle':
      return d.prediction || d.error || d.pending
        ? { ...d, prediction: null, error: null, pending: false, waiting: null }
        : d;
    case 'data-loaded':
      return d.examples.length || d.prediction || d.error || d.pending
        ? { ...initialDraw, symbols: d.symbols, requestId: d.requestId }
        : d;
    default:
      return d;
  }
}
