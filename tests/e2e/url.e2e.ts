/**
 * The configuration in the address (src/store/url), in headless Chromium,
 * read through what a person sees: a link with settings opens with them in
 * the form; editing the form rewrites the fragment in place (no new history
 * entry) and a reload keeps the edit; `#benchmark` is left alone until the
 * person comes back to Training; a bad value opens with its default and a
 * visible notice naming the parameter, the value and the default. No
 * training, so the backend does not matter (the query asks for WASM, which
 * also exercises `?backend=` going through the same table).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { E2EContext } from './context';
import { artifacts, assert, record, type TestCase } from './harness';
import { openPage } from './browser';
import { typeField, waitFor } from './app-page';

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

async function fieldValues(page: Page, labels: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const l of labels) out[l] = await field(page, l).inputValue();
  return out;
}

const hashOf = (page: Page) => new URL(page.url()).hash;

/** The settings of the fragment as key → value. */
function hashParams(page: Page): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(hashOf(page).slice(1)));
}

async function waitForForm(page: Page): Promise<void> {
  await waitFor('the configuration form', () => field(page, 'Seed').isVisible(), 30_000);
}

export function urlTests(ctx: E2EContext): TestCase[] {
  return [
    {
      name: 'url: /#algorithm=fomaml&shots=5&seed=3 opens with that setup; edits rewrite the fragment in place',
      timeoutMs: 90_000,
      fn: async () => {
        const { page, errors } = await openPage(
          ctx.browser,
          `${ctx.appUrl}?backend=wasm#algorithm=fomaml&shots=5&seed=3`,
        );
        try {
          await waitForForm(page);
          const values = await fieldValues(page, ['Algorithm', 'Shots (K)', 'Seed', 'Inner steps']);
          record('url: form opened from #algorithm=fomaml&shots=5&seed=3', values);
          assert.deepEqual(values, {
            Algorithm: 'fomaml',
            'Shots (K)': '5',
            Seed: '3',
            'Inner steps': '1',
          });
          assert.equal(await field(page, 'Backend').inputValue(), 'wasm', '?backend=wasm read');
          assert.equal(await page.getByTestId('url-notice').count(), 0, 'no notice');
          // The short form is written back in full, with its version.
          await waitFor('the full fragment', async () => hashOf(page).startsWith('#v=1&'), 5000);
          const p = hashParams(page);
          assert.deepEqual(
            [p.algorithm, p.shots, p.seed, p.data, p.hidden, p.backend],
            ['fomaml', '5', '3', 'sinusoid', '40,40', 'wasm'],
          );
          const entries = await page.evaluate(() => history.length);

          await typeField(page, 'Seed', '11');
          await waitFor('seed=11 in the address', async () => hashParams(page).seed === '11', 5000);
          await field(page, 'Algorithm').selectOption('reptile');
          await waitFor(
            'algorithm=reptile in the address',
            async () => hashParams(page).algorithm === 'reptile',
            5000,
          );
          // Reptile's own defaults (5 inner steps), the seed kept.
          assert.equal(hashParams(page).innerSteps, '5');
          assert.equal(hashParams(page).seed, '11');
          await page.getByLabel('Task family', { exact: true }).selectOption('linear');
          await waitFor('data=linear', async () => hashParams(page).data === 'linear', 5000);
          assert.equal(await page.evaluate(() => history.length), entries, 'no history entries');
          record('url: fragment after the edits', hashOf(page));

          await page.reload();
          await waitForForm(page);
          const after = await fieldValues(page, [
            'Algorithm',
            'Seed',
            'Inner steps',
            'Task family',
          ]);
          assert.deepEqual(after, {
            Algorithm: 'reptile',
            Seed: '11',
            'Inner steps': '5',
            'Task family': 'linear',
          });

          // A view's fragment is left alone; back on Training the settings return.
          await page.getByRole('link', { name: 'Benchmark', exact: true }).click();
          assert.equal(hashOf(page), '#benchmark');
          await page.getByRole('link', { name: 'Training', exact: true }).click();
          await waitFor('the settings again', async () => hashParams(page).seed === '11', 5000);
          assert.deepEqual(errors, [], 'no page errors');
        } finally {
          await page.close();
        }
      },
    },
    {
      name: 'url: bad values open with the defaults and a notice naming parameter, value and default',
      timeoutMs: 90_000,
      fn: async () => {
        const { page, errors } = await openPage(
          ctx.browser,
          `${ctx.appUrl}?backend=quantum#algorithm=fomaml&shots=abc&seed=3&colour=red`,
        );
        try {
          await waitForForm(page);
          const notice = page.getByTestId('url-notice');
          await waitFor('the notice', () => notice.isVisible(), 10_000);
          const text = (await notice.textContent()) ?? '';
          record('url: notice', text);
          const shot = path.join(ctx.outDir, 'url-notice.png');
          await page.screenshot({ path: shot });
          artifacts.push(shot);
          assert.match(
            text,
            /shots=abc: expected a whole number from 1 to 10,000; the default 10 is used/,
          );
          assert.match(text, /backend=quantum: expected one of .*; the default auto is used/);
          assert.match(text, /colour=red: not a setting of this app/);
          const values = await fieldValues(page, ['Algorithm', 'Shots (K)', 'Seed']);
          assert.deepEqual(values, { Algorithm: 'fomaml', 'Shots (K)': '10', Seed: '3' });
          assert.equal(await field(page, 'Backend').inputValue(), 'auto');
          assert.equal(hashParams(page).shots, '10', 'the address now says what is used');
          await notice.getByRole('button', { name: 'Dismiss', exact: true }).click();
          await waitFor('the notice to go', async () => (await notice.count()) === 0, 5000);
          assert.deepEqual(errors, [], 'no page errors');
        } finally {
          await page.close();
        }
      },
    },
  ];
}
