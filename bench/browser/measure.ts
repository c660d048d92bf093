/**
 * One browser benchmark case: meta-steps per second of one method on one
 * tfjs backend, timed the way tfjs's own benchmarks time (warm-up first, the
 * first step — shader compilation included — timed on its own, then
 * performance.now() around N steps ending with an awaited readback).
 * Runs wherever tfjs runs: the bench worker calls it.
 */
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, type BackendName } from '../../src/core/backend';
import { createLearner, lossKindOf, specFor } from '../../src/core/algorithms/index';
import { initParamArrays } from '../../src/core/models/mlp';
import { defaultConfig, type AlgorithmName } from '../../src/core/train/config';
import { Rng } from '../../src/core/rng';
import { builtinSource } from '../../src/core/data/builtin';

export interface BenchCase {
  backend: BackendName;
  algorithm: AlgorithmName;
  metaBatch: number;
  hidden: number[];
  layout: 'batched' | 'loop';
  seconds: number;
  /** per-kernel GPU time (webgpu with timestamp queries) for one step */
  profile: boolean;
  /** tfjs flags to set after the backend starts, e.g. WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE */
  flags: Record<string, number>;
}

export interface BenchResult extends Omit<BenchCase, 'flags' | 'profile' | 'seconds'> {
  flags: Record<string, number>;
  /** the backend tfjs really ran on (a missing one falls back: compare with `backend`) */
  ran: BackendName;
  firstStepMs: number;
  msPerStep: number;
  stepsPerSec: number;
  tasksPerSec: number;
  kernelsPerStep: number;
  /** live tensors after the timed steps, and after a second batch of them: equal when nothing leaks */
  numTensors: [number, number];
  numBytes: number;
  kernelMs?: Record<string, { n: number; ms: number }>;
}

export async function measure(
  c: BenchCase,
  wasmPaths?: Record<string, string>,
): Promise<BenchResult> {
  const choice = await chooseBackend({ preferred: c.backend, wasmPaths });
  for (const [k, v] of Object.entries(c.flags)) tf.env().set(k, v);
  const source = builtinSource(c.algorithm === 'protonet' ? 'blobs' : 'sinusoid');
  const base = defaultConfig(c.algorithm === 'protonet' ? 'protonet' : 'maml');
  const config = { ...base, algorithm: c.algorithm, metaBatch: c.metaBatch, hidden: c.hidden };
  const spec = specFor(c.algorithm, source, config);
  const learner = createLearner(c.algorithm, {
    config,
    spec,
    lossKind: lossKindOf(source),
    layout: c.layout,
    initial: initParamArrays(spec, new Rng(1)),
  });
  try {
    const rng = new Rng(2);
    const shape = { shots: config.shots, ways: config.ways, queries: config.queries };
    const batches = Array.from({ length: 8 }, () =>
      source.sample('train', c.metaBatch, shape, rng),
    );
    const tc = performance.now();
    const first = learner.step(batches[0]!);
    await first.data();
    first.dispose();
    const firstStepMs = performance.now() - tc;
    for (let i = 1; i < 4; i++) {
      const x = learner.step(batches[i]!);
      await x.data();
      x.dispose();
    }
    const prof = await tf.profile(() => learner.step(batches[0]!).dispose());
    let kernelMs: BenchResult['kernelMs'];
    if (c.profile) {
      kernelMs = {};
      for (const k of prof.kernels) {
        const t = await (k.kernelTimeMs as number | Promise<number | { error: string }>);
        const e = (kernelMs[k.name] ??= { n: 0, ms: 0 });
        e.n++;
        e.ms += typeof t === 'number' ? t : NaN;
      }
    }
    const timed = async () => {
      const t0 = performance.now();
      let n = 0;
      let last: tf.Scalar | null = null;
      while (performance.now() - t0 < c.seconds * 500 || n < 3) {
        last?.dispose();
        last = learner.step(batches[n % 8]!);
        n++;
        // Read back every 10 steps, as the trainer does: the queue never runs far ahead.
        if (n % 10 === 0) await last.data();
      }
      await last?.data();
      last?.dispose();
      return { ms: (performance.now() - t0) / n, tensors: tf.memory().numTensors };
    };
    const a = await timed();
    const b = await timed();
    const msPerStep = (a.ms + b.ms) / 2;
    return {
      backend: c.backend,
      algorithm: c.algorithm,
      metaBatch: c.metaBatch,
      hidden: c.hidden,
      layout: c.layout,
      flags: c.flags,
      ran: choice.backend,
      firstStepMs,
      msPerStep,
      stepsPerSec: 1000 / msPerStep,
      tasksPerSec: (1000 / msPerStep) * c.metaBatch,
      kernelsPerStep: prof.kernels.length,
      numTensors: [a.tensors, b.tensors],
      numBytes: tf.memory().numBytes,
      ...(kernelMs ? { kernelMs } : {}),
    };
  } finally {
    learner.dispose();
  }
}
