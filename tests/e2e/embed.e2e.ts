/**
 * The exports in Chromium (issue 15). A short sinusoid run is trained in the
 * app on WASM; its "Download model" → TensorFlow.js zip is unzipped next to
 * docs/embed-example.html with the built adapter (vite.adapter.config.ts) and
 * tfjs's own ES module, served from a plain static server; the page adapts on
 * a support set and predicts, and its numbers must equal the engine's (the
 * CLI's `adapt`, run in this process on the session the app exported) to
 * 1e-6. Both sides run tfjs's CPU backend, so the comparison is of the
 * procedures, not of two backends. Then the same run downloads as
 * safetensors (the header and tensor ranges parse, PyTorch's names and
 * shapes) and as the Python folder (its files, the same weights). A Conv-4
 * export (written in this process: training a conv net in the app would take
 * minutes on SwiftShader) adapts in the same page, called through its
 * window.embedAdapter, like the engine's evaluation to 1e-5.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import * as tf from '@tensorflow/tfjs';
import { runAdapt } from '../../src/cli/adapt-command';
import { useNodeBackend } from '../../src/cli/backend-node';
import { toTensors } from '../../src/core/algorithms/batch';
import { tfjsExportFiles } from '../../src/core/export/tfjs-bundle';
import { convInitArrays } from '../../src/core/models/conv4';
import { Rng } from '../../src/core/rng';
import { imageDefaultConfig } from '../../src/core/spec/config';
import type { ConvSpec } from '../../src/core/spec/model';
import { adaptationTrace } from '../../src/core/train/adaptation-trace';
import { SyntheticImageSource } from '../helpers/image-source';
import { button, stepCount, typeField, waitFor } from './app-page';
import { openPage, type OpenedPage } from './browser';
import type { E2EContext } from './context';
import { assert, record, type TestCase } from './harness';
import { freePort } from './server';

const root = path.resolve(import.meta.dirname, '../..');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/** A static server for one folder: what a person would use to host the example. */
async function serveFolder(dir: string): Promise<{ url: string; server: Server }> {
  const port = await freePort();
  const server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(dir, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'text/plain' });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Trains a short sinusoid run on WASM and waits for its session to be stored. */
export async function trainShortRun(page: Page, steps: number): Promise<void> {
  await waitFor('the Train button', () => button(page, 'Train').isEnabled(), 60_000);
  await typeField(page, 'Meta-steps', String(steps));
  await typeField(page, 'Meta-batch', '4');
  await button(page, 'Train').click();
  await waitFor(
    'the run to end',
    async () =>
      /finished|done/i.test((await page.getByTestId('run-status').textContent()) ?? '') ||
      (await stepCount(page)) >= steps,
    90_000,
  );
  await page.getByTestId('session-row').first().waitFor({ timeout: 30_000 });
  await waitFor('Download model', () => button(page, 'Download model').isEnabled(), 30_000);
}

/** Opens "Download model", picks the item whose name matches, returns the file's bytes and name. */
export async function downloadModel(
  page: Page,
  item: RegExp,
  saveTo: string,
): Promise<{ bytes: Uint8Array; name: string }> {
  await button(page, 'Download model').click();
  const dl = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('menuitem', { name: item }).click();
  const d = await dl;
  const file = path.join(saveTo, d.suggestedFilename());
  await d.saveAs(file);
  return { bytes: new Uint8Array(readFileSync(file)), name: d.suggestedFilename() };
}

const SUPPORT_X = [-4.5, -3, -1.8, -0.5, 0.7, 1.9, 3.1, 4.4];
const SUPPORT_Y = SUPPORT_X.map((x) => 2.5 * Math.sin(x + 0.8));
const QUERIES = [-4, -2.2, -1, 0, 0.9, 2.4, 3.7, 4.9];

/**
 * The engine's predictions: the CLI's `adapt` (core/export/adapt-new-task.ts)
 * run in this process on tfjs's CPU backend, on the session the app exported.
 */
async function enginePredictions(dir: string, session: string, steps?: number): Promise<number[]> {
  const support = path.join(dir, 'support.csv');
  const queries = path.join(dir, 'queries.csv');
  const out = path.join(dir, `predictions-${steps ?? 'card'}.csv`);
  writeFileSync(support, ['x,y', ...SUPPORT_X.map((x, i) => `${x},${SUPPORT_Y[i]}`)].join('\n'));
  writeFileSync(queries, ['x', ...QUERIES.map(String)].join('\n'));
  await runAdapt({ session, support, predict: queries, out, backend: 'cpu', steps });
  const lines = readFileSync(out, 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => Number(l.split(',').at(-1)));
}

