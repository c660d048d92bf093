/**
 * Quick throughput probe of the conv learners on the synthetic image source:
 * `npx tsx bench/conv-speed.ts wasm '[["protonet",64,5,1,15,4]]'` prints ms
 * per meta-step and episodes/s per [algorithm, filters, N, K, Q, meta-batch]
 * as JSON lines, after one warm-up step. Used to choose the Omniglot settings.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { SyntheticImageSource } from '../tests/helpers/image-source';
import { createLearner, specFor } from '../src/core/algorithms/index';
import { initParamArrays } from '../src/core/models/model';
import { defaultConfig } from '../src/core/spec/config';
import { Rng } from '../src/core/rng';
await tf.setBackend(process.argv[2] ?? 'wasm');
await tf.ready();
const src = new SyntheticImageSource();
for (const [alg, filters, ways, shots, queries, mb] of JSON.parse(process.argv[3]!)) {
  const config = {
    ...defaultConfig(alg),
    backbone: 'conv4' as const,
    filters,
    ways,
    shots,
    queries,
    metaBatch: mb,
    innerSteps: 1,
  };
  const spec = specFor(alg, src, config);
  const l = createLearner(alg, {
    config,
    spec,
    lossKind: 'ce',
    initial: initParamArrays(spec, new Rng(1)),
  });
  const rng = new Rng(2);
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const loss = l.step(src.sample('train', mb, { ways, shots, queries }, rng));
      await loss.data();
      loss.dispose();
    }
  };
  await run(1);
  const t0 = performance.now();
  await run(5);
  const dt = (performance.now() - t0) / 5;
  console.log(
    JSON.stringify({
      alg,
      filters,
      ways,
      shots,
      queries,
      mb,
      msPerStep: Math.round(dt),
      episodesPerSec: +((mb * 1000) / dt).toFixed(2),
      tensors: tf.memory().numTensors,
    }),
  );
  l.dispose();
}
