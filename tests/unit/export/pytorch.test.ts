/**
 * The PyTorch export checked for real, with Debian's PyTorch at
 * /usr/bin/python3 (CI installs python3-torch; skipped only when torch is
 * absent, saying so):
 * - adapt.py on the exported folder of a trained sinusoid session (MAML), a
 *   CSV regression session (Meta-SGD's learned rates, standardized numeric
 *   and one-hot text features, a standardized target) and a CSV
 *   classification session (per-task labels): its predictions after 1 and 5
 *   adaptation steps equal the engine's on the same support sets to 1e-4;
 * - train.py under `torchrun --nproc_per_node=2` (gloo, each process half of
 *   every meta-batch, the meta-gradient all-reduced) prints the same loss at
 *   every meta-step as a single process, to 1e-5, and saves the same weights.
 * - a Conv-4 export (safetensors, OIHW, head rows reordered from HWC to CHW)
 *   loads into model.py's nn.Sequential and gives the engine's outputs.
 * The sessions are trained here on the tfjs CPU backend for a few meta-steps.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { builtinSource } from '../../../src/core/data/builtin';
import { loadCsvTexts, type SchemaOverrides } from '../../../src/core/data/index';
import { encodeRecord, standardizeTarget } from '../../../src/core/data/csv/normalization';
import { forward, tileParams } from '../../../src/core/models/mlp';
import { innerStep } from '../../../src/core/algorithms/inner-loop';
import { lossPerTask, type LossKind } from '../../../src/core/algorithms/batch';
import { weightsAndRates } from '../../../src/core/train/adaptation-trace';
import { specFromShapes } from '../../../src/core/spec/model';
import { Rng } from '../../../src/core/rng';
import { readSafetensors } from '../../../src/core/export/safetensors';
import { safetensorsFiles } from '../../../src/core/export/pytorch';
import { convForward, convInitArrays } from '../../../src/core/models/conv4';
import { convParamShapes, type ConvSpec } from '../../../src/core/spec/model';
import {
  builtinDatasetRecord,
  csvDatasetRecord,
  decodeWeights,
  type SessionDoc,
} from '../../../src/sessions/index';
import { exportFiles, writeExport } from '../../../src/cli/export-command';
import { useCpu } from '../../helpers/tf-cpu';
import { trainSession } from '../../helpers/train-session';

const PYTHON = '/usr/bin/python3';
const TORCHRUN = '/usr/bin/torchrun';
const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'mlp-export-'));

/** torch's version, or null with the reason when torch is genuinely not installed. */
async function probeTorch(): Promise<{ version: string | null; why: string }> {
  try {
    const { stdout } = await run(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)']);
    return { version: stdout.trim(), why: '' };
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') return { version: null, why: `${PYTHON} does not exist` };
    if (/No module named '(torch|numpy)'/.test(err.stderr ?? ''))
      return { version: null, why: `${PYTHON} has no torch/numpy (apt-get install python3-torch)` };
    throw new Error(`probing PyTorch failed: ${err.stderr ?? String(e)}`, { cause: e });
  }
}
const torchProbe = probeTorch();

const small = (algorithm: TrainConfig['algorithm'], over: Partial<TrainConfig> = {}) => ({
  ...defaultConfig(algorithm),
  metaSteps: 8,
  metaBatch: 4,
  hidden: [12, 12],
  valEvery: 4,
  valTasks: 4,
  evalInnerSteps: 5,
  ...over,
});

async function trainCsv(text: string, overrides: SchemaOverrides, config: TrainConfig) {
  const built = loadCsvTexts([{ fileName: 'tasks.csv', text }], overrides, {
    seed: config.seed,
    name: 'tasks.csv',
  });
  const dataset = await csvDatasetRecord({
    name: path.join(dir, 'tasks.csv'),
    bytes: [new TextEncoder().encode(text)],
    tables: built.tables,
    report: built.report,
  });
  return trainSession(built.source, config, dataset);
}

