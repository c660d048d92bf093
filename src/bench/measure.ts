/**
 * One benchmark case: meta-steps per second of one method on one tfjs
 * backend, timed the way tfjs's own benchmarks time (the first step — shader
 * compilation included — timed on its own, a short warm-up, then
 * performance.now() around N steps ending with an awaited readback).
 *
 * The one workload of every benchmark: the app's Benchmark page, the
 * "Fastest" backend probe and `npm run bench:browser` all run it, each case in
 * a fresh worker (bench.worker.ts), so backends never share tfjs state and a
 * case that overruns its budget can be terminated.
 *
 * Invariants: the case's backend is the one measured — when it cannot start,
 * the case fails with the reason instead of timing a fallback; the learner
 * (and every tensor of the timed steps) is disposed before returning.
 */
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../core/backend';
import {
  ENGINE_BACKEND_LABELS,
  FUSED_THREADS,
  tfjsBackendOf,
  type BackendName,
  type EngineBackendName,
} from '../core/spec/backend';
import { createFusedWebgpuLearner, FusedWebgpuLearner } from '../core/algorithms/fused-webgpu';
import { createLearner, lossKindOf, specFor } from '../core/algorithms/index';
import { FusedWasmMamlLearner } from '../core/algorithms/fused-wasm-maml';
import { initParamArrays } from '../core/models/model';
import {
  defaultConfig,
  imageDefaultConfig,
  type AlgorithmName,
  type TrainConfig,
} from '../core/spec/config';
import { Rng } from '../core/rng';
import type { Layout, Learner } from '../core/algorithms/learner';
import { builtinSource } from '../core/data/builtin';
import { builtinHasImages, type BuiltinName } from '../core/spec/builtin';
import type { EpisodeShape } from '../core/data/types';
import { NoiseImageSource } from './image-source';

/** The episode and inner-loop knobs a case may take from the app's configuration. */
export type CaseSettings = Partial<
  Pick<
    TrainConfig,
    'shots' | 'ways' | 'queries' | 'innerSteps' | 'innerLr' | 'backbone' | 'filters'
  >
>;

export interface BenchCase {
  /** a tfjs backend, or a fused engine of ours over one ('wasm-fused', 'webgpu-fused') */
  backend: EngineBackendName;
  algorithm: AlgorithmName;
  metaBatch: number;
  hidden: number[];
  /** 'batched' (hand-derived gradients where the method has them), 'tape' or 'loop' */
  layout: Layout;
  /** timed seconds (two halves, averaged) after the first step and the warm-up */
  seconds: number;
  /**
   * the task family whose data shape is used; default: blobs for ProtoNet, else sinusoid.
   * An image family (omniglot) runs Conv-4 on Omniglot-shaped noise (image-source.ts).
   */
  family?: BuiltinName;
  /** overrides of the algorithm's default configuration (the probe passes the app's) */
  settings?: CaseSettings;
  /** count kernels per step with tf.profile (one extra step); the probe skips it */
  countKernels?: boolean;
  /** per-kernel GPU time (webgpu with timestamp queries) for one step */
  profile: boolean;
  /** tfjs flags to set after the backend starts, e.g. WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE */
  flags: Record<string, number>;
}

/** The worker's memory, with how the browser let us measure it. */
export interface CaseMemory {
  bytes: number;
  method: 'measureUserAgentSpecificMemory';
}

export interface BenchResult extends Omit<
  BenchCase,
  'flags' | 'profile' | 'seconds' | 'settings' | 'countKernels'
