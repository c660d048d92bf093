/**
 * `npx tsx bench/share-link-size.ts [session.json[.gz]]`: how long a share
 * link is with the full per-step history and with the history thinned as
 * shareFragmentFor thins it (thin-history.ts), as JSON on stdout.
 *
 * Without a file it builds a 4,000-step run shaped like the default
 * sinusoid MAML run (1-40-40-1 MLP, best weights, pre-training baseline,
 * checkpoint with Adam state, a noisy float32 train loss every step, a
 * validation every 100 steps): no training, so it takes a second. With a
 * file it measures that session instead.
 */
import { readSessionFile } from '../src/cli/session-file';
import { Rng } from '../src/core/rng';
import { defaultConfig } from '../src/core/spec/config';
import { paramShapes } from '../src/core/spec/model';
import { builtinDatasetRecord } from '../src/sessions/csv-dataset';
import { encodeShareFragment, shareFragmentFor } from '../src/sessions/codec';
import { newSession } from '../src/sessions/new-session';
import type { SessionDoc } from '../src/sessions/schema';
import { encodeWeights } from '../src/sessions/weights';

const STEPS = 4000;

function randomWeights(rng: Rng, shapes: number[][]) {
  const arrays = shapes.map((s) =>
    Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal() * 0.3),
  );
  return encodeWeights(arrays, shapes);
}

async function syntheticRun(): Promise<SessionDoc> {
  const config = defaultConfig('maml');
  const doc = newSession({
    name: 'sinusoid, MAML, 4,000 steps',
    dataset: await builtinDatasetRecord('sinusoid'),
    config,
    backend: 'wasm',
  });
  const rng = new Rng(1);
  const shapes = paramShapes({ kind: 'mlp', inputDim: 1, hidden: config.hidden, outputDim: 1 });
  const loss = (i: number) => Math.fround(3 * Math.exp(-i / 700) + 0.3 + 0.4 * rng.next());
  const train = Array.from({ length: STEPS }, (_, i) => ({ step: i + 1, trainLoss: loss(i) }));
  const validation = Array.from({ length: STEPS / config.valEvery }, (_, i) => ({
    step: (i + 1) * config.valEvery,
    loss: loss((i + 1) * config.valEvery),
    metric: loss((i + 1) * config.valEvery),
  }));
  doc.history = { train, validation, bestStep: STEPS, stepsDone: STEPS, stoppedReason: 'finished' };
  doc.weights = randomWeights(rng, shapes);
  doc.baselines = { pretrain: randomWeights(rng, shapes) };
  doc.checkpoint = {
    step: STEPS,
    rngState: [1, 2, 3, 4],
    weights: randomWeights(rng, shapes),
    optimizer: { name: 'adam', step: STEPS, ...randomWeights(rng, [...shapes, ...shapes]) },
  };
  return doc;
}

function kib(chars: number): number {
  return Math.round((chars / 1024) * 10) / 10;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const doc = file ? await readSessionFile(file) : await syntheticRun();
  const before = encodeShareFragment(doc).length;
  const noHistory = encodeShareFragment({
    ...doc,
    history: { ...doc.history, train: [], validation: [] },
  }).length;
  const after = shareFragmentFor(doc, { maxBytes: Number.MAX_SAFE_INTEGER });
  if (!after.ok) throw new Error(after.error);
  const fitted = shareFragmentFor(doc);
  const out = {
    session: file ?? `synthetic ${STEPS}-step sinusoid MAML run`,
    steps: doc.history.stepsDone,
    trainPoints: doc.history.train.length,
    validationPoints: doc.history.validation.length,
    linkKiB: {
      fullHistory: kib(before),
      thinnedHistory: kib(after.fragment.length),
      withoutHistory: kib(noHistory),
    },
    historyKiB: {
      full: kib(before - noHistory),
      thinned: kib(after.fragment.length - noHistory),
    },
    defaultBudgetKiB: 64,
    fitsDefaultBudget: fitted.ok
      ? { ok: true, droppedCheckpoint: fitted.droppedCheckpoint, droppedRows: fitted.droppedRows }
      : { ok: false, error: fitted.error },
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

void main();
