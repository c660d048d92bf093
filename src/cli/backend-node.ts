/**
 * The CLI's tfjs backend. In Node the choice is WASM or CPU (tfjs-node's
 * native binary cannot be downloaded here). WASM is the default: on the MAML
 * sinusoid step it measured about 2.5× faster than CPU (see BENCHMARKS.md).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { useNodeHelperThreads } from '../core/kernels/wasm/node-threads';
import { tfjsBackendOf } from '../core/spec/backend';

/**
 * 'wasm-fused': tfjs on wasm, MAML's meta-step on our own WASM kernels (issue
 * 16); 'wasm-fused-2t': the same step with each meta-batch shared by a second
 * thread (worker_threads)
 */
export type NodeBackend = 'wasm' | 'cpu' | 'wasm-fused' | 'wasm-fused-2t';
export const NODE_BACKENDS: readonly NodeBackend[] = ['wasm', 'cpu', 'wasm-fused', 'wasm-fused-2t'];

/** Starts the tfjs backend (the one under a fused engine) and returns its name. */
export async function useNodeBackend(name: NodeBackend): Promise<string> {
  // createLearner's `threads: 2` (the fused engine's helper thread) starts worker_threads here.
  useNodeHelperThreads();
  // tfjs prints a hint about tfjs-node on first use; it is noise for CLI users.
  const warn = console.warn;
  const log = console.log;
  console.warn = () => {};
  console.log = () => {};
  try {
    tf.env().set('IS_TEST', false);
    const ok = await tf.setBackend(tfjsBackendOf(name));
    if (!ok) {
      await tf.setBackend('cpu');
      return 'cpu';
    }
    await tf.ready();
    return tf.getBackend();
  } finally {
    console.warn = warn;
    console.log = log;
  }
}
