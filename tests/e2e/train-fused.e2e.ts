/**
 * Issue 16 in the app: a person picks "WASM (fused)" in the Backend menu by
 * its name, meta-trains sinusoid MAML on our own WASM SIMD kernels (the
 * badge names the engine, the loss falls), then picks Reptile, which the
 * engine does not cover: the run trains with tfjs on WASM and the page says
 * so in words. Opened on WASM (`?backend=wasm`) so no WebGPU probe runs on
 * SwiftShader first; the fused steps take milliseconds, so it stays short.
 * Then "WebGPU (fused)" from the address: 30 MAML steps on the WGSL kernels
 * (SwiftShader here), with a small validation, since tfjs-webgpu validates.
 */
import type { E2EContext } from './context';
import { assert, record, type TestCase } from './harness';
import { openPage } from './browser';
import {
  badgeText,
  lossNumbers,
  pressButton,
  statusText,
  stepCount,
  typeField,
  waitFor,
} from './app-page';

const STEPS = 300;

export function trainFusedTests(ctx: E2EContext): TestCase[] {
  return [
    {
      name: 'train-fused: the Backend menu trains MAML on WASM (fused); Reptile says it runs on tfjs',
      timeoutMs: 3 * 60_000,
      fn: async () => {
        const { page, errors } = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`);
        try {
          await waitFor(
            'the WASM backend',
            async () => /^WASM/.test(await badgeText(page)),
            60_000,
          );
          await waitFor('the data', async () => /Ready/.test(await statusText(page)), 60_000);
          const menu = page.getByLabel('Backend', { exact: true });
          await menu.selectOption({ label: 'WASM (fused)' });
          await waitFor(
            'the fused engine in the badge',
            async () => /^WASM \(fused\)/.test(await badgeText(page)),
            30_000,
          );
          await typeField(page, 'Meta-steps', String(STEPS));
          await typeField(page, 'Meta learning rate (β)', '0.01');
          await pressButton(page, 'Train');
          await waitFor(
            'the end of the fused run',
            async () => new RegExp(`Finished ${STEPS} meta-steps`).test(await statusText(page)),
            90_000,
            250,
          );
          const loss = await lossNumbers(page, STEPS);
          record('fused run: badge', await badgeText(page));
          record('fused run: meta-train loss', loss.sentence);
          assert.equal(loss.steps, STEPS);
          assert.ok(
            loss.lastMean < loss.firstMean,
            `loss ${loss.firstMean} → ${loss.lastMean} did not fall`,
          );
          assert.match(await badgeText(page), /^WASM \(fused\)/);
          assert.equal(await page.getByTestId('engine-fallback-message').count(), 0);

          await pressButton(page, 'Reset');
          await waitFor('the reset', async () => /Ready/.test(await statusText(page)), 20_000);
          await page.getByLabel('Algorithm', { exact: true }).selectOption('reptile');
          await typeField(page, 'Meta-steps', '20');
          await pressButton(page, 'Train');
          const note = page.getByTestId('engine-fallback-message');
          await note.waitFor({ state: 'visible', timeout: 60_000 });
          const sentence = (await note.textContent()) ?? '';
          record('reptile on WASM (fused): page says', sentence);
          assert.match(
            sentence,
            /^WASM \(fused\) covers MAML and first-order MAML on the MLP; this run uses tfjs on WASM \(.+\)\.$/,
          );
          await waitFor('reptile steps', async () => (await stepCount(page)) >= 1, 60_000);
          const badge = await badgeText(page);
          record('reptile: badge', badge);
          assert.match(badge, /^WASM \(tfjs: WASM \(fused\) does not cover this run\)/);
          assert.deepEqual(errors, []);
        } finally {
          await page.close();
        }
      },
    },
    {
      name: 'train-fused: WASM (fused, 2 threads) trains MAML with its helper thread (nested worker) in the app',
      timeoutMs: 3 * 60_000,
      fn: async () => {
        const { page, errors } = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`);
        try {
          await waitFor('the data', async () => /Ready/.test(await statusText(page)), 60_000);
          await page
            .getByLabel('Backend', { exact: true })
            .selectOption({ label: 'WASM (fused, 2 threads)' });
          await waitFor(
            'the two-thread engine in the badge',
            async () => /^WASM \(fused, 2 threads\)/.test(await badgeText(page)),
            30_000,
          );
          await typeField(page, 'Meta-steps', String(STEPS));
          await typeField(page, 'Meta learning rate (β)', '0.01');
          await pressButton(page, 'Train');
          await waitFor(
            'the end of the two-thread run',
            async () => new RegExp(`Finished ${STEPS} meta-steps`).test(await statusText(page)),
            90_000,
            250,
          );
          const loss = await lossNumbers(page, STEPS);
          record('two threads: badge', await badgeText(page));
          record('two threads: meta-train loss', loss.sentence);
          assert.ok(
            loss.lastMean < loss.firstMean,
            `loss ${loss.firstMean} → ${loss.lastMean} did not fall`,
          );
          // A helper that failed to start would leave the run on one thread and say so.
          assert.match(await badgeText(page), /^WASM \(fused, 2 threads\)/);
          assert.equal(await page.getByTestId('engine-fallback-message').count(), 0);
          assert.deepEqual(errors, []);
        } finally {
          await page.close();
        }
      },
    },
    {
      name: 'train-fused: WebGPU (fused) from the address trains MAML on its WGSL kernels, badge says so',
      timeoutMs: 3 * 60_000,
      fn: async () => {
        // Few steps and a small validation (set in the address): tfjs-webgpu validates,
        // slowly on SwiftShader; the fused steps themselves are two dispatches each.
        const { page, errors } = await openPage(
          ctx.browser,
          `${ctx.appUrl}#backend=webgpu-fused&metaSteps=30&metaLr=0.01&metaBatch=10&valTasks=5&evalInnerSteps=1&valEvery=1000`,
        );
        try {
          await waitFor(
            'the fused WebGPU engine in the badge',
            async () => /^WebGPU \(fused\)/.test(await badgeText(page)),
            60_000,
          );
          await waitFor('the data', async () => /Ready/.test(await statusText(page)), 60_000);
          const wall0 = Date.now();
          await pressButton(page, 'Train');
          await waitFor(
            'the end of the fused WebGPU run',
            async () => /Finished 30 meta-steps/.test(await statusText(page)),
            100_000,
            500,
          ).catch(async (e: unknown) => {
            record('webgpu-fused: status at timeout', await statusText(page));
            record('webgpu-fused: step at timeout', await stepCount(page));
            record('webgpu-fused: page errors', errors);
            throw e;
          });
          record('webgpu-fused run wall time (s)', Math.round((Date.now() - wall0) / 1000));
          const loss = await lossNumbers(page, 30);
          record('webgpu-fused run: badge', await badgeText(page));
          record('webgpu-fused run: meta-train loss', loss.sentence);
          assert.equal(loss.steps, 30);
          assert.ok(
            loss.lastMean < loss.firstMean,
            `loss ${loss.firstMean} → ${loss.lastMean} did not fall`,
          );
          assert.match(await badgeText(page), /^WebGPU \(fused\)/);
          assert.equal(await page.getByTestId('engine-fallback-message').count(), 0);
          assert.deepEqual(errors, []);
        } finally {
          await page.close();
        }
      },
    },
  ];
}
