/**
 * What the caller of a split fused meta-step (threads.ts) and its helper
 * thread (thread-helper.ts) share: the messages, the control words and the
 * layout of the data buffer.
 *
 * Messages only start things (the helper's control buffer, a new shape);
 * every step is synchronised through SharedArrayBuffer words with
 * Atomics.wait/notify, so a step costs no message and neither thread needs
 * its event loop to run while the other waits.
 *
 * Control words (Int32 over the control buffer, one per helper):
 * - UP: 1 once the helper has loaded its kernels.
 * - WANT: the config id the caller wants served; -1 asks the helper to stop.
 *   The helper leaves its step loop when it differs from the config it serves
 *   (a new shape's config message is then on its way).
 * - APPLIED: the config id the helper serves (its step loop is running).
 * - OPEN: a request's number s > 0 while the caller offers it. The helper
 *   takes it by swapping s for −s; the caller withdraws it by swapping s for
 *   0 when it has run every task itself before the helper woke (a helper
 *   descheduled on a busy machine then costs the step nothing). Any other
 *   change (a fresh negative value) just wakes the helper to look at WANT.
 * - DONE: set to s by the helper when its results for request s are in.
 * - CLAIM: the next task of the meta-batch; both threads take tasks from it
 *   with Atomics.add, so the faster thread runs more of them.
 * - CMD: what a request asks for — a step, or an echo (no work: what the
 *   round trip alone costs, see pingMs).
 * - FAILED: 1 when the helper's step threw (its message follows by postMessage).
 * - HELPER_TASKS: how many tasks the helper has run in all (for measuring).
 */
import type { FusedShape } from './fused-step';

export const UP = 0;
export const WANT = 1;
export const APPLIED = 2;
export const OPEN = 3;
export const DONE = 4;
export const CMD = 5;
export const FAILED = 6;
export const CLAIM = 7;
export const HELPER_TASKS = 8;
export const CONTROL_WORDS = 9;

export const CMD_STEP = 0;
export const CMD_ECHO = 1;

export type HelperRequest =
  | { type: 'init'; control: SharedArrayBuffer }
  | {
      type: 'config';
      id: number;
      data: SharedArrayBuffer;
      shape: FusedShape;
      /** element count of each parameter, in params order */
      paramSizes: number[];
    };

export type HelperReply = { type: 'up' } | { type: 'error'; message: string };

/** Float32 views of one config's data buffer (after an 8-byte Float64 loss): the whole meta-batch. */
export interface DataViews {
  loss: Float64Array;
  params: Float32Array[];
  supportX: Float32Array;
  supportY: Float32Array;
  queryX: Float32Array;
  queryY: Float32Array;
  /** the helper's summed meta-gradient over the tasks it claimed, params concatenated */
  grads: Float32Array;
}

function sizes(shape: FusedShape, paramSizes: number[]) {
  const dIn = shape.widths[0] as number;
  const dOut = shape.widths[shape.widths.length - 1] as number;
  const { tasks: B, support: nS, query: nQ } = shape;
  const nP = paramSizes.reduce((a, b) => a + b, 0);
  return [...paramSizes, B * nS * dIn, B * nS * dOut, B * nQ * dIn, B * nQ * dOut, nP];
}

/** Bytes of the data buffer for this shape. */
export function dataBytes(shape: FusedShape, paramSizes: number[]): number {
  return 16 + 4 * sizes(shape, paramSizes).reduce((a, b) => a + b, 0);
}

export function dataViews(
  buf: SharedArrayBuffer,
  shape: FusedShape,
  paramSizes: number[],
): DataViews {
  let at = 16;
  const views = sizes(shape, paramSizes).map((n) => {
    const v = new Float32Array(buf, at, n);
    at += 4 * n;
    return v;
  });
  const [sx, sy, qx, qy, grads] = views.slice(paramSizes.length) as Float32Array[];
  return {
    loss: new Float64Array(buf, 0, 1),
    params: views.slice(0, paramSizes.length),
    supportX: sx as Float32Array,
    supportY: sy as Float32Array,
    queryX: qx as Float32Array,
    queryY: qy as Float32Array,
    grads: grads as Float32Array,
  };
}
