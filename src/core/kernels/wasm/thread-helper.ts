/**
 * The helper thread of a split fused meta-step (threads.ts): its own
 * instance of the WASM kernels computes the summed meta-gradient and loss of
 * its share of the meta-batch at the params the caller wrote, and writes
 * them back into the shared data buffer. The same code runs in a nested Web
 * Worker (fused-helper.worker.ts) and in a Node worker thread
 * (fused-helper.node.ts); each passes its way of posting a reply.
 *
 * On a config message the helper enters its step loop and stays there,
 * blocked in Atomics.wait between steps, until the caller asks for another
 * config (or stop): it then returns to its event loop to receive it.
 */
import { FusedMlpStep } from './fused-step';
import { instantiateKernels, type MlpKernels } from './load';
import {
  APPLIED,
  CLAIM,
  CMD,
  CMD_ECHO,
  DONE,
  FAILED,
  HELPER_TASKS,
  OPEN,
  UP,
  WANT,
  dataViews,
  type HelperReply,
  type HelperRequest,
} from './thread-protocol';

export function serveFusedHelper(reply: (m: HelperReply) => void): (m: HelperRequest) => void {
  let control: Int32Array | null = null;
  let kernels: MlpKernels | null = null;
  const fail = (e: unknown) => {
    reply({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    if (!control) return;
    Atomics.store(control, FAILED, 1);
    Atomics.store(control, DONE, Math.abs(Atomics.load(control, OPEN)));
    Atomics.notify(control, DONE);
  };
  return (m) => {
    try {
      if (m.type === 'init') {
        control = new Int32Array(m.control);
        kernels = instantiateKernels();
        Atomics.store(control, UP, 1);
        Atomics.notify(control, UP);
        reply({ type: 'up' });
        return;
      }
      if (!control || !kernels) throw new Error('config before init');
      // A config the caller has already replaced: the next message is the newer one.
      if (Atomics.load(control, WANT) !== m.id) return;
      const step = new FusedMlpStep(kernels, m.shape);
      const d = dataViews(m.data, m.shape, m.paramSizes);
      const batch = {
        supportX: d.supportX,
        supportY: d.supportY,
        queryX: d.queryX,
        queryY: d.queryY,
      };
      const ctl = control;
      let ran = 0;
      const next = () => {
        const t = Atomics.add(ctl, CLAIM, 1);
        if (t < m.shape.tasks) ran++;
        return t;
      };
      Atomics.store(control, APPLIED, m.id);
      Atomics.notify(control, APPLIED);
      for (;;) {
        if (Atomics.load(control, WANT) !== m.id) return;
        const s = Atomics.load(control, OPEN);
        if (s <= 0 || Atomics.compareExchange(control, OPEN, s, -s) !== s) {
          // nothing offered (or the caller withdrew it first): sleep until OPEN changes
          if (s <= 0) Atomics.wait(control, OPEN, s);
          continue;
        }
        if (Atomics.load(control, CMD) !== CMD_ECHO) {
          ran = 0;
          const r = step.run(d.params, batch, next);
          Atomics.add(control, HELPER_TASKS, ran);
          let at = 0;
          for (const g of r.grads) {
            d.grads.set(g, at);
            at += g.length;
          }
          d.loss[0] = r.loss;
        }
        Atomics.store(control, DONE, s);
        Atomics.notify(control, DONE);
      }
    } catch (e) {
      fail(e);
    }
  };
}
