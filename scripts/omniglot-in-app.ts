/**
 * Omniglot ProtoNet in the app, end to end, on the WASM backend (issue 13,
 * acceptance point 2b): builds the app, serves it with `vite preview`
 * (COOP/COEP, as in production), and in headless Chromium does what a
 * person would — picks "Omniglot characters", sets the training episodes,
 * trains for a fixed wall time while noting the meta-validation accuracy
 * every 30 s, stops, lets the adaptation panel train its pre-training
 * baseline and show an episode, then runs the papers' protocol for 5-way
 * 1-shot on the held-out (evaluation-set) characters and reads the mean and
 * 95% CI from the table. Optionally it also draws three symbols in "Draw to
 * adapt" and keeps screenshots of the image episode (support images, every
 * query with each model's prediction and probability, right and wrong
 * marked) and of the draw panel: docs/image-adaptation.png and
 * docs/draw-to-adapt.png in the README were made with
 *   npx tsx scripts/omniglot-in-app.ts --ways 5 --minutes 3 --val-every 20 --val-tasks 10 --episodes 100 --screenshots docs
 *
 * Not part of `npm test` (it trains for minutes):
 *   npx tsx scripts/omniglot-in-app.ts [--minutes 12] [--ways 20] [--queries 5]
 *     [--filters 32] [--episodes 600] [--seed 1] [--screenshots docs] [--out FILE]
 *
 * Prints one JSON object (settings, load, step and time per phase, the
 * accuracy trajectory and the protocol row) and writes it to --out
 * (default test-results/omniglot-in-app.json).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { launch, openPage } from '../tests/e2e/browser';
import { previewIsolated } from '../tests/e2e/server';
import { button, statusText, stepCount, typeField, waitFor } from '../tests/e2e/app-page';

const root = path.resolve(import.meta.dirname, '..');

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '12' },
    ways: { type: 'string', default: '20' },
    queries: { type: 'string', default: '5' },
    filters: { type: 'string', default: '32' },
    episodes: { type: 'string', default: '600' },
    seed: { type: 'string', default: '1' },
    'val-every': { type: 'string', default: '100' },
    'val-tasks': { type: 'string', default: '20' },
    screenshots: { type: 'string' },
    out: { type: 'string', default: 'test-results/omniglot-in-app.json' },
  },
});

const minutes = Number(args.minutes);
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
const text = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).textContent()) ?? '';

/** The last meta-validation accuracy in the chart's summary sentence, in %. */
async function lastValidation(page: Page): Promise<{ step: number; percent: number } | null> {
  const s = await text(page, 'chart-validation-summary');
  const m = /, ([\d.]+)% at step (\d+), best/.exec(s);
  return m ? { percent: Number(m[1]), step: Number(m[2]) } : null;
}

async function failOnError(page: Page): Promise<void> {
  const error = page.getByTestId('error-message');
  if ((await error.count()) > 0) throw new Error(`the app says: ${await error.textContent()}`);
}

/** A stroke through `points` (in the canvas's own 240-pixel square) with the mouse. */
async function stroke(page: Page, points: [number, number][]): Promise<void> {
  const box = await page.getByTestId('draw-canvas').boundingBox();
  if (!box) throw new Error('the drawing canvas is not on screen');
  const k = box.width / 240;
  const [first, ...rest] = points;
  if (!first) return;
  await page.mouse.move(box.x + first[0] * k, box.y + first[1] * k);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(box.x + x * k, box.y + y * k, { steps: 6 });
  await page.mouse.up();
}

const circle = (cx: number, cy: number, r: number): [number, number][] =>
  Array.from({ length: 25 }, (_, i) => {
    const a = (2 * Math.PI * i) / 24;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });

async function drawPanel(page: Page, shotDir: string): Promise<string> {
  const panel = page.locator('section.draw');
  await panel.scrollIntoViewIfNeeded();
  await page.getByLabel('Symbols', { exact: true }).selectOption('3');
  const symbols: [number, number][][] = [
    [
      [40, 120],
      [200, 120],
    ],
    [
      [120, 40],
      [120, 200],
    ],
    circle(120, 120, 70),
  ];
  for (const [i, pts] of symbols.entries()) {
    await stroke(page, pts);
    await button(page, `Add as example of symbol ${i + 1}`).click();
  }
  // the query: a smaller, shifted circle, classified when the stroke ends
  await stroke(page, circle(110, 130, 55));
  await waitFor(
    'the draw prediction',
    async () =>
      Number((await page.getByTestId('draw-prediction').getAttribute('data-request')) ?? 0) > 0,
    60_000,
    200,
  );
  const prediction = await text(page, 'draw-prediction');
  await panel.screenshot({ path: path.join(shotDir, 'draw-to-adapt.png') });
  return prediction;
}

