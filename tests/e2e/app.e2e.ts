/**
 * The main screen in headless Chromium with WebGPU (SwiftShader), driven the
 * way a person would: by accessible names and, for the long run, from the
 * keyboard. The tests share one page in order (load → WebGPU run → stop and
 * confirm → error → device loss), then open a page without WebGPU.
 *
 * `npm test` runs a short WebGPU run (E2E_WEBGPU_STEPS, default 40: WebGPU on
 * SwiftShader takes ~2 s a step on two cores) and asks the loss to fall;
 * E2E_WEBGPU_STEPS=300 is the acceptance run of issue 3 (~11 minutes here),
 * which asks it to halve. Both use the default screen with two knobs typed in:
 * Meta-steps 300 and Meta learning rate 0.01. With the paper's β = 0.001 the
 * sinusoid loss falls only ~25% in 300 steps (it is tuned for 70,000), so
 * "below half its starting value" needs the larger step; everything else
 * (meta-batch 25, K = 10, α = 0.01, one inner step, 40-40) is the default.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { E2EContext } from './context';
import { artifacts, assert, log, record, type TestCase } from './harness';
import { openPage, pageNow, rerunOnceOverBudget, unnamedControls, worstLongTask } from './browser';
import {
  BUTTONS,
  badgeText,
  button,
  lossNumbers,
  pressButton,
  statusText,
  stepCount,
  tensorCounts,
  typeField,
  waitForFreshFinish,
  waitFor,
} from './app-page';

const FIELD_LABELS = [
  'Task family',
  'Algorithm',
  'Ways (N)',
  'Shots (K)',
  'Queries',
  'Inner learning rate (α)',
  'Inner steps',
  'Meta learning rate (β)',
  'Meta-batch',
  'Meta-steps',
  'Seed',
  'Hidden sizes',
  'Backend',
];

/** The accessible names met when tabbing through the page from the top. */
async function tabOrder(page: Page, presses: number): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen: string[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    seen.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return '';
        const id = el.id;
        const label = id
          ? document.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent
          : null;
        return (label ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
      }),
    );
  }
  return seen;
}

const STEPS = Number(process.env.E2E_WEBGPU_STEPS ?? 40);
const ACCEPTANCE = STEPS >= 300;

