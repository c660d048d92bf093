/**
 * The page's side of the chart worker: one worker for every chart, started
 * at the page's first idle moment (or the first drawing). Each chart has an
 * id; while its drawing is being made, newer ones replace each other and
 * only the latest is sent next, so live charts never fall behind a queue.
 * Every draw carries a sequence number, and only the reply to the latest
 * one sent for a chart reaches it: a late reply never replaces a newer
 * picture. A worker that fails is told to every waiting chart and replaced
 * at the next drawing.
 */
import type { Drawing, FromChartWorker, ToChartWorker } from './protocol';

export type DrawnListener = (result: { svg: string } | { error: string }) => void;

let worker: Worker | null = null;
let nextId = 1;
let nextSeq = 1;
/** chart id → the sequence number of its draw in flight */
const inFlight = new Map<number, number>();
const waiting = new Map<number, Drawing>();
const listeners = new Map<number, DrawnListener>();

function failAll(message: string): void {
  worker?.terminate();
  worker = null;
  const ids = new Set([...inFlight.keys(), ...waiting.keys()]);
  inFlight.clear();
  waiting.clear();
  for (const id of ids) listeners.get(id)?.({ error: message });
}

function post(msg: ToChartWorker): void {
  if (!worker) {
    worker = new Worker(new URL('./chart.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<FromChartWorker>) => settle(e.data);
    worker.onerror = (e) => failAll(e.message || 'the chart worker stopped');
    worker.onmessageerror = () => failAll('a chart could not be read back from the chart worker');
  }
  worker.postMessage(msg);
}

function settle(msg: FromChartWorker): void {
  if (inFlight.get(msg.id) !== msg.seq) return;
  inFlight.delete(msg.id);
  const listen = listeners.get(msg.id);
  if (!listen) return;
  listen(msg.type === 'drawn' ? { svg: msg.svg } : { error: msg.message });
  const next = waiting.get(msg.id);
  if (next) {
    waiting.delete(msg.id);
    send(msg.id, next);
  }
}

function send(id: number, drawing: Drawing): void {
  const seq = nextSeq++;
  inFlight.set(id, seq);
  post({ type: 'draw', id, seq, drawing });
}

/** Start the worker and its recharts ahead of the first drawing. */
export function warmChartWorker(): void {
  post({ type: 'warm' });
}

export function newChartId(): number {
  return nextId++;
}

/** Draw `drawing` for chart `id`; `listen` receives the markup (or why there is none). */
export function requestDrawing(id: number, drawing: Drawing, listen: DrawnListener): void {
  listeners.set(id, listen);
  if (inFlight.has(id)) waiting.set(id, drawing);
  else send(id, drawing);
}

/** The chart is gone: forget its drawings and free its root in the worker. */
export function dropChart(id: number): void {
  listeners.delete(id);
  waiting.delete(id);
  inFlight.delete(id);
  if (worker) post({ type: 'drop', id });
}