async function pagePredictions(page: Page, steps?: number): Promise<number[]> {
  await page.evaluate(() => {
    (window as unknown as { embedResult?: unknown }).embedResult = undefined;
  });
  // by id: a label wrapping a text area also holds its text, so the names are not stable
  await page.locator('#support').fill(SUPPORT_X.map((x, i) => `${x},${SUPPORT_Y[i]}`).join('\n'));
  await page.locator('#queries').fill(QUERIES.join('\n'));
  await page.locator('#steps').fill(steps === undefined ? '' : String(steps));
  await page.getByRole('button', { name: 'Adapt and predict' }).click();
  const handle = await page.waitForFunction(
    () =>
      (window as unknown as { embedResult?: { predictions: number[] } }).embedResult?.predictions,
    undefined,
    { timeout: 30_000 },
  );
  const predictions = await handle.jsonValue();
  assert.ok(predictions, 'the page published its predictions');
  return predictions;
}

function maxAbsDiff(a: number[], b: number[]): number {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
}

/**
 * The tensors of a safetensors file by name with their shapes, after checking
 * the format: an 8-byte little-endian header length, a JSON header, F32
 * tensors whose byte ranges tile the data that follows, exactly.
 */
function checkSafetensors(bytes: Uint8Array): Record<string, number[]> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  assert.ok(n > 0 && 8 + n <= bytes.length, `header length ${n} fits the file`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const out: Record<string, number[]> = {};
  const ranges: [number, number][] = [];
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    assert.equal(t.dtype, 'F32', name);
    const [a, b] = t.data_offsets;
    assert.equal(b - a, 4 * t.shape.reduce((x, y) => x * y, 1), `${name}: bytes match the shape`);
    ranges.push([a, b]);
    out[name] = t.shape;
  }
  ranges.sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [a, b] of ranges) {
    assert.equal(a, at, 'tensors tile the data without gaps');
    at = b;
  }
  assert.equal(8 + n + at, bytes.length, 'the data ends with the last tensor');
  return out;
}

/** The built adapter, tfjs's ES module and the example page, into `dir` (as a person hosts them). */
async function stageExample(dir: string): Promise<void> {
  await build({
    root,
    configFile: path.join(root, 'vite.adapter.config.ts'),
    logLevel: 'warn',
    build: { outDir: path.join(dir, 'adapter-dist'), emptyOutDir: true },
  });
  copyExample(dir);
}

/** The built adapter (already in `dir`/adapter-dist), tfjs's ES module and the example page, side by side. */
function copyExample(dir: string): void {
  writeFileSync(
    path.join(dir, 'adapter.js'),
    readFileSync(path.join(dir, 'adapter-dist/adapter.js')),
  );
  writeFileSync(
    path.join(dir, 'tf.fesm.js'),
    readFileSync(path.join(root, 'node_modules/@tensorflow/tfjs/dist/tf.fesm.js')),
  );
  writeFileSync(
    path.join(dir, 'embed-example.html'),
    readFileSync(path.join(root, 'docs/embed-example.html')),
  );
}

/**
 * A small Conv-4 (28 × 28 × 1, 8 filters, 3-way head) exported to `modelDir`
 * and one 3-way 1-shot episode; the engine's query logits after each of
 * `steps` (the evaluation's adaptation trace, on tfjs's CPU backend).
 */
async function convCase(modelDir: string, steps: readonly number[]) {
  await useNodeBackend('cpu');
  const spec: ConvSpec = {
    kind: 'conv4',
    imageShape: { height: 28, width: 28, channels: 1 },
    filters: 8,
    outputDim: 3,
  };
  const rng = new Rng(12);
  const arrays = convInitArrays(spec, rng).map((a) => a.map((v) => v + rng.uniform(-0.1, 0.1)));
  const config = { ...imageDefaultConfig('fomaml'), ways: 3, shots: 1, queries: 2, filters: 32 };
  const files = await tfjsExportFiles({
    name: 'conv e2e',
    config,
    spec,
    arrays,
    data: { kind: 'classification', targetColumn: null, normalization: null },
    evaluation: null,
  });
  for (const [name, bytes] of Object.entries(files))
    writeFileSync(path.join(modelDir, name), bytes);
  const batch = new SyntheticImageSource({ side: 28, seed: 2 }).sample(
    'test',
    1,
    { ways: 3, shots: 1, queries: 2 },
    new Rng(4),
  );
  const engine = steps.map((S) =>
    tf.tidy(() => {
      const trace = adaptationTrace(
        { name: 'main', spec, arrays, adaptStyle: 'finetune' },
        toTensors(batch),
        'ce',
        S,
        config.innerLr,
        undefined,
        true,
      );
      return [...(trace.logits as tf.Tensor3D).dataSync()];
    }),
  );
  const rows = (data: Float32Array, n: number) =>
    Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * 784, (i + 1) * 784)));
  const labels = Array.from({ length: batch.support }, (_, i) =>
    String(batch.supportY.subarray(i * 3, (i + 1) * 3).indexOf(1)),
  );
  return {
    support: { x: rows(batch.supportX, batch.support), y: labels },
    queries: rows(batch.queryX, batch.query),
    engine,
  };
}

