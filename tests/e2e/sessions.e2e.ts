/**
 * Sessions in real Chromium with real IndexedDB (issue 6), on the wasm
 * backend so training is quick: a trained session survives a reload with its
 * curves, weights and evaluation; a tab closed mid-training resumes from its
 * last checkpoint with the step counter continuing; a share link and an
 * exported file open in fresh browser contexts with the same numbers;
 * tampered links and truncated files only produce messages; and session
 * files go both ways between the CLI and the browser with the same
 * evaluation to 1e-6 relative.
 *
 * The tests run in order and share state (the first context's stored
 * session, its exported file, its share link).
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import type { E2EContext } from './context';
import { assert, record, type TestCase } from './harness';
import { button, lossNumbers, stepCount, typeField, waitFor } from './app-page';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

type EvalTable = Record<string, number[]>;

async function newPage(ctx: E2EContext, url: string): Promise<{ c: BrowserContext; page: Page }> {
  const c = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await c.newPage();
  await page.goto(url);
  await waitFor(
    'the backend',
    async () => (await page.getByTestId('backend-badge').textContent())?.includes('WASM') ?? false,
    60_000,
  ).catch(() => {});
  return { c, page };
}

async function waitReady(page: Page): Promise<void> {
  await waitFor('the Train button', () => button(page, 'Train').isEnabled(), 60_000);
}

async function evalTable(page: Page): Promise<EvalTable> {
  return page.getByTestId('session-evaluation').evaluate((t) => {
    const out: Record<string, number[]> = {};
    for (const row of t.querySelectorAll('tbody tr')) {
      const name = row.getAttribute('data-model') ?? '?';
      out[name] = [...row.querySelectorAll('td')].map((td) =>
        Number(td.getAttribute('data-value')),
      );
    }
    return out;
  });
}

/** Clicks "Evaluate session" and reads the table once the worker has answered. */
async function evaluate(page: Page): Promise<EvalTable> {
  await page
    .getByTestId('session-evaluation')
    .waitFor({ state: 'detached', timeout: 1000 })
    .catch(() => {});
  await button(page, 'Evaluate session').click();
  await page.getByTestId('session-evaluation').waitFor({ timeout: 120_000 });
  await waitFor(
    'evaluation to finish',
    () => button(page, 'Evaluate session').isEnabled(),
    120_000,
  );
  return evalTable(page);
}

function maxRelDiff(a: EvalTable, b: EvalTable, models?: string[]): number {
  let worst = 0;
  for (const m of models ?? Object.keys(a)) {
    const x = a[m];
    const y = b[m];
    assert.ok(x && y, `model ${m} in both evaluations`);
    assert.equal(x.length, y.length);
    x.forEach((v, i) => {
      const w = y[i] as number;
      const rel = Math.abs(v - w) / Math.max(Math.abs(v), Math.abs(w), 1e-12);
      worst = Math.max(worst, rel);
    });
  }
  return worst;
}

async function sessionNames(page: Page): Promise<string[]> {
  return page
    .getByTestId('session-row')
    .evaluateAll((rows) =>
      rows.map((r) => `${r.getAttribute('data-id')}:${r.getAttribute('data-name')}`),
    );
}

async function message(page: Page): Promise<string> {
  const m = page.getByTestId('session-message').locator('p');
  await m.waitFor({ timeout: 30_000 });
  return (await m.textContent()) ?? '';
}

