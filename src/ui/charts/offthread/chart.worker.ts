/**
 * The chart worker: every chart of the page is drawn here with recharts and
 * sent back as SVG markup, which the page inserts in one assignment.
 *
 * Why a worker: a recharts redraw costs 10–15× the script time of a
 * hand-written SVG one (store updates, selectors re-run after each commit,
 * a label entry per point; BENCHMARKS.md, "Charts on recharts again"), and
 * on the main thread its mounts and redraws were 50–400 ms tasks, over the
 * 50 ms the page allows itself. Here the page pays only the markup's parse.
 *
 * Messages are handled one at a time, in order: a draw waits for recharts'
 * follow-up renders, and two draws interleaved there would read each
 * other's failures. Drawings of one chart coalesce in the client, so the
 * queue holds at most one draw per chart.
 */
import type { FromChartWorker, ToChartWorker } from './protocol';
import { makeRenderer, warmUp, type Renderer } from './render';

const scope = self as unknown as {
  postMessage(m: FromChartWorker): void;
  onmessage: ((e: MessageEvent<ToChartWorker>) => void) | null;
};

let renderer: Renderer | null = null;
let queue: Promise<void> = Promise.resolve();

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function handle(msg: ToChartWorker): Promise<void> {
  renderer ??= makeRenderer();
  if (msg.type === 'warm') return warmUp(renderer).catch(() => undefined);
  if (msg.type === 'drop') return renderer.drop(msg.id);
  try {
    const svg = await renderer.draw(msg.id, msg.drawing);
    scope.postMessage({ type: 'drawn', id: msg.id, seq: msg.seq, svg });
  } catch (err) {
    scope.postMessage({ type: 'failed', id: msg.id, seq: msg.seq, message: messageOf(err) });
  }
}

scope.onmessage = (e) => {
  queue = queue.then(() => handle(e.data));
};
