/**
 * `npx tsx bench/fused-threads.ts`: the fused WASM meta-step on one thread
 * against the same step split across two (createLearner's `threads: 2`,
 * kernels/wasm/threads.ts) in Node, in one run: whole meta-steps per second
 * (tfjs wasm applies Adam, as in training), timed in alternation (rounds ×
 * seconds each) so a burst of load on this shared machine hits both; the
 * ratio is the median of the per-round ratios. Also the per-step
 * synchronisation alone (an empty request's round trip), and the machine's
 * load average before and after, since the gain depends on a second core
 * being free. JSON on stdout (and --out).
 */
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { useNodeBackend } from '../src/cli/backend-node';
import { createLearner, lossKindOf, specFor } from '../src/core/algorithms/index';
import { FusedWasmMamlLearner } from '../src/core/algorithms/fused-wasm-maml';
import { useNodeHelperThreads } from '../src/core/kernels/wasm/node-threads';
import { initParamArrays } from '../src/core/models/model';
import { defaultConfig } from '../src/core/spec/config';
import { Rng } from '../src/core/rng';
import { builtinSource } from '../src/core/data/builtin';
import type { EpisodeBatch } from '../src/core/data/types';
import { median, msPerStep } from './time-steps';

type Algo = 'maml' | 'fomaml';

async function prepare(algorithm: Algo, metaBatch: number, innerSteps: number, threads: 1 | 2) {
  const source = builtinSource('sinusoid');
  const config = { ...defaultConfig('maml'), algorithm, metaBatch, innerSteps };
  const spec = specFor(algorithm, source, config);
  const reasons: string[] = [];
  const learner = createLearner(algorithm, {
    config,
    spec,
    lossKind: lossKindOf(source),
    initial: initParamArrays(spec, new Rng(1)),
    engine: 'wasm-fused',
    threads,
    onFallback: (r) => reasons.push(r),
  });
  if (!(learner instanceof FusedWasmMamlLearner)) throw new Error(reasons.join('; '));
  const why = await learner.threadsReady();
  if (why) throw new Error(`two threads refused: ${why}`);
  const rng = new Rng(2);
  const shape = { shots: config.shots, ways: config.ways, queries: config.queries };
  const batches: EpisodeBatch[] = Array.from({ length: 8 }, () =>
    source.sample('train', metaBatch, shape, rng),
  );
  for (let i = 0; i < 5; i++) learner.step(batches[i % 8]!).dispose();
  return { learner, batches, reasons, config };
}

const timeSteps = (p: Awaited<ReturnType<typeof prepare>>, seconds: number) =>
  msPerStep(p, seconds, 5);

const program = new Command()
  .name('fused-threads')
  .option('--seconds <s>', 'measuring time per case and thread count', '6')
  .option('--rounds <n>', 'alternations of one and two threads', '6')
  .option('--meta-batch <list>', 'meta-batch sizes', '25,100')
  .option('--algorithms <list>', 'maml,fomaml', 'maml,fomaml')
  .option('--inner-steps <n>', 'inner steps', '1')
  .option('--out <file>', 'also write the JSON to this file')
  .parse();
const o = program.opts<{
  seconds: string;
  rounds: string;
  metaBatch: string;
  algorithms: string;
  innerSteps: string;
  out?: string;
}>();

useNodeHelperThreads();
await useNodeBackend('wasm-fused');
const loadBefore = os.loadavg();
const rows = [];
for (const algorithm of o.algorithms.split(',') as Algo[])
  for (const metaBatch of o.metaBatch.split(',').map(Number)) {
    const one = await prepare(algorithm, metaBatch, Number(o.innerSteps), 1);
    const two = await prepare(algorithm, metaBatch, Number(o.innerSteps), 2);
    const rounds = Number(o.rounds);
    const per = Number(o.seconds) / rounds;
    const ms1: number[] = [];
    const ms2: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ms1.push(await timeSteps(one, per));
      ms2.push(await timeSteps(two, per));
    }
    const split = two.learner instanceof FusedWasmMamlLearner ? two.learner.stepCounts : null;
    const waits =
      two.learner instanceof FusedWasmMamlLearner ? two.learner.splitStep?.waits : undefined;
    const share =
      two.learner instanceof FusedWasmMamlLearner ? two.learner.splitStep?.taskShare() : undefined;
    const pingMs =
      two.learner instanceof FusedWasmMamlLearner
        ? (two.learner.splitStep?.pingMs(2000) ?? null)
        : null;
    rows.push({
      algorithm,
      metaBatch,
      innerSteps: Number(o.innerSteps),
      oneThread: { msPerStep: median(ms1), stepsPerSec: 1000 / median(ms1), roundsMs: ms1 },
      twoThreads: { msPerStep: median(ms2), stepsPerSec: 1000 / median(ms2), roundsMs: ms2 },
      speedup: median(ms1.map((a, i) => a / (ms2[i] as number))),
      syncRoundTripMs: pingMs,
      waitMsPerSplitStep: waits ? waits.ms / Math.max(1, waits.steps) : null,
      helperTaskShare: share ? share.helper / Math.max(1, share.offered) : null,
      stepsSplit: split,
      fallback: two.reasons,
    });
    one.learner.dispose();
    two.learner.dispose();
  }
const out = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version },
  loadAverage: { before: loadBefore, after: os.loadavg() },
  settings: 'sinusoid 1-40-40-1, K=10 Q=10, innerLr 0.01, Adam; whole meta-steps (tfjs wasm under)',
  rows,
};
const text = JSON.stringify(out, null, 2);
process.stdout.write(text + '\n');
if (o.out) writeFileSync(o.out, text + '\n');