export function embedTests(ctx: E2EContext): TestCase[] {
  // one short run serves both tests (the second trains its own when run alone)
  let app: OpenedPage | null = null;
  const trainedApp = async (): Promise<OpenedPage> => {
    if (app) return app;
    const opened = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`);
    await trainShortRun(opened.page, 25);
    app = opened;
    return opened;
  };
  return [
    {
      name: 'embed: a Conv-4 TensorFlow.js export adapts in docs/embed-example.html like the engine',
      timeoutMs: 120_000,
      fn: async () => {
        const dir = path.join(ctx.outDir, `embed-conv-${process.pid}`);
        const modelDir = path.join(dir, 'model');
        mkdirSync(modelDir, { recursive: true });
        const steps = [0, 2];
        const [, c] = await Promise.all([stageExample(dir), convCase(modelDir, steps)]);
        const served = await serveFolder(dir);
        try {
          const embed = await openPage(
            ctx.browser,
            `${served.url}embed-example.html?model=model/model.json&tfjs=./tf.fesm.js&backend=cpu`,
          );
          try {
            await waitFor(
              'the example to load the conv model',
              () => embed.page.getByRole('button', { name: 'Adapt and predict' }).isEnabled(),
              30_000,
            );
            // the page's adapter, called as a script would (the text areas suit feature rows)
            const inPage = await embed.page.evaluate(
              ({ support, queries, steps }) => {
                type Task = { logits(x: number[][]): number[][]; dispose(): void };
                const a = (
                  window as unknown as {
                    embedAdapter: { adapt(s: unknown, o: { steps: number }): Task };
                  }
                ).embedAdapter;
                return steps.map((n) => {
                  const task = a.adapt(support, { steps: n });
                  const out = task.logits(queries).flat();
                  task.dispose();
                  return out;
                });
              },
              { support: c.support, queries: c.queries, steps },
            );
            steps.forEach((S, i) => {
              const diff = maxAbsDiff(inPage[i] ?? [], c.engine[i] ?? []);
              record(`embed: conv logits after ${S} steps, page vs engine, max |diff|`, diff);
              assert.ok(diff <= 1e-5, `page and engine agree to 1e-5 after ${S} steps (${diff})`);
            });
            assert.ok(
              maxAbsDiff(inPage[0] ?? [], inPage[1] ?? []) > 1e-4,
              'the steps change the logits',
            );
            assert.deepEqual(embed.errors, [], 'no errors in the example page');
          } finally {
            await embed.page.close();
          }
          rmSync(dir, { recursive: true, force: true });
        } finally {
          served.server.close();
        }
      },
    },
    {
      name: 'embed: the app’s TensorFlow.js download adapts in docs/embed-example.html like the engine',
      // ~70 s on a quiet machine; the margin is for a shared one
      timeoutMs: 150_000,
      fn: async () => {
        const dir = path.join(ctx.outDir, `embed-${process.pid}`);
        const modelDir = path.join(dir, 'model');
        mkdirSync(modelDir, { recursive: true });
        const t0 = Date.now();
        // the adapter the way `npm run build:adapter` makes it, into this test's folder
        const adapterBuild = build({
          root,
          configFile: path.join(root, 'vite.adapter.config.ts'),
          logLevel: 'warn',
          build: { outDir: path.join(dir, 'adapter-dist'), emptyOutDir: true },
        });
        const { page, errors } = await trainedApp();
        record('embed: trained (s)', (Date.now() - t0) / 1000);
        let site: Server | null = null;
        try {
          const zip = await downloadModel(page, /^TensorFlow\.js/, dir);
          const files = unzipSync(zip.bytes);
          record('embed: zip entries', Object.keys(files));
          for (const [name, bytes] of Object.entries(files))
            writeFileSync(path.join(modelDir, name), bytes);
          const sessionFile = path.join(dir, 'session.json');
          const dl = page.waitForEvent('download');
          await button(page, 'Export session').click();
          await (await dl).saveAs(sessionFile);
          await adapterBuild;
          copyExample(dir);
          const served = await serveFolder(dir);
          site = served.server;
          const embed = await openPage(
            ctx.browser,
            `${served.url}embed-example.html?model=model/model.json&tfjs=./tf.fesm.js&backend=cpu`,
          );
          try {
            await waitFor(
              'the example to load the model',
              () => embed.page.getByRole('button', { name: 'Adapt and predict' }).isEnabled(),
              30_000,
            );
            const status = (await embed.page.getByRole('status').textContent()) ?? '';
            record('embed: example status', status);
            assert.match(status, /regression/);
            assert.match(status, /cpu/);
            const bySteps: number[][] = [];
            for (const steps of [undefined, 1]) {
              const inPage = await pagePredictions(embed.page, steps);
              const engine = await enginePredictions(dir, sessionFile, steps);
              const diff = maxAbsDiff(inPage, engine);
              const label = steps === undefined ? 'card steps' : `${steps} step`;
              record(`embed: predictions (${label}) page vs engine, max |diff|`, diff);
              assert.ok(
                inPage.every((v) => Number.isFinite(v)),
                'finite predictions',
              );
              assert.ok(diff <= 1e-6, `page and engine agree to 1e-6 (${diff})`);
              bySteps.push(inPage);
            }
            // the steps were taken: the card's 10 steps and 1 step give different numbers
            assert.ok(
              maxAbsDiff(bySteps[0] ?? [], bySteps[1] ?? []) > 1e-4,
              'steps change the predictions',
            );
            assert.deepEqual(embed.errors, [], 'no errors in the example page');
          } finally {
            await embed.page.close();
          }
          assert.deepEqual(errors, [], 'no errors in the app');
          record('embed: total (s)', (Date.now() - t0) / 1000);
          // kept for a look when the test fails; a copy of tfjs is not worth keeping otherwise
          rmSync(dir, { recursive: true, force: true });
        } finally {
          site?.close();
        }
      },
    },
    {
      name: 'embed: Download model as safetensors and as the Python folder gives the zips the CLI files',
      timeoutMs: 120_000,
      fn: async () => {
        const { page, errors } = await trainedApp();
        const dir = path.join(ctx.outDir, `embed-formats-${process.pid}`);
        mkdirSync(dir, { recursive: true });
        try {
          const st = await downloadModel(page, /^safetensors/, dir);
          assert.match(st.name, /-safetensors\.zip$/);
          const stFiles = unzipSync(st.bytes);
          record('embed: safetensors zip entries', Object.keys(stFiles));
          assert.deepEqual(Object.keys(stFiles).sort(), ['adaptation.json', 'model.safetensors']);
          const tensors = checkSafetensors(stFiles['model.safetensors'] as Uint8Array);
          record('embed: safetensors tensors', tensors);
          // the app's default MLP, 1 → 40 → 40 → 1, as torch.nn.Sequential's state_dict
          assert.deepEqual(tensors, {
            '0.weight': [40, 1],
            '0.bias': [40],
            '2.weight': [40, 40],
            '2.bias': [40],
            '4.weight': [1, 40],
            '4.bias': [1],
          });
          const card = JSON.parse(new TextDecoder().decode(stFiles['adaptation.json']));
          assert.equal(card.model.architecture, 'mlp');
          assert.equal(card.data.family, 'sinusoid');
          await page.getByTestId('model-snippet').getByText('load_state_dict').waitFor();

          const py = await downloadModel(page, /^Python folder/, dir);
          const pyFiles = unzipSync(py.bytes);
          const folder = py.name.replace(/\.zip$/, '');
          record('embed: Python zip entries', Object.keys(pyFiles));
          assert.deepEqual(
            Object.keys(pyFiles).sort(),
            [
              'README.md',
              'adapt.py',
              'adaptation.json',
              'model.py',
              'model.safetensors',
              'train.py',
            ]
              .map((n) => `${folder}/${n}`)
              .sort(),
          );
          assert.deepEqual(
            pyFiles[`${folder}/model.safetensors`],
            stFiles['model.safetensors'],
            'the same weights in both downloads',
          );
          assert.match(
            new TextDecoder().decode(pyFiles[`${folder}/train.py`]),
            /torch\.distributed/,
          );
          const snippet = (await page.getByTestId('model-snippet').textContent()) ?? '';
          assert.match(snippet, /torchrun --standalone --nproc_per_node=2 train\.py/);
          assert.deepEqual(errors, [], 'no errors in the app');
          rmSync(dir, { recursive: true, force: true });
        } finally {
          await page.close();
          app = null;
        }
      },
    },
  ];
}
