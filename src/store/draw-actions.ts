/**
 * What the person can do in the draw-to-adapt panel, as plain functions over
 * the store and a port to the worker (testable with a fake port): set how
 * many symbols, add a drawing as an example of a symbol, remove examples,
 * and classify a drawn query (at most one request in flight: see draw-slice).
 */
import type { TrainingPort } from '../worker/client';
import { drawReady, initialDraw, MIN_SYMBOLS, type DrawSlice } from './draw-slice';
import { canAdapt } from './adaptation-actions';
import type { AppState, Store } from './slices';

export const MAX_SYMBOLS = 10;

/** The draw panel can classify: a kept model of a grayscale image task, not training. */
export function canDraw(s: AppState): boolean {
  return canAdapt(s) && s.setup.data?.imageShape?.channels === 1;
}

export function createDrawActions(store: Store, port: TrainingPort) {
  const get = store.getState;
  const patch = (f: (d: DrawSlice) => Partial<DrawSlice>) =>
    store.setState({ ...get(), draw: { ...get().draw, ...f(get().draw) } }, true);

  function send(query: Float32Array): void {
    const d = get().draw;
    const requestId = d.requestId + 1;
    const support = new Float32Array(d.examples.reduce((a, e) => a + e.image.length, 0));
    let at = 0;
    for (const e of d.examples) {
      support.set(e.image, at);
      at += e.image.length;
    }
    patch(() => ({ requestId, pending: true, waiting: null, predictedQuery: query, error: null }));
    port.send({
      type: 'draw-classify',
      requestId,
      symbols: d.symbols,
      support,
      supportSymbol: d.examples.map((e) => e.symbol),
      query,
    });
  }

  /** Classifies the query now, or as soon as the request in flight is answered. */
  function classify(query: Float32Array): void {
    const d = get().draw;
    if (!canDraw(get()) || !drawReady(d)) return;
    if (d.pending) patch(() => ({ waiting: query }));
    else send(query);
  }

  /** Sends the query that waited for the previous answer (the panel calls it when one arrives). */
  function flush(): void {
    const d = get().draw;
    if (!d.pending && d.waiting) {
      if (canDraw(get()) && drawReady(d)) send(d.waiting);
      else patch(() => ({ waiting: null }));
    }
  }

  function setSymbols(n: number): void {
    if (!Number.isInteger(n) || n < MIN_SYMBOLS || n > MAX_SYMBOLS) return;
    patch((d) => ({
      symbols: n,
      examples: d.examples.filter((e) => e.symbol < n),
      prediction: null,
    }));
  }

  function addExample(symbol: number, image: Float32Array, size: number): void {
    const d = get().draw;
    if (!Number.isInteger(symbol) || symbol < 0 || symbol >= d.symbols) return;
    patch(() => ({ examples: [...d.examples, { symbol, image, size }], prediction: null }));
  }

  function removeExample(index: number): void {
    patch((d) => ({ examples: d.examples.filter((_, i) => i !== index), prediction: null }));
  }

  /** Forgets every example and the prediction (the number of symbols stays). */
  function clearAll(): void {
    patch((d) => ({ ...initialDraw, symbols: d.symbols, requestId: d.requestId }));
  }

  return { classify, flush, setSymbols, addExample, removeExample, clearAll };
}

export type DrawActions = ReturnType<typeof createDrawActions>;
