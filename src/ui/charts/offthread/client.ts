/**
 * The page's side of the chart worker: one worker for every chart, started
 * at the first drawing. Each chart has an id; while its drawing is being
 * made, newer ones replace each other and only the latest is sent next, so
 * live charts never fall behind a queue.
 */
import type { Drawing, FromChartWorker, ToChartWorker } from './protocol';

export type DrawnListener = (result: { svg: string } | { error: string }) => void;

let worker: Worker | null = null;
let nextId = 1;
const busy = new Set<number>();
const waiting = new Map<number, Drawing>();
const listeners = new Map<number, DrawnListener>();

function post(msg: ToChartWorker): void {
  if (!worker) {
    worker = new Worker(new URL('./chart.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<FromChartWorker>) => settle(e.data);
    worker.onerror = (e) => {
      for (const id of busy) listeners.get(id)?.({ error: e.message || 'the chart worker failed' });
      busy.clear();
    };
  }
  worker.postMessage(msg);
}

function settle(msg: FromChartWorker): void {
  busy.delete(msg.id);
  const listen = listeners.get(msg.id);
  if (listen) listen(msg.type === 'drawn' ? { svg: msg.svg } : { error: msg.message });
  const next = waiting.get(msg.id);
  if (next && listen) {
    waiting.delete(msg.id);
    send(msg.id, next);
  }
}

function send(id: number, drawing: Drawing): void {
  busy.add(id);
  post({ type: 'draw', id, drawing });
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
  if (busy.has(id)) waiting.set(id, drawing);
  else send(id, drawing);
}

/** The chart is gone: forget its drawings and free its root in the worker. */
export function dropChart(id: number): void {
  listeners.delete(id);
  waiting.delete(id);
  if (worker) post({ type: 'drop', id });
}