export function appTests(ctx: E2EContext): TestCase[] {
  let page: Page;
  let errors: string[] = [];
  const screenshot = path.join(ctx.outDir, 'training-screen.png');

  return [
    {
      name: 'app: loads, badge says WebGPU, every control is named and reachable by keyboard',
      timeoutMs: 90_000,
      fn: async () => {
        // WebGPU by name: "Best available" probes instead on this software GPU (issue 12 item 14).
        ({ page, errors } = await openPage(ctx.browser, `${ctx.appUrl}?debug=1&backend=webgpu`));
        await waitFor(
          'the backend badge',
          async () => !/Starting/.test(await badgeText(page)),
          60_000,
        );
        const badge = await badgeText(page);
        record('badge (default page)', badge);
        assert.match(badge, /^WebGPU · /, 'the badge must say WebGPU');
        await waitFor(
          'the task family',
          async () =>
            /Regression/.test((await page.getByTestId('data-summary').textContent()) ?? ''),
          30_000,
        );
        for (const name of BUTTONS)
          assert.equal(await button(page, name).count(), 1, `button ${name}`);
        for (const label of FIELD_LABELS)
          assert.equal(
            await page.getByLabel(label, { exact: true }).count(),
            1,
            `control labelled ${label}`,
          );
        assert.deepEqual(await unnamedControls(page), [], 'controls without an accessible name');
        const order = await tabOrder(page, 40);
        for (const label of [
          'Backend',
          'Task family',
          'Algorithm',
          'Meta-steps',
          'Seed',
          'Hidden sizes',
          'Train',
        ])
          assert.ok(
            order.includes(label),
            `Tab reaches ${label} (saw ${order.filter(Boolean).join(' → ')})`,
          );
        assert.match(await statusText(page), /Ready/);
        assert.deepEqual(errors, []);
      },
    },
    {
      name: `app: ${STEPS} MAML sinusoid meta-steps on WebGPU from the keyboard; the loss ${ACCEPTANCE ? 'halves' : 'falls'}; Pause holds the counter`,
      timeoutMs: (4 + STEPS * 0.05) * 60_000,
      fn: async () => {
        await typeField(page, 'Meta-steps', String(STEPS));
        await typeField(page, 'Meta learning rate (β)', '0.01');
        assert.equal(await page.getByLabel('Meta-batch', { exact: true }).inputValue(), '25');
        const t0 = await pageNow(page);
        const wall0 = Date.now();
        await pressButton(page, 'Train');
        await waitFor(
          'the compiling state',
          async () => /Compiling|Training/.test(await statusText(page)),
          10_000,
          50,
        );
        record('state right after Train', await statusText(page));
        await waitFor('the first meta-step', async () => (await stepCount(page)) >= 1, 120_000);
        record('first step after (s)', (Date.now() - wall0) / 1000);

        const pauseAt = Math.min(40, Math.floor(STEPS / 2));
        await waitFor(`step ${pauseAt}`, async () => (await stepCount(page)) >= pauseAt, 180_000);
        await pressButton(page, 'Pause');
        await waitFor(
          'the paused state',
          async () => /Paused at step/.test(await statusText(page)),
          10_000,
          50,
        );
        const pausedAt = await stepCount(page);
        record('paused at (s after Train)', (Date.now() - wall0) / 1000);
        await new Promise((r) => setTimeout(r, 3000));
        const after = await stepCount(page);
        record('pause: counter at pause and 3 s later', [pausedAt, after]);
        assert.equal(after, pausedAt, 'the step counter moved while paused');
        assert.ok(await button(page, 'Resume').isEnabled());
        await pressButton(page, 'Resume');
        await waitFor('steps after Resume', async () => (await stepCount(page)) > pausedAt, 30_000);

        await waitFor(
          'the end of the run',
          async () => new RegExp(`Finished ${STEPS} meta-steps`).test(await statusText(page)),
          (2 + STEPS * 0.05) * 60_000,
          500,
        );
        const seconds = (Date.now() - wall0) / 1000;
        const loss = await lossNumbers(page, STEPS);
        const worst = await worstLongTask(page, t0);
        const tensors = await tensorCounts(page);
        record('run wall time (s, incl. compile and 3 s paused)', Math.round(seconds));
        record('badge', await badgeText(page));
        record('meta-train loss', loss.sentence);
        record('loss start/end (first step, last step)', [loss.first, loss.last]);
        record('loss start/end (mean of first 10, last 10 steps)', [loss.firstMean, loss.lastMean]);
        record(
          'validation',
          (await page.getByTestId('chart-validation-summary').textContent()) ?? '',
        );
        record(
          'throughput',
          (await page.getByTestId('chart-throughput-summary').textContent()) ?? '',
        );
        record('worst main-thread long task during the run (ms)', worst.ms);
        record('long tasks during the run (count)', worst.count);
        record('longest tasks [s after Train, ms]', worst.at);
        record('live tensors in the worker at step 1+ and at the end', [
          tensors.first,
          tensors.last,
        ]);
        await page.screenshot({ path: screenshot });
        artifacts.push(screenshot);
        record('screenshot', screenshot);

        assert.equal(loss.steps, STEPS);
        if (ACCEPTANCE) {
          assert.ok(
            loss.lastMean < loss.firstMean / 2,
            `loss ${loss.firstMean} → ${loss.lastMean} did not halve`,
          );
          assert.ok(loss.last < loss.first / 2, `loss ${loss.first} → ${loss.last} did not halve`);
        } else {
          assert.ok(
            loss.lastMean < loss.firstMean,
            `loss ${loss.firstMean} → ${loss.lastMean} did not fall`,
          );
        }
        assert.match(await badgeText(page), /^WebGPU/);
        // Issue 3 asks for no main-thread task over 50 ms. With SwiftShader keeping both
        // cores busy this is not met yet (chart redraws stretch to 100–450 ms when the
        // renderer is starved): the short run records the figure, the acceptance run asserts it.
        // The default run asserts the budget on WASM instead (budget.e2e.ts).
        if (ACCEPTANCE) assert.ok(worst.ms < 50, `a main-thread task took ${worst.ms} ms`);
        assert.ok(
          tensors.first > 0 && tensors.last <= tensors.first,
          `live tensors grew ${tensors.first} → ${tensors.last}`,
        );
        assert.deepEqual(errors, []);
      },
    },
    {
      name: 'app: a change during a run asks first; Stop ends the run and keeps the weights',
      timeoutMs: 5 * 60_000,
      fn: async () => {
        await pressButton(page, 'Reset');
        await waitFor('the reset', async () => /Ready/.test(await statusText(page)), 10_000);
        assert.equal(await stepCount(page), 0);
        await typeField(page, 'Meta-steps', '1000');
        await pressButton(page, 'Train');
        // The first step compiles the kernels when this test runs on its own.
        await waitFor('step 3', async () => (await stepCount(page)) >= 3, 180_000);

        await typeField(page, 'Seed', '7');
        const dialog = page.getByRole('dialog', { name: 'Reset the run?' });
        await dialog.waitFor({ state: 'visible', timeout: 5000 });
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden', timeout: 5000 });
        assert.equal(
          await page.getByLabel('Seed', { exact: true }).inputValue(),
          '1',
          'Escape keeps the seed',
        );
        const before = await stepCount(page);
        await waitFor('the run to go on', async () => (await stepCount(page)) > before, 60_000);

        await pressButton(page, 'Stop');
        await waitFor(
          'the stopped state',
          async () => /Stopped at step/.test(await statusText(page)),
          20_000,
          50,
        );
        const stoppedAt = await stepCount(page);
        await new Promise((r) => setTimeout(r, 2000));
        assert.equal(await stepCount(page), stoppedAt, 'steps after Stop');
        assert.match(await statusText(page), /weights trained so far are kept/);
        assert.ok(await button(page, 'Train').isEnabled());
        assert.ok(!(await button(page, 'Stop').isEnabled()));
        record('stopped at step', stoppedAt);

        await typeField(page, 'Seed', '7');
        await dialog.waitFor({ state: 'visible', timeout: 5000 });
        await page.getByRole('button', { name: 'Reset and apply', exact: true }).click();
        await waitFor(
          'the reset after confirming',
          async () => /Ready/.test(await statusText(page)),
          10_000,
        );
        assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '7');
        assert.equal(await stepCount(page), 0);
        assert.deepEqual(errors, []);
      },
    },
    {
      name: 'app: an error from the worker is shown in the page',
      timeoutMs: 180_000,
      fn: async () => {
        await pressButton(page, 'Reset');
        await waitFor('the reset', async () => /Ready/.test(await statusText(page)), 10_000);
        await page.getByLabel('Algorithm', { exact: true }).selectOption('protonet');
        try {
          await pressButton(page, 'Train');
          const alert = page.getByTestId('error-message');
          // The worker may first finish an adaptation begun after the last run (slow on SwiftShader).
          await alert.waitFor({ state: 'visible', timeout: 120_000 });
          const text = (await alert.textContent()) ?? '';
          record('error shown', text);
          assert.match(text, /bad-config/);
          assert.match(text, /classification/);
          assert.equal(await page.getByRole('alert').count(), 1);
        } finally {
          await page.getByLabel('Algorithm', { exact: true }).selectOption('maml');
        }
      },
    },
    {
      name: 'app: a GPU device lost mid-run moves training to the next backend from the last checkpoint',
      timeoutMs: 5 * 60_000,
      fn: async () => {
        await pressButton(page, 'Reset');
        await waitFor('the reset', async () => /Ready/.test(await statusText(page)), 10_000);
        assert.equal(await page.getByLabel('Algorithm', { exact: true }).inputValue(), 'maml');
        await pressButton(page, 'Train');
        // Snapshots are taken every 5 s: let at least one happen before the loss.
        await waitFor('step 3', async () => (await stepCount(page)) >= 3, 180_000);
        await new Promise((r) => setTimeout(r, 6000));
        const lostAt = await stepCount(page);
        await page.evaluate(() =>
          (window as unknown as { __mlp: { loseGpuDevice(): void } }).__mlp.loseGpuDevice(),
        );
        const notice = page.getByTestId('recovery-message');
        await notice.waitFor({ state: 'visible', timeout: 60_000 });
        const text = (await notice.textContent()) ?? '';
        const resumedFrom = Number(/step (\d+)/.exec(text)?.[1]);
        await waitFor(
          'training on the new backend',
          async () => (await stepCount(page)) > resumedFrom + 3,
          90_000,
        );
        const badge = await badgeText(page);
        record('device lost at step', lostAt);
        record('recovery notice', text);
        record('badge after recovery', badge);
        assert.match(text, /WebGPU failed/);
        assert.match(text, /device was lost/);
        assert.ok(resumedFrom > 0 && resumedFrom <= lostAt + 1, `resumed from ${resumedFrom}`);
        assert.doesNotMatch(badge, /^WebGPU/);
        await pressButton(page, 'Stop');
        await waitFor('the stop', async () => /Stopped/.test(await statusText(page)), 60_000);
        const unexpected = errors.filter((e) => !/device|GPU|WebGPU|Instance dropped/i.test(e));
        if (errors.length) log(`console during device loss: ${errors.slice(0, 3).join(' | ')}`);
        assert.deepEqual(unexpected, []);
        await page.close();
      },
    },
    {
      // Issue 12 item 14: SwiftShader is a software GPU, so "Best available" times the backends.
      name: 'app: "Best available" on a software GPU times the backends, trains on the winner and says why',
      timeoutMs: 3 * 60_000,
      fn: async () => {
        const opened = await openPage(ctx.browser, ctx.appUrl);
        const p = opened.page;
        try {
          await waitFor(
            'the probe to finish',
            // The page may be slow to answer while four backends are timed on two cores.
            async () => / · fastest: .*software GPU/.test(await badgeText(p).catch(() => '')),
            150_000,
            500,
          );
          const badge = await badgeText(p);
          record('badge under Best available on SwiftShader', badge);
          assert.match(badge, /\(WebGPU here is a software GPU \(SwiftShader\)\)$/);
          assert.equal(await p.getByLabel('Backend', { exact: true }).inputValue(), 'auto');
          assert.deepEqual(opened.errors, []);
        } finally {
          await p.close();
        }
      },
    },
    {
      name: 'app: with WebGPU unavailable it falls back, says so, and still trains',
      timeoutMs: 4 * 60_000,
      fn: async () => {
        const opened = await openPage(ctx.browser, `${ctx.appUrl}?nowebgpu=1`);
        const p = opened.page;
        try {
          await waitFor(
            'the backend badge',
            async () => !/Starting/.test(await badgeText(p)),
            60_000,
          );
          const badge = await badgeText(p);
          const notice = (await p.getByTestId('fallback-message').textContent()) ?? '';
          record('badge without WebGPU', badge);
          record('fallback notice', notice);
          assert.doesNotMatch(badge, /^WebGPU/);
          assert.match(badge, /no WebGPU in this browser/);
          await typeField(p, 'Meta-steps', '30');
          const wall0 = Date.now();
          await pressButton(p, 'Train');
          await waitFor(
            'the end of the run',
            async () => /Finished 30 meta-steps/.test(await statusText(p)),
            3 * 60_000,
            500,
          );
          const loss = await lossNumbers(p, 30);
          record('fallback run (s)', (Date.now() - wall0) / 1000);
          record('fallback run loss', loss.sentence);
          assert.equal(loss.steps, 30);
          assert.ok(Number.isFinite(loss.last));
          assert.deepEqual(opened.errors, []);
        } finally {
          await p.close();
        }
      },
    },
    {
      // Issue 12 item 15: the live charts (recharts) redraw during a fast run without a
      // main-thread task over 50 ms. WASM is the fastest backend here (~100 steps/s), so
      // this run sends the most history per second to the charts.
      name: 'app: 1,000 MAML meta-steps on WASM; no main-thread task over 50 ms while the charts follow',
      timeoutMs: 6 * 60_000,
      fn: async () => {
        const opened = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`);
        const p = opened.page;
        try {
          await waitFor('the WASM badge', async () => /^WASM/.test(await badgeText(p)), 60_000);
          await typeField(p, 'Meta-steps', '1000');
          const { seconds, worst } = await rerunOnceOverBudget(p, 'wasm 1,000 steps', async () => {
            await pressButton(p, 'Train');
            await waitForFreshFinish(p, 1000, 5 * 60_000);
          });
          const loss = await lossNumbers(p, 1000);
          record('wasm 1,000 steps: run (s)', seconds);
          record('wasm 1,000 steps: worst main-thread task (ms)', worst.ms);
          record('wasm 1,000 steps: long tasks (count)', worst.count);
          record('wasm 1,000 steps: longest tasks [s after Train, ms]', worst.at);
          record('wasm 1,000 steps: loss', loss.sentence);
          assert.equal(loss.steps, 1000);
          assert.ok(worst.ms < 50, `a main-thread task took ${worst.ms} ms`);
          assert.deepEqual(opened.errors, []);
        } finally {
          await p.close();
        }
      },
    },
  ];
}