async function cli(args: string[]): Promise<string> {
  const { stdout } = await run('npx', ['tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** The CLI's `evaluate --json` as a table like the browser's (main model and baselines). */
async function cliEvaluate(file: string): Promise<EvalTable> {
  const out = JSON.parse(
    await cli([
      'evaluate',
      '--session',
      file,
      '--episodes',
      '100',
      '--steps',
      '0,1,10',
      '--json',
      '--backend',
      'wasm',
    ]),
  ) as { algorithm: string; mean: number[]; baselines: Record<string, { mean: number[] }> };
  const t: EvalTable = { [out.algorithm]: out.mean };
  for (const [k, v] of Object.entries(out.baselines)) t[k] = v.mean;
  return t;
}

/**
 * A regression CSV too large for a link once compressed: 40 tasks of
 * y = a·x + b + noise with 7-digit values (deterministic, no Math.random).
 */
function bigCsv(rows: number, salt: number): string {
  let state = 12345 + salt;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const lines = ['task,x1,x2,y'];
  for (let i = 0; i < rows; i++) {
    const task = i % 40;
    const x1 = next() * 10 - 5;
    const x2 = next() * 4 - 2;
    const y = (task / 10) * x1 - x2 + task / 20 + (next() - 0.5) * 0.1;
    lines.push(`t${task},${x1.toFixed(7)},${x2.toFixed(7)},${y.toFixed(7)}`);
  }
  return lines.join('\n') + '\n';
}

/** Imports a session file in a fresh context and returns its share link (rows left out). */
async function shareLinkOf(ctx: E2EContext, url: string, file: string): Promise<string> {
  const { c, page } = await newPage(ctx, url);
  try {
    await waitReady(page);
    await page.getByTestId('import-session').setInputFiles(file);
    await page.getByTestId('session-row').first().waitFor({ timeout: 30_000 });
    await button(page, 'Copy share link').click();
    const link = await page.getByTestId('share-url').inputValue();
    const note = await message(page);
    record('session: big CSV share link (characters) and note', { length: link.length, note });
    assert.match(note, /rows were left out/);
    return link;
  } finally {
    await c.close();
  }
}

export function sessionTests(ctx: E2EContext): TestCase[] {
  const url = `${ctx.appUrl}?backend=wasm`;
  const exported = path.join(ctx.outDir, 'browser-session.json');
  let first: { c: BrowserContext; page: Page } | null = null;
  let evalBefore: EvalTable = {};
  let lossBefore = '';
  let shareUrl = '';

  return [
    {
      name: 'session: train, reload, listed with curves and weights, same evaluation',
      timeoutMs: 150_000,
      fn: async () => {
        first = await newPage(ctx, url);
        const { page } = first;
        await waitReady(page);
        await typeField(page, 'Meta-steps', '60');
        await typeField(page, 'Meta-batch', '5');
        await button(page, 'Train').click();
        await waitFor(
          'the run to end',
          async () =>
            /finished|done|Done|Finished/.test(
              (await page.getByTestId('run-status').textContent()) ?? '',
            ) || (await stepCount(page)) >= 60,
          90_000,
        );
        await page.getByTestId('session-row').first().waitFor({ timeout: 30_000 });
        evalBefore = await evaluate(page);
        lossBefore = (await lossNumbers(page)).sentence;
        record('session: evaluation before reload (mean per step)', evalBefore);
        // Let the evaluation be written before the reload.
        await page.waitForTimeout(500);
        await page.reload();
        await waitReady(page);
        const rows = await sessionNames(page);
        record('session: sessions listed after reload', rows.length);
        assert.equal(rows.length, 1);
        await page
          .getByTestId('session-row')
          .first()
          .getByRole('button', { name: /^Open / })
          .click();
        await page.getByTestId('session-evaluation').waitFor({ timeout: 30_000 });
        const stored = await evalTable(page);
        assert.deepEqual(stored, evalBefore, 'the stored evaluation is shown after the reload');
        // The chart summary follows the store a few times a second (charts/useThrottled.ts).
        const t0 = Date.now();
        await waitFor(
          'the loss curve of the opened session',
          async () => (await lossNumbers(page)).sentence === lossBefore,
          5000,
        ).catch(() => {});
        record('session: loss curve shown after (ms)', Date.now() - t0);
        const lossAfter = (await lossNumbers(page)).sentence;
        assert.equal(lossAfter, lossBefore, 'same loss curve after the reload');
        const evalAfter = await evaluate(page);
        const diff = maxRelDiff(evalBefore, evalAfter);
        record('session: re-evaluation after reload, max relative difference', diff);
        assert.ok(diff === 0, `same numbers after reload (max rel diff ${diff})`);
        // Export for the later tests.
        const dl = page.waitForEvent('download');
        await button(page, 'Export session').click();
        await (await dl).saveAs(exported);
        await button(page, 'Copy share link').click();
        shareUrl = (await page.getByTestId('share-url').inputValue()) ?? '';
        record('session: share link length', shareUrl.length);
        assert.ok(shareUrl.includes('#s1.'));
      },
    },
    {
      name: 'session: share link in a fresh context shows the same curves and evaluation',
      timeoutMs: 60_000,
      fn: async () => {
        const { c, page } = await newPage(ctx, shareUrl);
        try {
          await page.getByTestId('current-session').waitFor({ timeout: 30_000 });
          assert.match(
            (await page.getByTestId('current-session').textContent()) ?? '',
            /read-only/,
          );
          assert.equal((await lossNumbers(page)).sentence, lossBefore, 'same loss curve');
          const shown = await evalTable(page);
          assert.deepEqual(shown, evalBefore, 'same evaluation');
          assert.equal((await sessionNames(page)).length, 0, 'nothing stored from a link');
          // Read-only means read-only (issue 12): no Train in place, a banner until the copy exists.
          await page.getByTestId('readonly-banner').waitFor({ timeout: 5000 });
          assert.equal(
            await button(page, 'Train').count(),
            0,
            'no plain Train on a shared session',
          );
          const copyAndTrain = button(page, 'Save a copy and train');
          await waitFor('Save a copy and train', () => copyAndTrain.isEnabled(), 60_000);
          await copyAndTrain.click();
          await waitFor(
            'the saved copy',
            async () => (await sessionNames(page)).length === 1,
            10_000,
          );
          await page.getByTestId('readonly-banner').waitFor({ state: 'detached', timeout: 5000 });
          assert.doesNotMatch(
            (await page.getByTestId('current-session').textContent()) ?? '',
            /read-only/,
          );
          await waitFor('the copy to train', () => button(page, 'Stop').isEnabled(), 30_000);
          await button(page, 'Stop').click();
          record(
            'session: share link opened read-only, same curves and evaluation, "Save a copy and train" saved a copy and trained it',
            true,
          );
        } finally {
          await c.close();
        }
      },
    },
    {
      name: 'session: export a file, import it in a fresh context, same numbers',
      timeoutMs: 90_000,
      fn: async () => {
        const { c, page } = await newPage(ctx, url);
        try {
          await waitReady(page);
          await page.getByTestId('import-session').setInputFiles(exported);
          await page.getByTestId('session-row').first().waitFor({ timeout: 30_000 });
          assert.equal((await lossNumbers(page)).sentence, lossBefore, 'same loss curve');
          const ev = await evaluate(page);
          const diff = maxRelDiff(evalBefore, ev);
          record('session: imported file re-evaluated, max relative difference', diff);
          assert.ok(diff === 0, `same numbers (max rel diff ${diff})`);
        } finally {
          await c.close();
        }
      },
    },
    {
      name: 'session: tampered link and truncated file give messages, stored sessions unchanged',
      timeoutMs: 60_000,
      fn: async () => {
        assert.ok(first);
        const { page } = first;
        const before = await sessionNames(page);
        const frag = shareUrl.slice(shareUrl.indexOf('#') + 1);
        const mid = Math.floor(frag.length / 2);
        const flipped = frag.slice(0, mid) + (frag[mid] === 'A' ? 'B' : 'A') + frag.slice(mid + 1);
        await page.goto(`${url}#${flipped}`);
        const m1 = await message(page);
        record('session: tampered link message', m1);
        assert.match(m1, /damaged|truncated|not valid|could not/i);
        const bytes = readFileSync(exported);
        const truncated = path.join(ctx.outDir, 'truncated-session.json');
        writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
        await page.getByTestId('import-session').setInputFiles(truncated);
        await waitFor(
          'the truncated-file message',
          async () =>
            /truncated-session/.test(
              (await page.getByTestId('session-message').textContent()) ?? '',
            ),
          10_000,
        );
        const m2 = await message(page);
        record('session: truncated file message', m2);
        assert.match(m2, /not valid JSON|truncated/i);
        await page.reload();
        await waitReady(page);
        const after = await sessionNames(page);
        assert.deepEqual(after, before, 'stored sessions unchanged');
      },
    },
    {
      name: 'session: rename, duplicate, delete with confirmation and undo; space used shown',
      timeoutMs: 30_000,
      fn: async () => {
        assert.ok(first);
        const { page } = first;
        try {
          const row = page.getByTestId('session-row').first();
          await row.getByRole('button', { name: /^Rename / }).click();
          await row.getByLabel('New name').fill('<img src=x onerror=alert(1)> renamed');
          await row.getByRole('button', { name: /^OK, rename / }).click();
          await waitFor(
            'the new name',
            async () =>
              (await sessionNames(page)).some((n) =>
                n.endsWith(':<img src=x onerror=alert(1)> renamed'),
              ),
            10_000,
          );
          assert.equal(
            await page.locator('.session-list img').count(),
            0,
            'names are text, not HTML',
          );
          await row.getByRole('button', { name: /^Duplicate / }).click();
          await waitFor(
            'the duplicate',
            async () => (await sessionNames(page)).length === 2,
            10_000,
          );
          const victim = page.getByTestId('session-row').first();
          await victim.getByRole('button', { name: /^Delete / }).click();
          await victim.getByRole('button', { name: 'Yes, delete', exact: true }).click();
          await waitFor(
            'the deletion',
            async () => (await sessionNames(page)).length === 1,
            10_000,
          );
          await page.getByTestId('undo-delete').getByRole('button', { name: 'Undo' }).click();
          await waitFor('the undo', async () => (await sessionNames(page)).length === 2, 10_000);
          const storage = (await page.getByTestId('storage-used').textContent()) ?? '';
          record('session: space used', storage);
          assert.match(storage, /Storage used: .+ MB of .+ MB/);
        } finally {
          await first.c.close();
        }
      },
    },
    {
      name: 'session: close the tab mid-training, reopen, resume from the checkpoint',
      timeoutMs: 120_000,
      fn: async () => {
        const { c, page } = await newPage(ctx, url);
        try {
          await waitReady(page);
          await typeField(page, 'Meta-steps', '100000');
          await button(page, 'Train').click();
          const status = page.getByTestId('autosave-status');
          await status.waitFor({ timeout: 60_000 });
          const saved = Number(await status.getAttribute('data-step'));
          const at = await stepCount(page);
          await page.close({ runBeforeUnload: false });
          record('session: closed the tab at step / last checkpoint', {
            step: at,
            checkpoint: saved,
          });
          const again = await c.newPage();
          await again.goto(url);
          const offer = again.getByTestId('resume-offer');
          await offer.waitFor({ timeout: 30_000 });
          const offered = Number(await offer.getAttribute('data-step'));
          assert.ok(
            offered >= saved,
            `the offer resumes from the last checkpoint (${offered} ≥ ${saved})`,
          );
          await waitReady(again).catch(() => {});
          await offer.getByRole('button', { name: 'Resume from checkpoint' }).click();
          await waitFor(
            'the step counter to show the checkpoint',
            async () => (await stepCount(again)) >= offered,
            30_000,
          );
          const shownAt = await stepCount(again);
          await waitFor(
            'training to continue',
            async () => (await stepCount(again)) > offered + 5,
            60_000,
          );
          const later = await stepCount(again);
          const loss = await lossNumbers(again);
          record(
            'session: resumed (offered checkpoint, counter at resume, counter later, loss steps)',
            {
              offered,
              shownAt,
              later,
              lossSteps: loss.steps,
            },
          );
          assert.ok(
            shownAt >= offered && shownAt < offered + 2000,
            'the counter continues from the checkpoint',
          );
          assert.ok(loss.steps >= offered, 'the curve keeps the steps before the checkpoint');
          await button(again, 'Stop').click();
        } finally {
          await c.close();
        }
      },
    },
    {
      name: 'session: CLI ⇄ browser round trip gives the same evaluation (wasm)',
      timeoutMs: 150_000,
      fn: async () => {
        const cliFile = path.join(ctx.outDir, 'cli-session.json.gz');
        await cli([
          'train',
          '--data',
          'builtin:sinusoid',
          '--algorithm',
          'maml',
          '--meta-steps',
          '30',
          '--meta-batch',
          '5',
          '--backend',
          'wasm',
          '--out',
          cliFile,
        ]);
        const cliNumbers = await cliEvaluate(cliFile);
        const { c, page } = await newPage(ctx, url);
        try {
          await waitReady(page);
          await page.getByTestId('import-session').setInputFiles(cliFile);
          await page.getByTestId('session-row').first().waitFor({ timeout: 30_000 });
          const loss = await lossNumbers(page);
          assert.ok(loss.steps > 0, 'the CLI curves show in the browser');
          const browserNumbers = await evaluate(page);
          const d1 = maxRelDiff(cliNumbers, browserNumbers);
          record('session: CLI session → browser, numbers', {
            cli: cliNumbers,
            browser: browserNumbers,
          });
          record('session: CLI session → browser, max relative difference', d1);
          assert.ok(d1 <= 1e-6, `CLI → browser within 1e-6 (got ${d1})`);
        } finally {
          await c.close();
        }
        const fromBrowser = await cliEvaluate(exported);
        const d2 = maxRelDiff(evalBefore, fromBrowser);
        record('session: browser session → CLI, max relative difference', d2);
        assert.ok(d2 <= 1e-6, `browser → CLI within 1e-6 (got ${d2})`);
      },
    },
    {
      name: 'session: a link without the dataset rows asks for the file and checks its hash',
      timeoutMs: 150_000,
      fn: async () => {
        const csv = path.join(ctx.outDir, 'big-regression.csv');
        const wrong = path.join(ctx.outDir, 'other-regression.csv');
        writeFileSync(csv, bigCsv(12_000, 0));
        writeFileSync(wrong, bigCsv(12_000, 1));
        const file = path.join(ctx.outDir, 'csv-session.json');
        await cli([
          'train',
          '--data',
          csv,
          '--algorithm',
          'maml',
          '--meta-steps',
          '20',
          '--meta-batch',
          '4',
          '--shots',
          '5',
          '--queries',
          '5',
          '--no-baseline',
          '--backend',
          'wasm',
          '--out',
          file,
        ]);
        const cliNumbers = await cliEvaluate(file);
        const link = await shareLinkOf(ctx, url, file);
        const { c, page } = await newPage(ctx, link);
        try {
          const prompt = page.getByTestId('dataset-prompt');
          await prompt.waitFor({ timeout: 30_000 });
          await page.getByLabel('Dataset file').setInputFiles(wrong);
          // The refusal replaces the "Opened the shared session" message: wait for it, not
          // for whichever message is showing (CI once read the older one).
          const refusal = page
            .getByTestId('session-message')
            .locator('p')
            .filter({ hasText: 'is not the dataset' });
          await refusal.waitFor({ timeout: 30_000 });
          const refused = (await refusal.textContent()) ?? '';
          record('session: wrong dataset file message', refused);
          assert.match(refused, /is not the dataset/);
          await page.getByLabel('Dataset file').setInputFiles(csv);
          await prompt.waitFor({ state: 'detached', timeout: 30_000 });
          await page
            .getByRole('status')
            .filter({ hasText: 'The file matches the session' })
            .waitFor({ timeout: 30_000 });
          // Evaluate at once, while the loaded session is still settling (its automatic
          // adaptation trains the missing pre-training baseline): the evaluation must stay.
          const browserNumbers = await evaluate(page);
          const d = maxRelDiff(cliNumbers, browserNumbers);
          record('session: CSV session via link + file, numbers', {
            cli: cliNumbers,
            browser: browserNumbers,
          });
          record('session: CSV session via link + file, max relative difference', d);
          assert.ok(d <= 1e-6, `same evaluation as the CLI (got ${d})`);
        } finally {
          await c.close();
        }
      },
    },
  ];
}
