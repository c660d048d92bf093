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
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { useNodeBackend, type NodeBackend } from '../src/cli/backend-node';
import { createLearner, lossKindOf, specFor } from '../src/core/algorithms/index';
import { initParamArrays } from '../src/core/models/model';
import { defaultConfig, type AlgorithmName } from '../src/core/spec/config';
import { Rng } from '../src/core/rng';
import { builtinSource } from '../src/core/data/builtin';
import type { TaskSource } from '../src/core/data/types';
import { median, msPerStep } from './time-steps';

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

/** A learner ready to time: warmed up, with a few batches to cycle through. */
async function prepare(
  source: TaskSource,
  algorithm: AlgorithmName,
  layout: 'batched' | 'loop',
  metaBatch: number,
) {
  const config =
    algorithm === 'protonet'
      ? { ...defaultConfig('protonet'), metaBatch }
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
  return { learner, batches, kernels: prof.kernels.length };
}

const timeSteps = (p: Awaited<ReturnType<typeof prepare>>, seconds: number) =>
  msPerStep(p, seconds, 3);

/**
 * Batched and loop timed in alternation (rounds × seconds each), so a burst
 * of load on this shared machine hits both; the ratio is the median of the
 * per-round ratios.
 */
async function measurePair(
  source: TaskSource,
  algorithm: AlgorithmName,
  metaBatch: number,
  seconds: number,
  rounds: number,
) {
  const batched = await prepare(source, algorithm, 'batched', metaBatch);
  const loop = await prepare(source, algorithm, 'loop', metaBatch);
  const msB: number[] = [];
  const msL: number[] = [];
  for (let r = 0; r < rounds; r++) {
    msB.push(await timeSteps(batched, seconds / rounds));
    msL.push(await timeSteps(loop, seconds / rounds));
  }
  batched.learner.dispose();
  loop.learner.dispose();
  const row = (
    layout: 'batched' | 'loop',
    ms: number[],
    kernels: number,
  ): Omit<Row, 'backend'> => ({
    algorithm,
    layout,
    metaBatch,
    stepsPerSec: 1000 / median(ms),
    tasksPerSec: (1000 / median(ms)) * metaBatch,
    msPerStep: median(ms),
    kernelsPerStep: kernels,
  });
  return {
    rows: [row('batched', msB, batched.kernels), row('loop', msL, loop.kernels)],
    ratio: median(msL.map((l, i) => l / (msB[i] as number))),
  };
}

const program = new Command()
  .name('bench')
  .option('--backends <list>', 'comma-separated Node backends', 'wasm,cpu')
  .option('--seconds <s>', 'measuring time per case and layout', '6')
  .option('--rounds <n>', 'alternations of batched and loop', '3')
  .option('--out <file>', 'also write the JSON to this file')
  .option('--meta-batch <list>', 'meta-batch sizes', '25')
  .option('--algorithms <list>', 'methods', 'maml,fomaml,reptile,protonet')
  .parse();
const opts = program.opts<{
  backends: string;
  seconds: string;
  rounds: string;
  out?: string;
  metaBatch: string;
  algorithms: string;
}>();

const rows: Row[] = [];
const ratios: {
  backend: string;
  algorithm: AlgorithmName;
  metaBatch: number;
  batchedOverLoop: number;
}[] = [];
const sinusoid = builtinSource('sinusoid');
const blobs = builtinSource('blobs');
for (const b of opts.backends.split(',') as NodeBackend[]) {
  const backend = await useNodeBackend(b);
  for (const B of opts.metaBatch.split(',').map(Number)) {
    for (const algorithm of opts.algorithms.split(',') as AlgorithmName[]) {
      const source = algorithm === 'protonet' ? blobs : sinusoid;
      const m = await measurePair(source, algorithm, B, Number(opts.seconds), Number(opts.rounds));
      rows.push(...m.rows.map((r) => ({ backend, ...r })));
      ratios.push({ backend, algorithm, metaBatch: B, batchedOverLoop: m.ratio });
      const [bt, lp] = m.rows;
      process.stderr.write(
        `${backend} ${algorithm} B=${B}: batched ${bt!.stepsPerSec.toFixed(1)} steps/s (${bt!.kernelsPerStep} kernels), ` +
          `loop ${lp!.stepsPerSec.toFixed(1)} steps/s (${lp!.kernelsPerStep} kernels), ratio ${m.ratio.toFixed(2)}\n`,
      );
    }
  }
}
const json = JSON.stringify(
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
);
console.log(json);
if (opts.out) writeFileSync(opts.out, json + '\n');
