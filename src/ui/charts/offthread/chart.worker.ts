/**
 * The chart worker: every chart of the page is drawn here with recharts and
 * sent back as SVG markup, which the page inserts in one assignment.
 *
 * Why a worker: a recharts redraw costs 10–15× the script time of a
 * hand-written SVG one (store updates, selectors re-run after each commit,
 * a label entry per point; BENCHMARKS.md, "Charts on recharts again"), and
 * on the main thread its mounts and redraws were 50–400 ms tasks, over the
 * 50 ms the page allows itself. Here they cost the page nothing but the
 * markup's parse (a few ms), whatever recharts does.
 *
 * Drawings of one chart id coalesce in the client (the latest wins while
 * one is being drawn), so a slow draw never queues stale ones.
 */
import type { FromChartWorker, ToChartWorker } from './protocol';
import { makeRenderer, warmUp, type Renderer } from './render';

const scope = self as unknown as {
  postMessage(m: FromChartWorker): void;
  onmessage: ((e: MessageEvent<ToChartWorker>) => void) | null;
};

let renderer: Promise<Renderer> | null = null;
/** Drawings wait for the warm-up's samples: they share root id 0 while it runs. */
let warming: Promise<void> = Promise.resolve();

scope.onmessage = (e) => {
  const msg = e.data;
  renderer ??= Promise.resolve().then(makeRenderer);
  if (msg.type === 'warm') {
    warming = renderer.then(warmUp).catch(() => undefined);
    return;
  }
  void Promise.all([renderer, warming]).then(
    async ([r]) => {
      if (msg.type === 'drop') return r.drop(msg.id);
      const t0 = performance.now();
      try {
        const svg = await r.draw(msg.id, msg.drawing);
        scope.postMessage({ type: 'drawn', id: msg.id, svg, ms: performance.now() - t0 });
      } catch (err) {
        scope.postMessage({
          type: 'failed',
          id: msg.id,
          message: err instanceof Error ? err.message : String(err),
        });
      }
    },
    (err: unknown) => {
      if (msg.type === 'draw')
        scope.postMessage({
          type: 'failed',
          id: msg.id,
          message: `the chart worker could not start: ${err instanceof Error ? err.message : String(err)}`,
        });
    },
  );
};
