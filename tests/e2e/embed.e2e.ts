/**
 * The embeddable adapter in Chromium (issue 15): a short sinusoid run trained
 * in the app on WASM, its "Download model" → TensorFlow.js zip captured,
 * unzipped next to docs/embed-example.html with the built adapter
 * (vite.adapter.config.ts) and tfjs's own ES module, served from a plain
 * static server; the page adapts on a support set and predicts, and its
 * numbers must equal the engine's (the CLI's `adapt` on the session the app
 * exported, core/export/adapt-new-task.ts) to 1e-6. Both sides run tfjs's CPU
 * backend, so the comparison is of the procedures, not of two backends.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { button, stepCount, typeField, waitFor } from './app-page';
import { openPage } from './browser';
import type { E2EContext } from './context';
import { assert, record, type TestCase } from './harness';
import { freePort } from './server';

const run = promisify(execFile);
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

/** The engine's predictions through the CLI's `adapt` (CPU backend). */
async function enginePredictions(dir: string, session: string, steps?: number): Promise<number[]> {
  const support = path.join(dir, 'support.csv');
  const queries = path.join(dir, 'queries.csv');
  writeFileSync(support, ['x,y', ...SUPPORT_X.map((x, i) => `${x},${SUPPORT_Y[i]}`)].join('\n'));
  writeFileSync(queries, ['x', ...QUERIES.map(String)].join('\n'));
  const { stdout } = await run(
    'npx',
    [
      'tsx',
      'src/cli/main.ts',
      'adapt',
      '--session',
      session,
      '--support',
      support,
      '--predict',
      queries,
      '--backend',
      'cpu',
      ...(steps === undefined ? [] : ['--steps', String(steps)]),
    ],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  );
  const lines = stdout.trim().split('\n').slice(1);
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

export function embedTests(ctx: E2EContext): TestCase[] {
  return [
    {
      name: 'embed: the app’s TensorFlow.js download adapts in docs/embed-example.html like the engine',
      timeoutMs: 120_000,
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
        const { page, errors } = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`);
        let site: Server | null = null;
        try {
          await trainShortRun(page, 40);
          record('embed: trained (s)', (Date.now() - t0) / 1000);
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
              const [inPage, engine] = await Promise.all([
                pagePredictions(embed.page, steps),
                enginePredictions(dir, sessionFile, steps),
              ]);
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
          await page.close();
          site?.close();
        }
      },
    },
  ];
}