> {
  flags: Record<string, number>;
  family: BuiltinName;
  /** inner gradient steps per task (the method's default unless the case set it) */
  innerSteps: number;
  /** the backend tfjs really ran on: `backend`, or the one under a fused engine (a fallback fails the case) */
  ran: BackendName;
  firstStepMs: number;
  msPerStep: number;
  stepsPerSec: number;
  tasksPerSec: number;
  /**
   * null when the case skipped counting (the probe); a fused engine's own
   * compute dispatches per meta-step (dispatchesPerStep), else tfjs's kernels
   */
  kernelsPerStep: number | null;
  /** fused engines: compute dispatches (dispatchWorkgroups calls) per meta-step, counted by the engine */
  dispatchesPerStep?: number;
  /**
   * 'wasm-fused-2t': meta-steps whose batch was split across the two threads
   * (of all steps the case ran), and the mean round trip of an empty request
   * to the helper — the synchronisation a split step pays
   */
  threads?: {
    split: number;
    steps: number;
    syncRoundTripMs: number | null;
    /** mean ms the caller waited for the helper after its own tasks, per shared step */
    waitMsPerSplitStep: number;
    /** the share of the offered tasks the helper ran (0.5 = an even split) */
    helperTaskShare: number;
  };
  /** live tensors after the timed steps, and after a second batch of them: equal when nothing leaks */
  numTensors: [number, number];
  /** bytes tfjs holds in tensors (GPU or WASM heap) */
  numBytes: number;
  /**
   * the worker's memory, measured from the page by runner.ts (a dedicated
   * worker has no memory API in Chrome); null where the browser offers none
   * or the case skipped it
   */
  memory: CaseMemory | null;
  kernelMs?: Record<string, { n: number; ms: number }>;
  /** image cases only: the episode and Conv-4's width (tasksPerSec is then episodes/s) */
  image?: ImageKey;
}

/** What an image case ran: the episode shape and Conv-4's filters per layer. */
export interface ImageKey extends EpisodeShape {
  filters: 32 | 64;
}

export type CasePhase = 'starting' | 'first-step' | 'timing' | 'memory';

export function familyOf(c: Pick<BenchCase, 'algorithm' | 'family'>): BuiltinName {
  return c.family ?? (c.algorithm === 'protonet' ? 'blobs' : 'sinusoid');
}

/** True for the cases that run the conv backbone on images. */
export function isImageCase(c: Pick<BenchCase, 'algorithm' | 'family' | 'settings'>): boolean {
  return c.settings?.backbone === 'conv4' || builtinHasImages(familyOf(c));
}

/**
 * Warm-up steps after the first, and the least steps in each timed half: an
 * image step takes 0.1–5 s on this machine's backends, so images do the
 * least that still times a step apart from the first.
 */
export function stepsOf(c: Pick<BenchCase, 'algorithm' | 'family' | 'settings'>) {
  return isImageCase(c) ? { warmup: 1, minPerHalf: 1 } : { warmup: 3, minPerHalf: 3 };
}

