/**
 * `npx tsx bench/sweeps/paired-eval.ts A.json B.json [episodes] [step] [seed]`:
 * two regression sessions on the same meta-test episodes (same seed, K and
 * queries; each adapts with its own inner learning rate), each model's MSE
 * after `step` steps with its 95% interval, and the per-episode difference
 * A − B with its own (cluster-robust) 95% interval, as JSON on stdout. Used
 * for the sweep acceptance figures in BENCHMARKS.md.
 */
import { useNodeBackend } from '../../src/cli/backend-node';
import { sourceFromSession } from '../../src/cli/dataset';
import { readSessionFile } from '../../src/cli/session-file';
import { clusteredSummary } from '../../src/core/train/clustered';
import { evaluateModels } from '../../src/core/train/evaluate';
import { adaptStyleOf, defaultEvalQueries, specFromShapes } from '../../src/core/train/experiment';
import { episodeShape } from '../../src/core/train/trainer';
import { decodeWeights } from '../../src/sessions/index';

const [fileA, fileB, episodesArg = '600', stepArg = '5', seedArg = '1'] = process.argv.slice(2);
if (!fileA || !fileB)
  throw new Error('usage: paired-eval.ts A.json B.json [episodes] [step] [seed]');
const episodes = Number(episodesArg);
const step = Number(stepArg);
const seed = Number(seedArg);
await useNodeBackend('wasm');

async function score(file: string) {
  const doc = await readSessionFile(file);
  if (!doc.weights) throw new Error(`${file} has no weights`);
  const source = await sourceFromSession(doc);
  const c = doc.config;
  const model = {
    name: 'm',
    spec: specFromShapes(doc.weights.shapes),
    arrays: decodeWeights(doc.weights),
    adaptStyle: adaptStyleOf(c.algorithm),
  };
  const res = await evaluateModels(source, [model], {
    split: 'test',
    episodes,
    maxSteps: step,
    shape: { ...episodeShape(c), queries: defaultEvalQueries(source, c) },
    innerLr: c.innerLr,
    seed,
  });
  const m = res.models.m!;
  return {
    res,
    values: res.perTask.m![step]!,
    summary: { mean: m.mean[step]!, ci95: m.ci95[step]!, median: m.median[step]! },
    config: {
      innerLr: c.innerLr,
      metaLr: c.metaLr,
      innerSteps: c.innerSteps,
      metaSteps: c.metaSteps,
    },
  };
}

const a = await score(fileA);
const b = await score(fileB);
if (JSON.stringify(a.res.episodeUnits) !== JSON.stringify(b.res.episodeUnits))
  throw new Error('the sessions drew different episodes (K or queries differ)');
const diff = clusteredSummary(
  a.values.map((v, i) => v - b.values[i]!),
  a.res.episodeUnits,
);
process.stdout.write(
  JSON.stringify({
    episodes,
    step,
    seed,
    distinctUnits: a.res.units.distinct,
    ciMethod: a.res.units.ciMethod,
    a: { file: fileA, ...a.config, ...a.summary },
    b: { file: fileB, ...b.config, ...b.summary },
    difference: { mean: diff.mean, ci95: diff.ci95 },
  }) + '\n',
);
