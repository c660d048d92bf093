/**
 * A small sweep in the browser (issue 14): 6 random trials on the default
 * sinusoid family with 20 meta-steps each, 2 trial workers on WASM, started
 * from the Sweep panel. Checks the trial table (6 rows; sorting by the score
 * puts the best first and marks the header with aria-sort), the
 * optimization history (drawn, with its text summary), that "Train with
 * these settings" on the best trial puts its values in the configuration
 * form, and records the worst main-thread long task meanwhile (the 50 ms
 * budget is noisy on a loaded machine).
 */
import type { Page } from 'playwright-core';
import type { E2EContext } from './context';
import { assert, record, type TestCase } from './harness';
import { openPage, pageNow, worstLongTask } from './browser';
import { badgeText, button, waitFor } from './app-page';

const SPACE = {
  innerLr: { type: 'float', low: 0.001, high: 0.5, log: true },
  metaLr: { type: 'float', low: 0.0001, high: 0.01, log: true },
  innerSteps: { type: 'int', low: 1, high: 3 },
};

/** the configuration form's label of each swept setting */
const FORM_LABELS: Record<keyof typeof SPACE, string> = {
  innerLr: 'Inner learning rate (α)',
  metaLr: 'Meta learning rate (β)',
  innerSteps: 'Inner steps',
};

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

export function sweepTests(ctx: E2EContext): TestCase[] {
  return [
    {
      name: 'sweep: 6 trials on 2 WASM workers; table, history, Train with the best settings',
      timeoutMs: 150_000,
      fn: async () => {
        const { page, errors } = await openPage(
          ctx.browser,
          `${ctx.appUrl}?backend=wasm#metaSteps=20&valEvery=5&valTasks=20&metaBatch=5&seed=1`,
        );
        try {
          await waitFor('the WASM badge', async () => /WASM/i.test(await badgeText(page)), 60_000);
          const start = button(page, 'Start sweep');
          await waitFor('Start sweep enabled', () => start.isEnabled(), 30_000);
          await page.getByText('Search space as JSON').click();
          await fill(page, 'Search space (JSON)', JSON.stringify(SPACE));
          await button(page, 'Use this JSON').click();
          await page.getByLabel('Sampler', { exact: true }).selectOption('random');
          await fill(page, 'Trials', '6');
          await fill(page, 'Parallel workers', '2');
          await fill(page, 'Grace period (meta-steps)', '5');
          const spaceRows = page.locator('.sweep-space-table tbody tr');
          assert.equal(await spaceRows.count(), 3, 'the pasted space is in the form');

          const t0 = await pageNow(page);
          const wall = Date.now();
          await start.click();
          const status = page.getByTestId('sweep-status');
          let running = '';
          await waitFor(
            'the sweep to finish',
            async () => {
              const text = (await status.textContent().catch(() => '')) ?? '';
              if (/workers? on/.test(text)) running = text;
              return /Sweep finished/.test(text);
            },
            120_000,
            200,
          );
          const seconds = (Date.now() - wall) / 1000;
          const longTask = await worstLongTask(page, t0);
          record('sweep: seconds for 6 trials (2 WASM workers)', seconds);
          record('sweep: status while running', running);
          record('sweep: worst main-thread long task (ms)', longTask);
          assert.match(running, /2 workers on WASM/, 'two trial workers on WASM');

          const rows = page.getByTestId('sweep-trials').locator('tbody tr');
          assert.equal(await rows.count(), 6, 'six trials in the table');

          const summary = (await page.getByTestId('sweep-history-summary').textContent()) ?? '';
          record('sweep: history summary', summary);
          assert.match(
            summary,
            /After 6 trials the best meta-validation MSE is [\d.e-]+ \(trial \d+\)/,
          );
          // The history is drawn once the trials pause (2 s), off the main thread.
          const drawn = page.getByTestId('sweep-history').locator('svg path');
          await waitFor('the history chart drawn', async () => (await drawn.count()) > 0, 10_000);

          const parallel = (await page.getByTestId('sweep-parallel-summary').textContent()) ?? '';
          record('sweep: parallel coordinates summary', parallel);
          assert.match(parallel, /scored trials? across 4 axes/);
          const scored = Number(/(\d+) scored trial/.exec(parallel)?.[1] ?? 0);
          const lines = page.getByTestId('sweep-parallel').locator('path[data-trial]');
          await waitFor(
            'a line per scored trial in the parallel coordinates',
            async () => scored > 0 && (await lines.count()) === scored,
            10_000,
          );
          assert.equal(
            await page.getByTestId('sweep-parallel').locator('path[data-best]').count(),
            1,
            'the best trial drawn wider',
          );

          // Sorting by the score (ascending MSE) puts the best trial first.
          const header = page.getByRole('button', { name: 'MSE', exact: true });
          await header.click();
          const th = page.locator('th', { has: header });
          assert.equal(await th.getAttribute('aria-sort'), 'ascending');
          const scores = (await page
            .locator('[data-testid="sweep-trials"] td[data-key="score"]')
            .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')))) as string[];
          const numbers = scores.map((v) => JSON.parse(v) as number | null);
          record('sweep: scores sorted by MSE', numbers);
          const finite = numbers.filter((v): v is number => v !== null);
          assert.deepEqual(
            finite,
            [...finite].sort((a, b) => a - b),
            'ascending MSE',
          );
          assert.deepEqual(numbers.slice(0, finite.length), finite, 'trials without a score last');
          const best = page.getByTestId('best-trial');

          const values: Record<string, string> = {};
          for (const key of Object.keys(SPACE))
            values[key] = JSON.parse(
              (await best.locator(`td[data-key="${key}"]`).getAttribute('data-value')) ?? 'null',
            ) as string;
          record('sweep: best trial', values);
          await best.getByRole('button', { name: /Train with the settings of trial/ }).click();
          for (const [key, label] of Object.entries(FORM_LABELS)) {
            const shown = await page.getByLabel(label, { exact: true }).inputValue();
            assert.equal(
              Number(shown),
              Number(values[key]),
              `${label} takes the best trial's value`,
            );
          }
          if (longTask.ms >= 50)
            console.log(`  note: worst long task ${longTask.ms} ms (noisy under load)`);
          assert.ok(longTask.ms < 50, `worst main-thread task ${longTask.ms} ms < 50 ms`);
          assert.deepEqual(errors, []);
        } catch (e) {
          // what the page said is the first clue when it never drew
          if (errors.length)
            throw new Error(`${(e as Error).message}; page errors: ${errors.join(' | ')}`, {
              cause: e,
            });
          throw e;
        } finally {
          await page.close();
        }
      },
    },
  ];
}