async function main(): Promise<void> {
  const started = Date.now();
  const result: Record<string, unknown> = {
    settings: {
      backend: 'wasm',
      algorithm: 'protonet',
      network: `Conv-4, ${args.filters} filters`,
      training: `${args.ways}-way 1-shot, ${args.queries} queries a class, meta-batch 1, β 0.001 (the app's image defaults otherwise)`,
      validation: `every ${args['val-every']} steps, ${args['val-tasks']} episodes (meta-validation characters, the training ways)`,
      trainMinutes: minutes,
      evaluation: `papers' protocol, 5-way 1-shot, ${args.episodes} episodes on the evaluation-set characters`,
      seed: Number(args.seed),
    },
    loadAtStart: load(),
  };
  const outDir = path.join(root, 'test-results');
  mkdirSync(outDir, { recursive: true });
  const appOut = path.join(outDir, `omniglot-in-app-dist-${process.pid}`);
  log('building the app');
  await build({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: appOut, emptyOutDir: true },
  });
  const { server, url } = await previewIsolated({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    build: { outDir: appOut },
  });
  const browser = await launch();
  try {
    const { page, errors } = await openPage(browser, `${url}?backend=wasm`);
    page.setDefaultTimeout(60_000);
    // wide enough for the query table's model columns side by side in the screenshot
    if (args.screenshots) await page.setViewportSize({ width: 1680, height: 1000 });
    await waitFor('the Train button', () => button(page, 'Train').isEnabled(), 120_000);
    await page.getByLabel('Task family', { exact: true }).selectOption('omniglot');
    await waitFor(
      'the Omniglot summary',
      async () => (await text(page, 'data-summary')).includes('28×28 grayscale images'),
      120_000,
    );
    result.badge = await text(page, 'backend-badge');
    await page.getByLabel('Filters', { exact: true }).selectOption(args.filters);
    await typeField(page, 'Ways (N)', args.ways);
    await typeField(page, 'Shots (K)', '1');
    await typeField(page, 'Queries', args.queries);
    await typeField(page, 'Seed', args.seed);
    await typeField(page, 'Meta-steps', '100000');
    await page.getByText('More settings (validation, early stopping)').click();
    await typeField(page, 'Validate every', args['val-every']);
    await typeField(page, 'Validation tasks', args['val-tasks']);
    await typeField(page, 'Patience', '0');

    log('training for', minutes, 'min');
    const t0 = Date.now();
    await button(page, 'Train').click();
    const trajectory: { seconds: number; step: number; load: string; validation: unknown }[] = [];
    const end = t0 + minutes * 60_000;
    let nextNote = t0;
    while (Date.now() < end) {
      await failOnError(page);
      if (Date.now() >= nextNote) {
        const point = {
          seconds: Math.round((Date.now() - t0) / 1000),
          step: await stepCount(page),
          load: load(),
          validation: await lastValidation(page),
        };
        trajectory.push(point);
        log(JSON.stringify(point));
        nextNote += 30_000;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    await button(page, 'Stop').click();
    await waitFor(
      'the stopped status',
      async () => /Stopped at step/.test(await statusText(page)),
      120_000,
    );
    result.trainSeconds = Math.round((Date.now() - t0) / 1000);
    result.steps = await stepCount(page);
    result.status = await statusText(page);
    result.validationSummary = await text(page, 'chart-validation-summary');
    result.throughput = await text(page, 'chart-throughput-summary');
    result.trajectory = trajectory;
    log(result.status);

    // The adaptation panel trains the pre-training baseline once (as many steps as the run).
    const t1 = Date.now();
    const episode = page.getByTestId('image-episode');
    let clicked = false;
    await waitFor(
      'the image episode (after the pre-training baseline)',
      async () => {
        await failOnError(page);
        if (!clicked && (await page.getByTestId('adaptation-progress').count()) === 0) {
          const adapt = button(page, 'Adapt');
          if ((await adapt.count()) > 0 && (await adapt.isEnabled()) && Date.now() - t1 > 10_000) {
            await adapt.click();
            clicked = true;
          }
        }
        return episode.isVisible();
      },
      60 * 60_000,
      2000,
    );
    result.baselineSeconds = Math.round((Date.now() - t1) / 1000);
    result.episodeSummary = await text(page, 'image-episode-summary');
    log('episode:', result.episodeSummary);
    if (args.screenshots) {
      const dir = path.resolve(root, args.screenshots);
      mkdirSync(dir, { recursive: true });
      await episode.scrollIntoViewIfNeeded();
      await episode.screenshot({ path: path.join(dir, 'image-adaptation.png') });
    }

    // The papers' protocol, 5-way 1-shot only.
    const t2 = Date.now();
    const form = page.getByRole('form', { name: "Papers' evaluation protocol" });
    for (const box of await form.getByRole('checkbox').all()) {
      const label = (await box.evaluate((el) => el.parentElement?.textContent ?? '')) ?? '';
      const want = /^\s*5-way 1-shot/.test(label);
      if ((await box.isChecked()) !== want) await box.setChecked(want);
    }
    await typeField(page, 'Episodes per setting', args.episodes);
    const table = page.getByTestId('protocol-table');
    await waitFor(
      'the protocol table',
      async () => {
        await failOnError(page);
        return table.isVisible();
      },
      60 * 60_000,
      2000,
    );
    result.protocolSeconds = Math.round((Date.now() - t2) / 1000);
    result.protocolHeader = (await table.locator('thead').textContent()) ?? '';
    result.protocolRow = (await table.locator('tbody tr').first().textContent()) ?? '';
    result.protocolSummary = await text(page, 'protocol-summary');
    log(result.protocolSummary);

    if (args.screenshots) {
      result.drawPrediction = await drawPanel(page, path.resolve(root, args.screenshots));
    }
    result.pageErrors = errors;
    result.loadAtEnd = load();
    result.totalSeconds = Math.round((Date.now() - started) / 1000);
  } finally {
    writeFileSync(path.resolve(root, args.out), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    await browser.close();
    await server.close();
    rmSync(appOut, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