export async function measure(
  c: BenchCase,
  wasmPaths?: Record<string, string>,
  onPhase: (p: CasePhase) => void = () => {},
): Promise<BenchResult> {
  onPhase('starting');
  const tfjsName = tfjsBackendOf(c.backend);
  const choice = await chooseBackend({ preferred: tfjsName, wasmPaths });
  if (choice.backend !== tfjsName)
    throw new Error(
      `${ENGINE_BACKEND_LABELS[c.backend]} is not available here (${choice.fallbackReason ?? 'it did not start'})`,
    );
  for (const [k, v] of Object.entries(c.flags)) tf.env().set(k, v);
  const family = familyOf(c);
  const images = isImageCase(c);
  const source = images ? new NoiseImageSource() : builtinSource(family);
  const defaults = images
    ? imageDefaultConfig(c.algorithm)
    : defaultConfig(c.algorithm === 'protonet' ? 'protonet' : 'maml');
  const { warmup, minPerHalf } = stepsOf(c);
  const config: TrainConfig = {
    ...defaults,
    ...c.settings,
    algorithm: c.algorithm,
    metaBatch: c.metaBatch,
    hidden: c.hidden,
  };
  const spec = specFor(c.algorithm, source, config);
  const init = {
    config,
    spec,
    lossKind: lossKindOf(source),
    layout: c.layout,
    initial: initParamArrays(spec, new Rng(1)),
  };
  // A fused case never times the tfjs learner in its place: what the engine does not cover fails with the reason.
  const refuse = (why: string): never => {
    throw new Error(`${ENGINE_BACKEND_LABELS[c.backend]}: ${why}`);
  };
  let learner: Learner;
  if (c.backend === 'webgpu-fused') {
    const fused = createFusedWebgpuLearner(c.algorithm, init, () =>
      createLearner(c.algorithm, init),
    );
    if (!fused.fused) {
      fused.learner.dispose();
      refuse(fused.reason ?? 'not available');
    }
    learner = fused.learner;
  } else if (c.backend === 'wasm-fused' || c.backend === 'wasm-fused-2t') {
    // Reasons come synchronously (the engine does not cover the case, no SharedArrayBuffer) or,
    // for a helper thread that fails to start, later: either fails the case.
    const reasons: string[] = [];
    learner = createLearner(c.algorithm, {
      ...init,
      engine: 'wasm-fused',
      threads: FUSED_THREADS[c.backend],
      onFallback: (r) => reasons.push(r),
    });
    const why = learner instanceof FusedWasmMamlLearner ? await learner.threadsReady() : null;
    if (reasons.length || why) {
      learner.dispose();
      refuse(reasons[0] ?? why ?? '');
    }
  } else {
    learner = createLearner(c.algorithm, init);
  }
  try {
    const rng = new Rng(2);
    const shape = { shots: config.shots, ways: config.ways, queries: config.queries };
    const batches = Array.from({ length: 8 }, () =>
      source.sample('train', c.metaBatch, shape, rng),
    );
    onPhase('first-step');
    const tc = performance.now();
    const first = learner.step(batches[0]!);
    await first.data();
    first.dispose();
    const firstStepMs = performance.now() - tc;
    for (let i = 1; i <= warmup; i++) {
      const x = learner.step(batches[i]!);
      await x.data();
      x.dispose();
    }
    let kernelsPerStep: number | null = null;
    let dispatchesPerStep: number | undefined;
    let kernelMs: BenchResult['kernelMs'];
    if (learner instanceof FusedWebgpuLearner) {
      const before = learner.dispatches;
      const x = learner.step(batches[0]!);
      await x.data();
      x.dispose();
      dispatchesPerStep = learner.dispatches - before;
      kernelsPerStep = dispatchesPerStep;
    } else if (c.countKernels !== false || c.profile) {
      const prof = await tf.profile(() => learner.step(batches[0]!).dispose());
      kernelsPerStep = prof.kernels.length;
      if (c.profile) {
        kernelMs = {};
        for (const k of prof.kernels) {
          const t = await (k.kernelTimeMs as number | Promise<number | { error: string }>);
          const e = (kernelMs[k.name] ??= { n: 0, ms: 0 });
          e.n++;
          e.ms += typeof t === 'number' ? t : NaN;
        }
      }
    }
    onPhase('timing');
    const timed = async () => {
      const t0 = performance.now();
      let n = 0;
      let last: tf.Scalar | null = null;
      while (performance.now() - t0 < c.seconds * 500 || n < minPerHalf) {
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
    const split = learner instanceof FusedWasmMamlLearner ? learner.splitStep : null;
    const threads =
      split && learner instanceof FusedWasmMamlLearner
        ? {
            split: learner.stepCounts.split,
            steps: learner.stepCounts.all,
            syncRoundTripMs: split.pingMs(1000),
            waitMsPerSplitStep: split.waits.ms / Math.max(1, split.waits.steps),
            helperTaskShare: split.taskShare().helper / Math.max(1, split.taskShare().offered),
          }
        : undefined;
    return {
      backend: c.backend,
      algorithm: c.algorithm,
      metaBatch: c.metaBatch,
      hidden: c.hidden,
      layout: c.layout,
      family,
      innerSteps: config.innerSteps,
      flags: c.flags,
      ran: choice.backend,
      firstStepMs,
      msPerStep,
      stepsPerSec: 1000 / msPerStep,
      tasksPerSec: (1000 / msPerStep) * c.metaBatch,
      kernelsPerStep,
      ...(dispatchesPerStep === undefined ? {} : { dispatchesPerStep }),
      ...(threads ? { threads } : {}),
      numTensors: [a.tensors, b.tensors],
      numBytes: tf.memory().numBytes,
      memory: null,
      ...(kernelMs ? { kernelMs } : {}),
      ...(images
        ? {
            image: {
              ways: config.ways,
              shots: config.shots,
              queries: config.queries,
              filters: config.filters ?? 64,
            },
          }
        : {}),
    };
  } finally {
    learner.dispose();
  }
}
