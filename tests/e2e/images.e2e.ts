/**
 * Omniglot in the app (issue 13), on WebGPU through SwiftShader, driven
 * through what a person sees and uses:
 * - picking "Omniglot characters" shows an accessible progress bar for the
 *   4 MB asset (the request is held for a moment so the bar is seen), which
 *   ends in the data summary; the configuration switches to the image
 *   defaults and says so (ProtoNet, Conv-4, 32 filters), with the batch-norm
 *   sentence and second-order MAML offered as off;
 * - ProtoNet trains for a handful of steps (20, 2 queries a class, seed 3,
 *   β = 0.003) with a fixed seed; the mean loss of the last 10 steps is
 *   below 0.85 × that of the first 10 (the chart's own summary sentence),
 *   Stop holds the step counter, and the adaptation panel starts its job
 *   and says what it shows for images, without a page error;
 * - the backend is then switched to WASM (which cancels the WebGPU job and
 *   keeps the stopped run's weights: on SwiftShader a Conv-4 step takes
 *   ~13 s, so the 21-step pre-training baseline would take minutes) and
 *   Adapt is pressed; once the baseline is trained the panel shows
 *   the episode: the support images of each class and a table of every
 *   query with each model's predicted class, probability and a ✓/✗ mark;
 *   the confusion matrix over 10 episodes (fewer than the panel's 100, for
 *   SwiftShader) counts every query once and has its summary; the papers'
 *   protocol on 2 episodes (the Episodes field as the test knob; the app
 *   offers 600) fills the table for the trained 5-way 1-shot setting with
 *   mean ± CI next to the paper figures, with the progress bar seen;
 * - a failed download says so, and the family, data and configuration stay
 *   what they were.
 */
import type { Page } from 'playwright-core';
import { openPage } from './browser';
import type { E2EContext } from './context';
import { assert, log, record, type TestCase } from './harness';
import {
  badgeText,
  button,
  lossNumbers,
  statusText,
  stepCount,
  typeField,
  waitFor,
} from './app-page';

/** steps before Stop: the loss summary compares the means of the first and last 10 */
const STEPS = Number(process.env.E2E_IMAGE_STEPS ?? 20);
/** query images per class: few, so a step on SwiftShader stays short */
const QUERIES = 2;
const FAMILY = 'Task family';
const OMNIGLOT_LABEL = 'Loading Omniglot characters (images)';

/** Waits for the step counter to reach `step`, logging the status line every 15 s and failing at once on an error. */
async function waitStep(page: Page, step: number, timeoutMs: number): Promise<void> {
  let lastLog = Date.now();
  await waitFor(
    `step ${step}`,
    async () => {
      const error = page.getByTestId('error-message');
      if ((await error.count()) > 0)
        throw new Error(`training failed: ${await error.textContent()}`);
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`step ${await stepCount(page)}: ${await statusText(page)}`);
      }
      return (await stepCount(page)) >= step;
    },
    timeoutMs,
  );
}

async function pickOmniglot(page: Page): Promise<void> {
  await page.getByLabel(FAMILY, { exact: true }).selectOption('omniglot');
}

