/**
 * Draw to adapt (issue 13) in headless Chromium on the WASM backend, driven
 * as a person would: Omniglot, a short ProtoNet run (a few meta-steps with
 * one validation episode), then in the "Draw to adapt" panel two symbols of
 * one example each drawn with the mouse (a horizontal bar, a vertical bar),
 * a slanted bar as the query, classified live when the stroke ends: the
 * prediction names a symbol with one probability per symbol summing to 100%,
 * and the query drawn like symbol 1 is predicted as symbol 1; a vertical
 * query drawn with the keyboard (arrows and Space) is symbol 2 through the
 * Classify button; the panel's controls all have names. A screenshot of the
 * panel is kept as an artifact.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openPage, unnamedControls } from './browser';
import type { E2EContext } from './context';
import { artifacts, assert, record, type TestCase } from './harness';
import { button, stepCount, typeField, waitFor } from './app-page';

const STEPS = Number(process.env.E2E_DRAW_STEPS ?? 10);

/** A straight stroke on the canvas, in the canvas's own pixels (240 square), with the mouse. */
async function stroke(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const box = await page.getByTestId('draw-canvas').boundingBox();
  if (!box) throw new Error('the drawing canvas is not on screen');
  const k = box.width / 240;
  await page.mouse.move(box.x + from[0] * k, box.y + from[1] * k);
  await page.mouse.down();
  await page.mouse.move(box.x + to[0] * k, box.y + to[1] * k, { steps: 12 });
  await page.mouse.up();
}

const predictionText = async (page: Page) =>
  (await page.getByTestId('draw-prediction').textContent()) ?? '';

/** The request id of the prediction on screen (0: none). */
const shownRequest = async (page: Page) =>
  Number((await page.getByTestId('draw-prediction').getAttribute('data-request')) ?? 0);

/** Waits for a prediction newer than request `after`; its sentence and probabilities in %. */
async function prediction(
  page: Page,
  after: number,
  timeoutMs = 30_000,
): Promise<{ text: string; p: number[]; id: number }> {
  await waitFor(
    `a prediction after request ${after}`,
    async () => (await shownRequest(page)) > after,
    timeoutMs,
    100,
  );
  const text = await predictionText(page);
  const p = [...text.matchAll(/symbol \d+ ([\d.]+)%/g)].map((m) => Number(m[1]));
  return { text, p, id: await shownRequest(page) };
}

export function drawTests(ctx: E2EContext): TestCase[] {
  let page: Page;
  let errors: string[] = [];
  return [
    {
      name: `draw: a ${STEPS}-step ProtoNet run on Omniglot (WASM) keeps a model for the draw panel`,
      timeoutMs: 150_000,
      fn: async () => {
        ({ page, errors } = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`));
        await waitFor('the Train button', () => button(page, 'Train').isEnabled(), 60_000);
        assert.equal(await page.getByTestId('draw-canvas').count(), 0, 'no canvas on sinusoids');
        await page.getByLabel('Task family', { exact: true }).selectOption('omniglot');
        await waitFor(
          'the Omniglot summary',
          async () =>
            ((await page.getByTestId('data-summary').textContent()) ?? '').includes(
              '28×28 grayscale images',
            ),
          60_000,
        );
        await typeField(page, 'Seed', '3');
        await typeField(page, 'Queries', '2');
        await typeField(page, 'Meta-steps', String(STEPS));
        await page.getByText('More settings (validation, early stopping)').click();
        await typeField(page, 'Validation tasks', '1');
        const t0 = Date.now();
        await button(page, 'Train').click();
        await waitFor(
          'the run to end',
          async () => {
            const error = page.getByTestId('error-message');
            if ((await error.count()) > 0)
              throw new Error(`training failed: ${await error.textContent()}`);
            return (
              (await stepCount(page)) >= STEPS &&
              (await page.getByRole('button', { name: 'Classify' }).count()) > 0 &&
              (await page.getByText('Stop the run to draw').count()) === 0
            );
          },
          120_000,
        );
        record(`draw: ${STEPS} ProtoNet steps on wasm, run ended (s)`, (Date.now() - t0) / 1000);
      },
    },
    {
      name: 'draw: two symbols drawn with the mouse, a query classified live with probabilities',
      timeoutMs: 60_000,
      fn: async () => {
        const panel = page.locator('section.draw');
        await panel.scrollIntoViewIfNeeded();
        await page.getByLabel('Symbols', { exact: true }).selectOption('2');
        assert.equal(await button(page, 'Add as example of symbol 3').count(), 0);
        // symbol 1: a horizontal bar; symbol 2: a vertical bar
        await stroke(page, [40, 120], [200, 120]);
        await button(page, 'Add as example of symbol 1').click();
        await stroke(page, [120, 40], [120, 200]);
        assert.equal(await button(page, 'Clear drawing').isEnabled(), true);
        await button(page, 'Add as example of symbol 2').click();
        assert.equal(await button(page, 'Clear drawing').isEnabled(), false, 'the canvas is clear');
        const examples = (await page.getByTestId('draw-examples').textContent()) ?? '';
        assert.match(examples, /Symbol 1: 1 example.*Symbol 2: 1 example/);
        // the query: a slightly slanted bar, classified when the stroke ends
        const t0 = Date.now();
        await stroke(page, [50, 100], [190, 115]);
        const first = await prediction(page, 0);
        record('draw: live prediction after the stroke (s)', (Date.now() - t0) / 1000);
        record('draw: prediction for a bar like symbol 1', first.text);
        assert.equal(first.p.length, 2, 'one probability per symbol');
        const total = first.p.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(total - 100) < 1.5, `probabilities sum to 100% (${total})`);
        assert.match(
          first.text,
          /^Predicted: symbol 1 /,
          'the bar drawn like symbol 1 is symbol 1',
        );
        assert.match(
          (await panel.locator('.draw-prediction .hint').textContent()) ?? '',
          /prototypes/,
        );
      },
    },
    {
      name: 'draw: a query drawn with the keyboard, classified with the Classify button',
      timeoutMs: 40_000,
      fn: async () => {
        await button(page, 'Clear drawing').click();
        const shown = await shownRequest(page);
        await page.getByRole('application', { name: 'Drawing area' }).focus();
        // the pen starts at the centre: up 6, pen down, down 12, pen up → a vertical bar
        for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowUp');
        await page.keyboard.press('Space');
        for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Space');
        // the live answer to the keyboard stroke, then the same through the button
        const live = await prediction(page, shown);
        record('draw: prediction for a vertical bar drawn with the keyboard', live.text);
        assert.match(live.text, /^Predicted: symbol 2 /, 'the vertical bar is symbol 2');
        await button(page, 'Classify').click();
        const again = await prediction(page, live.id);
        assert.equal(again.text, live.text, 'Classify gives the same answer for the same drawing');
        const unnamed = await unnamedControls(page);
        assert.deepEqual(unnamed, [], 'every control has an accessible name');
        const shot = path.join(ctx.outDir, 'draw-to-adapt.png');
        await page.locator('section.draw').screenshot({ path: shot });
        artifacts.push(shot);
        assert.deepEqual(errors, []);
      },
    },
    {
      name: 'draw: close the page',
      timeoutMs: 10_000,
      fn: async () => {
        await page.close();
      },
    },
  ];
}
