/**
 * The Benchmark page and the "Fastest" backend choice in headless Chromium
 * (WebGPU through SwiftShader), driven by accessible names and the keyboard.
 *
 * One page, in order: open the Benchmark view from the header, measure MAML
 * at meta-batch 25, 40-40 on every backend (a 15 s budget: on
 * SwiftShader its first step alone takes longer, so its row must say "over
 * budget" rather than hang), check the table, the charts' summaries, the
 * worst main-thread task during the run (< 50 ms) and the copied JSON; then
 * pick "Fastest (timed probe)" and check that the badge names the backend
 * the benchmark found fastest, with its figure.
 */
import type { Page } from 'playwright-core';
import type { E2EContext } from './context';
import { assert, log, record, type TestCase } from './harness';
import { openPage, pageNow, rerunOnceOverBudget, unnamedControls, worstLongTask } from './browser';
import { badgeText, pressButton, waitFor } from './app-page';

interface JsonRow {
  backend: string;
  algorithm: string;
  status: string;
  stepsPerSec?: number;
  firstStepMs?: number;
  kernelsPerStep?: number | null;
  memory?: unknown;
  pytorch?: { overLoop: number; overBatched: number };
  error?: string;
}

const LABELS: Record<string, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

async function setChecked(page: Page, group: string, label: string, on: boolean): Promise<void> {
  const box = page.getByRole('group', { name: group }).getByLabel(label, { exact: true });
  if ((await box.count()) === 0) return; // a backend this browser lacks is labelled otherwise
  if ((await box.isChecked()) !== on) await box.setChecked(on);
}

async function progress(page: Page): Promise<string> {
  return (await page.getByTestId('bench-progress').textContent()) ?? '';
}