export function imageTests(ctx: E2EContext): TestCase[] {
  let page: Page;
  let errors: string[] = [];
  return [
    {
      name: 'images: picking Omniglot shows the download progress bar and switches to the image defaults',
      timeoutMs: 90_000,
      fn: async () => {
        ({ page, errors } = await openPage(ctx.browser, `${ctx.appUrl}?backend=webgpu`));
        await waitFor('the Train button', () => button(page, 'Train').isEnabled(), 60_000);
        assert.match(await badgeText(page), /WebGPU/);
        // Hold the asset for a moment so the bar is on screen long enough to be read.
        await page.route('**/omniglot/**', async (route) => {
          await new Promise((r) => setTimeout(r, 1500));
          await route.continue();
        });
        const t0 = Date.now();
        await pickOmniglot(page);
        const bar = page.getByRole('progressbar', { name: OMNIGLOT_LABEL });
        await waitFor('the progress bar', () => bar.isVisible(), 5000, 50);
        await waitFor(
          'the Omniglot summary',
          async () =>
            ((await page.getByTestId('data-summary').textContent()) ?? '').includes(
              '28×28 grayscale images',
            ),
          60_000,
        );
        record('images: Omniglot loaded after picking (s, 1.5 s held)', (Date.now() - t0) / 1000);
        assert.equal(await bar.count(), 0, 'the bar is gone once the data is loaded');
        const note = (await page.getByTestId('config-note').textContent()) ?? '';
        assert.match(note, /image defaults.*Prototypical Networks.*Conv-4 with 32 filters/);
        assert.equal(await page.getByLabel('Network', { exact: true }).inputValue(), 'conv4');
        assert.equal(await page.getByLabel('Filters', { exact: true }).inputValue(), '32');
        assert.equal(await page.getByLabel('Algorithm', { exact: true }).inputValue(), 'protonet');
        assert.match(
          (await page.getByTestId('batch-norm-note').textContent()) ?? '',
          /batch statistics .* every forward pass/,
        );
        const maml = page.getByRole('option', { name: /MAML \(second order\)/ });
        assert.equal(await maml.isDisabled(), true, 'second-order MAML is off for Conv-4');
        assert.match(
          (await page.getByTestId('conv-maml-note').textContent()) ?? '',
          /no second derivative of conv2d/,
        );
        await page.unroute('**/omniglot/**');
      },
    },
    {
      name: `images: ProtoNet on Omniglot trains on WebGPU (${STEPS} steps), the loss falls, Stop holds`,
      timeoutMs: 480_000,
      fn: async () => {
        await typeField(page, 'Seed', '3');
        await typeField(page, 'Queries', String(QUERIES));
        // A larger outer step than the default 0.001, so a score of steps shows the fall.
        await typeField(page, 'Meta learning rate (β)', '0.003');
        await typeField(page, 'Meta-steps', '1000');
        // One validation episode: the run validates before step 1, and 20 episodes of
        // full-size queries take minutes on SwiftShader.
        await page.getByText('More settings (validation, early stopping)').click();
        await typeField(page, 'Validation tasks', '1');
        const t0 = Date.now();
        await button(page, 'Train').click();
        await waitStep(page, 1, 150_000);
        record('images: first step (compile) on WebGPU (s)', (Date.now() - t0) / 1000);
        const t1 = Date.now();
        await waitStep(page, STEPS, 330_000);
        const perStep = (Date.now() - t1) / 1000 / (STEPS - 1);
        record('images: ProtoNet 5-way 1-shot step on WebGPU/SwiftShader (s)', perStep);
        await button(page, 'Stop').click();
        await waitFor(
          'the stopped status',
          async () => (await statusText(page)).includes('Stopped at step'),
          20_000,
        );
        const held = await stepCount(page);
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(await stepCount(page), held, 'Stop holds the step counter');
        const loss = await lossNumbers(page, held);
        record('images: ProtoNet loss', loss);
        assert.ok(loss.steps >= STEPS, `the chart covers ${loss.steps} steps`);
        assert.ok(Number.isFinite(loss.firstMean) && Number.isFinite(loss.lastMean));
        assert.ok(
          loss.lastMean < 0.85 * loss.firstMean,
          `mean loss of the last 10 steps ${loss.lastMean} is below 0.85 × the first 10 (${loss.firstMean})`,
        );
      },
    },
    {
      name: 'images: the adaptation panel answers on an image task without a page error',
      timeoutMs: 70_000,
      fn: async () => {
        const t0 = Date.now();
        const panel = page.locator('section.adaptation');
        // After Stop the panel trains the pre-training baseline (as many steps as the run)
        // before adapting: on SwiftShader that takes minutes, so its start is what is checked.
        await waitFor(
          'the adaptation to start, a result or a message',
          async () =>
            (await page.getByTestId('adaptation-progress').count()) > 0 ||
            (await page.getByTestId('adaptation-task-metric').count()) > 0 ||
            (await panel.getByRole('alert').count()) > 0,
          60_000,
          500,
        );
        record('images: adaptation job started after Stop (s)', (Date.now() - t0) / 1000);
        const progress = page.getByTestId('adaptation-progress');
        if ((await progress.count()) > 0)
          record('images: adaptation progress', await progress.textContent());
        const alert = panel.getByRole('alert');
        if ((await alert.count()) > 0)
          record('images: adaptation message', await alert.textContent());
        assert.equal(
          await page.getByTestId('adaptation-plot').count(),
          0,
          'no 1-D plot for images',
        );
        assert.match(
          (await page.getByTestId('adaptation-images-note').textContent()) ?? '',
          /images/,
        );
        assert.deepEqual(errors, []);
      },
    },
    {
      name: 'images: the episode grid with marked predictions, the confusion matrix and a short protocol evaluation',
      timeoutMs: 420_000,
      fn: async () => {
        await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
        await waitFor('the WASM badge', async () => /WASM/.test(await badgeText(page)), 60_000);
        await waitFor('the Adapt button', () => button(page, 'Adapt').isEnabled(), 60_000, 250);
        const t0 = Date.now();
        await button(page, 'Adapt').click();
        const episode = page.getByTestId('image-episode');
        await waitFor('the image episode', () => episode.isVisible(), 240_000, 1000);
        record('images: baseline trained and episode shown on WASM (s)', (Date.now() - t0) / 1000);
        const support = page.getByTestId('support-grid').getByRole('img');
        assert.equal(await support.count(), 5, '5 classes × 1 support image');
        assert.match(
          (await support.first().getAttribute('aria-label')) ?? '',
          /Support image 1 of class 1/,
        );
        const table = page.getByTestId('query-table');
        const rows = table.locator('tbody tr');
        assert.equal(await rows.count(), 5 * QUERIES, 'one row per query image');
        const cells = table.locator('td[data-verdict]');
        const n = await cells.count();
        assert.ok(n >= 2 * 5 * QUERIES, `predictions of the model and the baselines: ${n} cells`);
        const texts = await cells.allTextContents();
        for (const t of texts) assert.match(t, /^[✓✗](right|wrong): \d+ · [\d.]+%$/);
        const heads = (await table.locator('thead').textContent()) ?? '';
        assert.match(heads, /Prototypical Networks.*From scratch/);
        const sentence = (await page.getByTestId('image-episode-summary').textContent()) ?? '';
        record('images: episode summary', sentence);
        assert.match(sentence, /5-way 1-shot episode .*Prototypical Networks \d+ of 10 right/);

        const t1 = Date.now();
        // typeField ends with Enter, which submits the field's form (the keyboard path)
        await typeField(page, 'Episodes', '10');
        const confusion = page.getByTestId('confusion-summary');
        await waitFor('the confusion summary', () => confusion.isVisible(), 120_000, 500);
        record('images: confusion matrix over 10 episodes (s)', (Date.now() - t1) / 1000);
        const counts = (
          await page.getByTestId('confusion-matrix').locator('tbody td').allTextContents()
        ).map(Number);
        assert.equal(counts.length, 25);
        assert.equal(
          counts.reduce((a, b) => a + b, 0),
          10 * 5 * QUERIES,
          'every query counted once',
        );
        const cs = (await confusion.textContent()) ?? '';
        record('images: confusion summary', cs);
        assert.match(cs, /on 10 held-out 5-way 1-shot episodes \(100 queries.*\d+ right/);

        const t2 = Date.now();
        await typeField(page, 'Episodes per setting', '2');
        const bar = page.getByRole('progressbar', { name: 'Adaptation progress' });
        await waitFor('the progress bar', () => bar.isVisible(), 10_000, 100);
        const ptable = page.getByTestId('protocol-table');
        await waitFor('the protocol table', () => ptable.isVisible(), 180_000, 1000);
        record('images: protocol on 2 episodes (s)', (Date.now() - t2) / 1000);
        const row = ptable.locator('tbody tr');
        assert.equal(await row.count(), 1, 'the trained setting only');
        const rowText = (await row.first().textContent()) ?? '';
        record('images: protocol row', rowText);
        assert.match(rowText, /^5-way 1-shot\d+\.\d ± [\d.]+/);
        assert.match(rowText, /98\.898\.798\.3$/, 'the paper figures');
        assert.match(
          (await page.getByTestId('protocol-summary').textContent()) ?? '',
          /2 episodes per setting.*5-way 1-shot [\d.]+ ± [\d.]+% \(paper 98\.8%\)/,
        );
        assert.deepEqual(errors, []);
      },
    },
    {
      name: 'images: a failed Omniglot download says so and changes nothing',
      timeoutMs: 60_000,
      fn: async () => {
        const opened = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`);
        const p = opened.page;
        try {
          await waitFor('the Train button', () => button(p, 'Train').isEnabled(), 60_000);
          await p.route('**/omniglot/**', (route) => route.fulfill({ status: 404, body: '' }));
          const summary = await p.getByTestId('data-summary').textContent();
          await pickOmniglot(p);
          const error = p.getByTestId('data-load-error');
          await waitFor('the load error', () => error.isVisible(), 20_000);
          const text = (await error.textContent()) ?? '';
          record('images: failed download message', text);
          assert.match(text, /Omniglot characters \(images\) could not be loaded: .*404/);
          assert.equal(await p.getByLabel(FAMILY, { exact: true }).inputValue(), 'sinusoid');
          assert.equal(await p.getByLabel('Algorithm', { exact: true }).inputValue(), 'maml');
          assert.equal(await p.getByLabel('Network', { exact: true }).inputValue(), 'mlp');
          assert.equal(await p.getByTestId('data-summary').textContent(), summary);
          assert.ok(await button(p, 'Train').isEnabled(), 'Train still works on the old data');
        } finally {
          await p.close();
        }
      },
    },
    {
      name: 'images: close the page',
      timeoutMs: 10_000,
      fn: async () => {
        await page.close();
      },
    },
  ];
}