/** Regression tasks: y = 10 + 3·(a·x1 + b + colour effect), with a text feature. */
function regressionCsv(rng: Rng, tasks: number, rows: number, name = (t: number) => `t${t}`) {
  const colours = ['red', 'green', 'blue'];
  const lines = ['task,x1,colour,y'];
  for (let t = 0; t < tasks; t++) {
    const a = rng.uniform(-2, 2);
    const b = rng.uniform(-1, 1);
    for (let i = 0; i < rows; i++) {
      const x = rng.uniform(-2, 2);
      const c = i % 3;
      lines.push(`${name(t)},${x},${colours[c]},${10 + 3 * (a * x + b + (c - 1))}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Per-task classification: three labelled clusters per task in two features. */
function classCsv(rng: Rng, tasks: number, perClass: number, name = (t: number) => `t${t}`) {
  const lines = ['task,f1,f2,label'];
  for (let t = 0; t < tasks; t++)
    for (const label of ['ant', 'bee', 'cat']) {
      const [cx, cy] = [rng.uniform(-3, 3), rng.uniform(-3, 3)];
      for (let i = 0; i < perClass; i++)
        lines.push(`${name(t)},${cx + 0.5 * rng.normal()},${cy + 0.5 * rng.normal()},${label}`);
    }
  return lines.join('\n') + '\n';
}

/** The engine's outputs on the queries after each of `steps` adaptation steps (finetune style). */
function enginePredictions(
  doc: SessionDoc,
  kind: LossKind,
  sx: number[][],
  sy: number[][],
  qx: number[][],
  steps: number[],
): number[][][] {
  const w = doc.weights!;
  const spec = specFromShapes(w.shapes, undefined, {
    learnedLr: doc.config.algorithm === 'metasgd',
    stepRates: doc.config.perStepRates === true,
  });
  return tf.tidy(() => {
    const { weights, rateAt } = weightsAndRates(
      { spec, arrays: decodeWeights(w) },
      doc.config.innerLr,
    );
    const t3 = (rows: number[][]) => tf.tensor3d([rows]);
    const [tsx, tsy, tqx] = [t3(sx), t3(sy), t3(qx)];
    let p = tileParams(weights, 1);
    const out: number[][][] = [];
    for (let s = 0; s <= Math.max(...steps); s++) {
      if (steps.includes(s)) {
        const o = forward(p, tqx);
        const y = kind === 'ce' ? tf.softmax(o) : o;
        out.push((y.arraySync() as number[][][])[0]!);
      }
      p = innerStep(p, (q) => lossPerTask(kind, forward(q, tsx), tsy), rateAt(s));
    }
    return out;
  });
}

function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

const toCsv = (rows: Record<string, string>[]) =>
  [Object.keys(rows[0]!).join(','), ...rows.map((r) => Object.values(r).join(','))].join('\n') +
  '\n';

/**
 * Runs adapt.py as a script (`__main__`, its own command line) in each
 * folder, all in one Python process: importing torch is most of a run's
 * time, and this way it happens once. Returns each run's predictions CSV.
 */
async function adaptPy(
  runs: { folder: string; support: string; query: string }[],
): Promise<Record<string, string>[][]> {
  const argv = runs.map(({ folder, support, query }) => {
    writeFileSync(path.join(folder, 'support.csv'), support);
    writeFileSync(path.join(folder, 'query.csv'), query);
    const file = (n: string) => path.join(folder, n);
    return [
      file('adapt.py'),
      '--support',
      file('support.csv'),
      '--query',
      file('query.csv'),
      '--steps',
      '1,5',
      '--out',
      file('predictions.csv'),
    ];
  });
  const driver = [
    'import json, os, runpy, sys',
    'for argv in json.loads(sys.argv[1]):',
    '    sys.argv = argv',
    '    sys.path.insert(0, os.path.dirname(argv[0]))',
    "    sys.modules.pop('model', None)",
    "    runpy.run_path(argv[0], run_name='__main__')",
    '    sys.path.pop(0)',
  ].join('\n');
  await run(PYTHON, ['-c', driver, JSON.stringify(argv)]);
  return runs.map((r) => csvRows(readFileSync(path.join(r.folder, 'predictions.csv'), 'utf8')));
}

async function exportTo(doc: SessionDoc, name: string): Promise<string> {
  const folder = path.join(dir, name);
  await writeExport(await exportFiles(doc, 'python'), folder);
  return folder;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The JSON lines train.py prints: the set-up line, then one loss per meta-step. */
function trainLog(stdout: string): { processes: number; losses: number[] } {
  const lines = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { processes?: number; loss?: number });
  return {
    processes: lines.find((l) => l.processes !== undefined)?.processes ?? 0,
    losses: lines.filter((l) => l.loss !== undefined).map((l) => l.loss as number),
  };
}

let torch: { version: string | null; why: string };
const docs: Record<'sinusoid' | 'regression' | 'classes' | 'perStep', SessionDoc> = {} as never;

beforeAll(async () => {
  await useCpu();
  const rng = new Rng(11);
  const [probe] = await Promise.all([
    torchProbe,
    (async () => {
      docs.sinusoid = await trainSession(
        builtinSource('sinusoid'),
        small('maml'),
        await builtinDatasetRecord('sinusoid'),
      );
      // MAML++: per-step rates learned over 3 inner steps; adapting 5 uses the last row twice
      docs.perStep = await trainSession(
        builtinSource('sinusoid'),
        small('maml', { perStepRates: true, innerSteps: 3, innerLr: 0.02 }),
        await builtinDatasetRecord('sinusoid'),
      );
      const reg = regressionCsv(rng, 16, 12);
      writeFileSync(path.join(dir, 'tasks.csv'), reg);
      docs.regression = await trainCsv(
        reg,
        { taskColumn: 'task', target: 'y', features: ['x1', 'colour'], kind: 'regression' },
        small('metasgd', { shots: 4, queries: 4, innerLr: 0.05 }),
      );
      docs.classes = await trainCsv(
        classCsv(rng, 16, 5),
        { taskColumn: 'task', target: 'label', kind: 'classification', mode: 'per-task' },
        small('maml', { ways: 3, shots: 2, queries: 2, innerLr: 0.1 }),
      );
    })(),
  ]);
  torch = probe;
  // CI installs python3-torch (.ci/run sets REQUIRE_TORCH): there a missing torch fails, never skips
  if (!torch.version && process.env.REQUIRE_TORCH)
    throw new Error(`REQUIRE_TORCH is set but ${torch.why}`);
  console.log(
    torch.version
      ? `PyTorch ${torch.version} (${PYTHON}) runs the export checks`
      : `skipping the PyTorch export checks: ${torch.why}`,
  );
}, 120_000);

// concurrent: both spend their time waiting on Python processes
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('export --format python, checked with PyTorch', () => {
  it('adapt.py predicts as the engine does after 1 and 5 steps (sinusoid MAML, MAML++ per-step rates, CSV Meta-SGD regression, CSV classification)', async (ctx) => {
    if (!torch.version) return ctx.skip();
    const rng = new Rng(99);
    // sinusoid: a new task's support set and queries
    const task = builtinSource('sinusoid').sample(
      'test',
      1,
      { shots: 10, ways: 1, queries: 15 },
      rng,
    );
    const sinSupport = Array.from(task.supportX, (x, i) => ({
      x: String(x),
      y: String(task.supportY[i]),
    }));
    const sinQuery = Array.from(task.queryX, (x) => ({ x: String(x) }));
    // CSV regression and classification: rows of a task the sessions never saw
    const regRows = csvRows(regressionCsv(rng, 1, 14, () => 'new'));
    const clsRows = csvRows(classCsv(rng, 1, 4, () => 'new'));
    const clsSupport = clsRows.filter((_, i) => i % 4 < 2);
    const clsQuery = clsRows.filter((_, i) => i % 4 >= 2);
    const [sinFolder, regFolder, clsFolder, stepFolder] = await Promise.all([
      exportTo(docs.sinusoid, 'sinusoid'),
      exportTo(docs.regression, 'regression'),
      exportTo(docs.classes, 'classes'),
      exportTo(docs.perStep, 'per-step'),
    ]);
    const [sinPy, regPy, clsPy, stepPy] = await adaptPy([
      { folder: sinFolder, support: toCsv(sinSupport), query: toCsv(sinQuery) },
      { folder: regFolder, support: toCsv(regRows.slice(0, 6)), query: toCsv(regRows.slice(6)) },
      { folder: clsFolder, support: toCsv(clsSupport), query: toCsv(clsQuery) },
      { folder: stepFolder, support: toCsv(sinSupport), query: toCsv(sinQuery) },
    ]);
    let worst = 0;
    const close = (py: number, js: number) => {
      worst = Math.max(worst, Math.abs(py - js));
      expect(Math.abs(py - js)).toBeLessThan(1e-4);
    };

    // sinusoid: raw inputs and targets
    const sin = enginePredictions(
      docs.sinusoid,
      'mse',
      sinSupport.map((r) => [Number(r.x)]),
      sinSupport.map((r) => [Number(r.y)]),
      sinQuery.map((r) => [Number(r.x)]),
      [1, 5],
    );
    sinPy!.forEach((row, i) => {
      close(Number(row['prediction@1']), sin[0]![i]![0]!);
      close(Number(row['prediction@5']), sin[1]![i]![0]!);
    });
    // the 5 steps moved the predictions: the comparison is not of two unadapted nets
    expect(Math.abs(sin[1]![0]![0]! - sin[0]![0]![0]!)).toBeGreaterThan(1e-3);

    // MAML++: the card's table, one rate per step and weight tensor
    const card = JSON.parse(readFileSync(path.join(stepFolder, 'adaptation.json'), 'utf8'));
    expect(card.adaptation.stepRates).toHaveLength(3);
    expect(card.adaptation.stepRates[0]).toHaveLength(6);
    const steps = enginePredictions(
      docs.perStep,
      'mse',
      sinSupport.map((r) => [Number(r.x)]),
      sinSupport.map((r) => [Number(r.y)]),
      sinQuery.map((r) => [Number(r.x)]),
      [1, 5],
    );
    stepPy!.forEach((row, i) => {
      close(Number(row['prediction@1']), steps[0]![i]![0]!);
      close(Number(row['prediction@5']), steps[1]![i]![0]!);
    });

    // CSV regression: the session's encoding, predictions back in original units
    const norm = docs.regression.dataset.normalization!;
    const enc = (rows: Record<string, string>[]) => rows.map((r) => [...encodeRecord(norm, r)]);
    const support = regRows.slice(0, 6);
    const reg = enginePredictions(
      docs.regression,
      'mse',
      enc(support),
      support.map((r) => [standardizeTarget(norm, Number(r.y))]),
      enc(regRows.slice(6)),
      [1, 5],
    );
    const { mean, std } = norm.target!;
    regPy!.forEach((row, i) => {
      close(Number(row['prediction@1']), reg[0]![i]![0]! * std + mean);
      close(Number(row['prediction@5']), reg[1]![i]![0]! * std + mean);
    });

    // classification: sorted support labels are outputs 0…N−1; probabilities compared
    const labels = ['ant', 'bee', 'cat'];
    const cnorm = docs.classes.dataset.normalization!;
    const cenc = (rows: Record<string, string>[]) => rows.map((r) => [...encodeRecord(cnorm, r)]);
    const cls = enginePredictions(
      docs.classes,
      'ce',
      cenc(clsSupport),
      clsSupport.map((r) => labels.map((l) => (l === r.label ? 1 : 0))),
      cenc(clsQuery),
      [1, 5],
    );
    clsPy!.forEach((row, i) =>
      labels.forEach((l, c) => {
        close(Number(row[`p_${l}@1`]), cls[0]![i]![c]!);
        close(Number(row[`p_${l}@5`]), cls[1]![i]![c]!);
      }),
    );
    console.log(`adapt.py vs engine: worst difference ${worst.toExponential(2)} over 4 sessions`);
  });

  it('train.py under torchrun --nproc_per_node=2 (gloo) gives the single-process losses and weights', async (ctx) => {
    if (!torch.version) return ctx.skip();
    const folder = await exportTo(docs.sinusoid, 'sinusoid-train');
    const args = (out: string) => [
      path.join(folder, 'train.py'),
      '--meta-steps',
      '3',
      '--meta-batch',
      '6',
      '--out',
      path.join(dir, out),
    ];
    const port = await freePort();
    const [one, two] = await Promise.all([
      run(PYTHON, args('one')),
      run(
        TORCHRUN,
        [
          '--nnodes=1',
          '--nproc_per_node=2',
          '--master_addr=127.0.0.1',
          `--master_port=${port}`,
          // torch 1.13's torchrun on Python 3.11 misreads its default "0" here (see the folder's README)
          '--redirects=9:1',
          '--tee=9:1',
          ...args('two'),
        ],
        { timeout: 120_000 },
      ),
    ]);
    const a = trainLog(one.stdout);
    const b = trainLog(two.stdout);
    expect(a.processes).toBe(1);
    expect(b.processes).toBe(2);
    expect(a.losses).toHaveLength(3);
    expect(b.losses).toHaveLength(3);
    a.losses.forEach((l, i) => expect(Math.abs(l - b.losses[i]!)).toBeLessThan(1e-5));
    const weights = (out: string) =>
      readSafetensors(readFileSync(path.join(dir, out, 'model.safetensors'))).tensors;
    const [wa, wb] = [weights('one'), weights('two')];
    const before = readSafetensors(readFileSync(path.join(folder, 'model.safetensors'))).tensors;
    expect(wb.map((t) => t.name)).toEqual(wa.map((t) => t.name));
    let moved = 0;
    wa.forEach((t, i) => {
      t.data.forEach((v, j) => {
        expect(Math.abs(v - wb[i]!.data[j]!)).toBeLessThan(1e-5);
        moved = Math.max(moved, Math.abs(v - before[i]!.data[j]!));
      });
    });
    expect(moved).toBeGreaterThan(0); // the meta-steps changed the weights
    console.log(
      `train.py losses, 1 process: ${a.losses.map((l) => l.toFixed(6)).join(', ')}; 2 processes: ${b.losses.map((l) => l.toFixed(6)).join(', ')}`,
    );
  });
  it("a Conv-4 export loads into model.py's build_conv4 and gives the engine's outputs", async (ctx) => {
    if (!torch.version) return ctx.skip();
    const spec: ConvSpec = {
      kind: 'conv4',
      imageShape: { height: 16, width: 16, channels: 3 },
      filters: 8,
      outputDim: 3,
    };
    const rng = new Rng(3);
    const arrays = convInitArrays(spec, rng).map((a) => a.map((v) => v + rng.uniform(-0.5, 0.5)));
    const x = Float32Array.from({ length: 5 * 16 * 16 * 3 }, () => rng.uniform(0, 1));
    const js = tf.tidy(() => {
      const shapes = convParamShapes(spec);
      const params = arrays.map((a, i) => tf.tensor(a, shapes[i]));
      return convForward(spec, params, tf.tensor3d(x, [1, 5, 16 * 16 * 3])).arraySync()[0]!;
    });
    const folder = path.join(dir, 'conv');
    const files = safetensorsFiles({
      name: 'conv',
      appVersion: '0.1.0',
      config: { ...defaultConfig('fomaml'), backbone: 'conv4', ways: 3 },
      spec,
      arrays,
      data: {
        source: 'images',
        name: 'letters.zip',
        sha256: '0'.repeat(64),
        kind: 'classification',
        schema: null,
        normalization: null,
        labels: null,
      },
      history: { stepsDone: 0, bestStep: 0 },
      evaluation: null,
    });
    await writeExport(files, folder);
    writeFileSync(path.join(folder, 'x.json'), JSON.stringify([...x]));
    const templates = path.resolve(__dirname, '../../../src/core/export/python');
    const { stdout } = await run(PYTHON, [
      '-c',
      [
        'import json, sys, torch',
        `sys.path.insert(0, ${JSON.stringify(templates)})`,
        'from model import load_model, image_rows_to_nchw',
        `card, net, _ = load_model(${JSON.stringify(folder)})`,
        `x = torch.tensor(json.load(open(${JSON.stringify(path.join(folder, 'x.json'))})))`,
        "print(json.dumps(net(image_rows_to_nchw(x, card['model']['image'])).tolist()))",
      ].join('\n'),
    ]);
    const py = JSON.parse(stdout) as number[][];
    let worst = 0;
    py.forEach((row, i) =>
      row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - js[i]![j]!)))),
    );
    expect(py).toHaveLength(5);
    expect(worst).toBeLessThan(1e-4);
    console.log(`Conv-4 in PyTorch vs engine: worst difference ${worst.toExponential(2)}`);
  });
});
