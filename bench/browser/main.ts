/**
 * Browser benchmark page: meta-steps per second of one method on one backend,
 * with settings from the query string, results on window.__bench.
 */
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { chooseBackend, type BackendName } from '../../src/core/backend';
import { createLearner, lossKindOf, specFor } from '../../src/core/algorithms/index';
import { initParamArrays } from '../../src/core/models/mlp';
import { defaultConfig, type AlgorithmName } from '../../src/core/train/config';
import { Rng } from '../../src/core/rng';
import { builtinSource } from '../../src/core/data/builtin';

declare global {
  interface Window {
    __bench?: unknown;
  }
}
const q = new URLSearchParams(location.search);
const backend = (q.get('backend') ?? 'webgpu') as BackendName;
const algorithm = (q.get('algorithm') ?? 'maml') as AlgorithmName;
const metaBatch = Number(q.get('B') ?? 25);
const seconds = Number(q.get('seconds') ?? 10);
const layout = (q.get('layout') ?? 'batched') as 'batched' | 'loop';
const readEvery = Number(q.get('readEvery') ?? 10);

async function main() {
  const choice = await chooseBackend({
    preferred: backend,
    wasmPaths: {
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    },
  });
  for (const [k, v] of q.entries()) if (k.startsWith('WEBGPU_')) tf.env().set(k, Number(v));
  const source = builtinSource(algorithm === 'protonet' ? 'blobs' : 'sinusoid');
  const config =
    algorithm === 'protonet'
      ? { ...defaultConfig('protonet'), metaBatch }
      : { ...defaultConfig('maml'), algorithm, metaBatch };
  const spec = specFor(algorithm, source, config);
  const learner = createLearner(algorithm, {
    config,
    spec,
    lossKind: lossKindOf(source),
    layout,
    initial: initParamArrays(spec, new Rng(1)),
  });
  const rng = new Rng(2);
  const shape = { shots: config.shots, ways: config.ways, queries: config.queries };
  const batches = Array.from({ length: 8 }, () => source.sample('train', metaBatch, shape, rng));
  const tc = performance.now();
  const w = learner.step(batches[0]!);
  await w.data();
  w.dispose();
  const firstMs = performance.now() - tc;
  for (let i = 0; i < 3; i++) {
    const x = learner.step(batches[i]!);
    await x.data();
    x.dispose();
  }
  const prof = await tf.profile(() => learner.step(batches[0]!).dispose());
  const t0 = performance.now();
  let n = 0;
  let last: tf.Scalar | null = null;
  while (performance.now() - t0 < seconds * 1000 || n < 3) {
    last?.dispose();
    last = learner.step(batches[n % 8]!);
    n++;
    if (n % readEvery === 0) await last.data();
  }
  await last?.data();
  last?.dispose();
  const ms = (performance.now() - t0) / n;
  const result = {
    backend: choice.backend,
    algorithm,
    layout,
    metaBatch,
    firstStepMs: firstMs,
    msPerStep: ms,
    stepsPerSec: 1000 / ms,
    kernelsPerStep: prof.kernels.length,
    numTensors: tf.memory().numTensors,
  };
  window.__bench = result;
  document.getElementById('out')!.textContent = JSON.stringify(result, null, 2);
}
main().catch((e: unknown) => {
  window.__bench = { error: String(e) };
});
