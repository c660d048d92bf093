/**
 * `npm run bench`: meta-steps per second of every method on the MAML sinusoid
 * settings (K = 10, Q = 10, one inner step, 1-40-40-1 MLP, meta-batch 25),
 * batched and per-task loop side by side in one run on each Node backend, as
 * JSON on stdout. The machine is noisy, so read the batched/loop ratio, which
 * is measured in the same process minutes apart, rather than absolute figures.
 *
 * Timing follows tfjs's own benchmarks: warm-up steps first (kernel setup),
 * then performance.now() around N steps ending with an awaited data().
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { Command } from 'commander';
import { useNodeBackend, type NodeBackend } from '../src/cli/backend-node';
import { createLearner, lossKindOf, specFor } from '../src/core/algorithms/index';
import { initParamArrays } from '../src/core/models/mlp';
import { defaultConfig, type AlgorithmName } from '../src/core/train/config';
import { Rng } from '../src/core/rng';
import { builtinSource } from '../src/core/data/builtin';
import type { TaskSource } from '../src/core/data/types';

interface Row {
  backend: string;
  algorithm: AlgorithmName;
  layout: 'batched' | 'loop';
  metaBatch: number;
  stepsPerSec: number;
  tasksPerSec: number;
  msPerStep: number;
  kernelsPerStep: number;
}

async function measure(
  source: TaskSource,
  algorithm: AlgorithmName,
  layout: 'batched' | 'loop',
  metaBatch: number,
  seconds: number,
): Promise<Omit<Row, 'backend'>> {
  const base = defaultConfig(algorithm);
  const config =
    algorithm === 'protonet'
      ? { ...base, metaBatch }
      : {
          ...defaultConfig('maml'),
          algorithm,
          metaBatch,
          innerSteps: 1,
          innerLr: 0.01,
          metaLr: algorithm === 'reptile' ? 0.1 : 0.001,
        };
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
  for (let i = 0; i < 3; i++) {
    const warm = learner.step(batches[i % 8]!);
    await warm.data();
    warm.dispose();
  }
  const prof = await tf.profile(() => {
    learner.step(batches[0]!).dispose();
  });
  const t0 = performance.now();
  let n = 0;
  let last: tf.Scalar | null = null;
  while (performance.now() - t0 < seconds * 1000 || n < 3) {
    last?.dispose();
    last = learner.step(batches[n % 8]!);
    n++;
    if (n % 10 === 0) await last.data();
  }
  await last?.data();
  last?.dispose();
  const ms = (performance.now() - t0) / n;
  learner.dispose();
  return {
    algorithm,
    layout,
    metaBatch,
    stepsPerSec: 1000 / ms,
    tasksPerSec: (1000 / ms) * metaBatch,
    msPerStep: ms,
    kernelsPerStep: prof.kernels.length,
  };
}

const program = new Command()
  .name('bench')
  .option('--backends <list>', 'comma-separated Node backends', 'wasm,cpu')
  .option('--seconds <s>', 'measuring time per case', '4')
  .option('--meta-batch <list>', 'meta-batch sizes', '25')
  .option('--algorithms <list>', 'methods', 'maml,fomaml,reptile,protonet')
  .parse();
const opts = program.opts<{
  backends: string;
  seconds: string;
  metaBatch: string;
  algorithms: string;
}>();

const rows: Row[] = [];
const sinusoid = builtinSource('sinusoid');
const blobs = builtinSource('blobs');
for (const b of opts.backends.split(',') as NodeBackend[]) {
  const backend = await useNodeBackend(b);
  for (const B of opts.metaBatch.split(',').map(Number)) {
    for (const algorithm of opts.algorithms.split(',') as AlgorithmName[]) {
      for (const layout of ['batched', 'loop'] as const) {
        const source = algorithm === 'protonet' ? blobs : sinusoid;
        const r = await measure(source, algorithm, layout, B, Number(opts.seconds));
        rows.push({ backend, ...r });
        process.stderr.write(
          `${backend} ${algorithm} ${layout} B=${B}: ${r.stepsPerSec.toFixed(1)} steps/s, ${r.kernelsPerStep} kernels\n`,
        );
      }
    }
  }
}
const ratios = rows
  .filter((r) => r.layout === 'batched')
  .map((r) => {
    const loop = rows.find(
      (l) =>
        l.layout === 'loop' &&
        l.backend === r.backend &&
        l.algorithm === r.algorithm &&
        l.metaBatch === r.metaBatch,
    );
    return {
      backend: r.backend,
      algorithm: r.algorithm,
      metaBatch: r.metaBatch,
      batchedOverLoop: loop ? r.stepsPerSec / loop.stepsPerSec : null,
    };
  });
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        node: process.version,
        tfjs: tf.version.tfjs,
      },
      settings:
        'sinusoid K=10 Q=10, 1 inner step, MLP 1-40-40-1 (ProtoNet: blobs 5-way 1-shot 15 queries, MLP 2-64-64)',
      rows,
      ratios,
    },
    null,
    2,
  ),
);