export function benchmarkTests(ctx: E2EContext): TestCase[] {
  let page: Page;
  let errors: string[] = [];
  let rows: JsonRow[] = [];

  return [
    {
      name: 'benchmark: the page measures every backend (MAML, B 25, 40-40); table, charts, no task over 50 ms, Copy JSON',
      timeoutMs: 5 * 60_000,
      fn: async () => {
        // WebGPU by name, as before "Best available" probed on software GPUs (issue 12 item 14).
        ({ page, errors } = await openPage(ctx.browser, `${ctx.appUrl}?backend=webgpu`));
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
          origin: new URL(ctx.appUrl).origin,
        });
        await waitFor(
          'the backend badge',
          async () => !/Starting/.test(await badgeText(page)),
          60_000,
        );
        // From the header, with the keyboard.
        const link = page.getByRole('link', { name: 'Benchmark', exact: true });
        await link.focus();
        await page.keyboard.press('Enter');
        await waitFor(
          'the Benchmark view',
          async () => page.getByRole('heading', { name: 'Benchmark', exact: true }).isVisible(),
          10_000,
        );
        assert.equal(await link.getAttribute('aria-current'), 'page');
        assert.deepEqual(await unnamedControls(page), [], 'controls without an accessible name');
        for (const b of Object.values(LABELS)) await setChecked(page, 'Backends', b, true);
        await setChecked(page, 'Methods', 'MAML', true);
        for (const m of ['First-order MAML', 'Reptile', 'ProtoNet'])
          await setChecked(page, 'Methods', m, false);
        const timed = page.getByLabel('Timed seconds', { exact: true });
        await timed.fill('2');
        await page.getByLabel('Budget (s)', { exact: true }).fill('15');
        assert.match((await page.locator('#bench-hint').textContent()) ?? '', /4 cases selected/);

        const { seconds, worst } = await rerunOnceOverBudget(page, 'benchmark page', async () => {
          await pressButton(page, 'Run');
          await waitFor('case 1', async () => /Case 1 of 4/.test(await progress(page)), 10_000, 50);
          await waitFor(
            'the end of the benchmark',
            async () => /Finished/.test(await progress(page)),
            150_000,
            500,
          );
        });
        record('benchmark page: run wall time (s)', Math.round(seconds * 10) / 10);
        record('benchmark page: worst main-thread long task during the run (ms)', worst.ms);
        record('benchmark page: long tasks during the run (count)', worst.count);
        record('benchmark page: longest tasks [s after Run, ms]', worst.at);
        record('benchmark page: progress', await progress(page));

        const table = page.getByTestId('bench-table');
        assert.match((await table.locator('caption').textContent()) ?? '', /Benchmark results/);
        record(
          'benchmark table',
          (await table.locator('tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')),
        );
        const okRows = await table.locator('tbody tr[data-status="ok"]').count();
        assert.ok(okRows >= 3, `only ${okRows} rows measured`);
        for (const b of ['wasm', 'cpu', 'webgpu']) {
          const summary = page.getByTestId(`bench-chart-${b}-summary`);
          if ((await summary.count()) > 0)
            record(`chart summary ${b}`, await summary.textContent());
        }

        await pressButton(page, 'Copy results as JSON');
        await waitFor(
          'the copy',
          async () =>
            /Copied|refused/.test((await page.getByTestId('bench-copy-note').textContent()) ?? ''),
          5_000,
          50,
        );
        const fallback = page.getByTestId('bench-json');
        const text =
          (await fallback.count()) > 0
            ? await fallback.inputValue()
            : await page.evaluate(() => navigator.clipboard.readText());
        const report = JSON.parse(text) as { rows: JsonRow[]; machine: unknown };
        rows = report.rows;
        record(
          'benchmark rows (backend: meta-steps/s | status)',
          rows.map(
            (r) =>
              `${r.backend}: ${r.status === 'ok' ? `${r.stepsPerSec?.toFixed(1)} steps/s, first step ${Math.round(r.firstStepMs ?? 0)} ms, ${r.kernelsPerStep} kernels, ×${r.pytorch?.overLoop.toFixed(2)} PyTorch loop` : `${r.status} (${r.error})`}`,
          ),
        );
        assert.equal(rows.length, 4);
        for (const r of rows) {
          assert.equal(r.algorithm, 'maml');
          assert.ok(
            r.status === 'ok' || (r.backend === 'webgpu' && r.status === 'over-budget'),
            `${r.backend}: ${r.status} ${r.error ?? ''}`,
          );
          if (r.status === 'ok') {
            assert.ok((r.stepsPerSec ?? 0) > 0, `${r.backend} ran no step`);
            assert.ok(r.pytorch, `${r.backend} has no PyTorch comparison`);
          }
        }
        assert.ok(worst.ms < 50, `a main-thread task took ${worst.ms} ms during the benchmark`);
        assert.deepEqual(errors, []);
      },
    },
    {
      name: 'benchmark: "Fastest (timed probe)" picks the backend the benchmark found fastest; the badge shows its figure',
      timeoutMs: 2 * 60_000,
      fn: async () => {
        const measured = rows.filter((r) => r.status === 'ok');
        assert.ok(measured.length > 0, 'the benchmark test must run first');
        const fastest = measured.reduce((a, b) =>
          (b.stepsPerSec ?? 0) > (a.stepsPerSec ?? 0) ? b : a,
        );
        log(
          `the benchmark's fastest: ${fastest.backend} at ${fastest.stepsPerSec?.toFixed(1)} steps/s`,
        );
        const t0 = await pageNow(page);
        await page.getByLabel('Backend', { exact: true }).selectOption('fastest');
        await waitFor(
          'the probing state',
          async () => /Probing backends/.test(await badgeText(page)),
          5_000,
          50,
        );
        record('badge while probing', await badgeText(page));
        await waitFor(
          'the probe’s winner',
          async () => /fastest: /.test(await badgeText(page)),
          90_000,
          250,
        );
        const badge = await badgeText(page);
        const title = (await page.getByTestId('backend-badge').getAttribute('title')) ?? '';
        const worst = await worstLongTask(page, t0);
        record('badge after the probe', badge);
        record('badge title (every probed figure)', title);
        record('worst main-thread long task during the probe (ms)', worst.ms);
        assert.match(badge, new RegExp(`^${LABELS[fastest.backend]} · fastest: [\\d.]+ steps/s$`));
        for (const b of ['WASM', 'CPU']) assert.match(title, new RegExp(b));
        assert.deepEqual(errors, []);
        await page.close();
      },
    },
  ];
}
