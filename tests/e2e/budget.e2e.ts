/**
 * The main thread's budget in `npm test`'s default browser run (issue 11),
 * on the WASM backend:
 * - a 300-step MAML run and then an evaluation of 600 held-out tasks leave
 *   no main-thread task over 50 ms (the long-task probe of browser.ts);
 * - a checkpoint costs the main thread the same with a 20,000-step history
 *   as with a 200-step one. The worker writes checkpoints to IndexedDB and
 *   the page hears only `{sessionId, step, name}`; the test times the page's
 *   handling of each message carrying a checkpoint (reading the message,
 *   which deserializes it, plus the store update) and measures its size.
 *   The long histories are seeded through a session file (the 300-step run
 *   exported, its history stretched to 200 and to 20,000 steps, imported and
 *   continued), not by training 20,000 steps.
 *
 * The tests run in order on one page.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openPage, pageNow, rerunOnceOverBudget, worstLongTask } from './browser';
import type { E2EContext } from './context';
import { assert, record, type TestCase } from './harness';
import {
  button,
  pressButton,
  statusText,
  stepCount,
  typeField,
  waitFor,
  waitForFreshFinish,
} from './app-page';

const STEPS = 300;
const TASKS = 600;

interface MessageCost {
  /** performance.now() when the message was handled */
  at: number;
  ms: number;
  step: number;
  bytes: number;
  types: string[];
}

/**
 * Runs in the page before its scripts: wraps the Worker's onmessage so each
 * message that carries a checkpoint (or takes over 16 ms) records the time
 * the page spent on it. Plain JavaScript text: a function passed from here
 * would carry the helpers tsx's compiler adds (`__name`), absent in the page.
 */
const TIME_WORKER_MESSAGES = `(() => {
  const costs = [];
  window.__checkpointCosts = costs;
  const Base = window.Worker;
  class Timed extends Base {
    set onmessage(fn) {
      super.onmessage = fn
        ? (e) => {
            const t0 = performance.now();
            const data = e.data;
            fn.call(this, e);
            const ms = performance.now() - t0;
            if (!Array.isArray(data)) return;
            const cps = data.filter((x) => x && x.type === 'checkpoint');
            if (cps.length === 0 && ms < 16) return;
            costs.push({
              at: t0,
              ms,
              step: cps.length ? cps[cps.length - 1].step : -1,
              bytes: JSON.stringify(data).length,
              types: data.map((x) => (x && x.type) || '?'),
            });
          }
        : null;
    }
    get onmessage() {
      return super.onmessage;
    }
  }
  window.Worker = Timed;
})();`;

const checkpointCosts = (page: Page): Promise<MessageCost[]> =>
  page.evaluate(
    () => (window as unknown as { __checkpointCosts?: MessageCost[] }).__checkpointCosts ?? [],
  );

interface Doc {
  id: string;
  name: string;
  config: { metaSteps: number; patience: number };
  history: {
    train: { step: number; trainLoss: number | null }[];
    validation: { step: number; loss: number | null; metric: number | null }[];
    bestStep: number;
    stepsDone: number;
  };
  checkpoint?: { step: number } | null;
  evaluation: unknown;
}

/** The exported session with its history stretched to `n` steps, as if it had trained that long. */
function stretched(file: string, n: number, out: string): string {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
  const train = doc.history.train;
  const val = doc.history.validation;
  doc.history.train = Array.from({ length: n }, (_, i) => ({
    step: i + 1,
    trainLoss: train[i % train.length]!.trainLoss,
  }));
  doc.history.validation = Array.from({ length: Math.floor(n / 100) + 1 }, (_, i) => ({
    ...val[i % val.length]!,
    step: i * 100,
  }));
  doc.history.stepsDone = n;
  doc.history.bestStep = Math.min(doc.history.bestStep, n);
  if (doc.checkpoint) doc.checkpoint.step = n;
  doc.config.metaSteps = n + 100_000;
  doc.config.patience = 0;
  doc.evaluation = null;
  doc.id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  doc.name = `history of ${n} steps`;
  writeFileSync(out, JSON.stringify(doc));
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};
const round = (x: number) => Math.round(x * 1000) / 1000;

export function budgetTests(ctx: E2EContext): TestCase[] {
  let page: Page;
  let errors: string[] = [];
  const exported = path.join(ctx.outDir, 'budget-session.json');

  /** Imports a stretched session, continues it for `count` checkpoints, stops; their costs. */
  async function continueFor(n: number, count: number) {
    const file = stretched(exported, n, path.join(ctx.outDir, `budget-history-${n}.json`));
    await page.getByTestId('import-session').setInputFiles(file);
    await waitFor(
      `the ${n}-step session on screen`,
      async () => (await stepCount(page)) === n,
      60_000,
    );
    await waitFor('the Train button', () => button(page, 'Train').isEnabled(), 60_000);
    const t0 = await pageNow(page);
    await button(page, 'Train').click();
    let mine: MessageCost[] = [];
    await waitFor(
      `${count} checkpoints after step ${n}`,
      async () => {
        mine = (await checkpointCosts(page)).filter((c) => c.at >= t0 && c.step > n);
        return mine.length >= count;
      },
      120_000,
      500,
    ).catch(async (e: unknown) => {
      const seen = JSON.stringify(await checkpointCosts(page));
      throw new Error(
        `${String(e)}; step ${await stepCount(page)}, status "${await statusText(page)}", messages ${seen}`,
      );
    });
    const worst = await worstLongTask(page, t0);
    await button(page, 'Stop').click();
    await waitFor('the stop', async () => /Stopped/.test(await statusText(page)), 60_000);
    const ms = mine.map((c) => c.ms);
    return {
      steps: mine.map((c) => c.step),
      medianMs: round(median(ms)),
      maxMs: round(Math.max(...ms)),
      bytes: mine.map((c) => c.bytes),
      types: [...new Set(mine.flatMap((c) => c.types))],
      worstLongTaskMs: worst.ms,
    };
  }

  return [
    {
      name: `app: budget — ${STEPS} WASM meta-steps, then ${TASKS} held-out tasks evaluated, no main-thread task over 50 ms`,
      timeoutMs: 6 * 60_000,
      fn: async () => {
        ({ page, errors } = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`));
        await page.addInitScript({ content: TIME_WORKER_MESSAGES });
        await page.reload();
        await waitFor('the Train button', () => button(page, 'Train').isEnabled(), 60_000);
        await typeField(page, 'Meta-steps', String(STEPS));
        // One run, timed (a second Train starts a fresh run of the same length).
        const { seconds, worst: training } = await rerunOnceOverBudget(
          page,
          'budget: the run',
          async () => {
            // from the keyboard: a mouse click's hit tests and scrolling (Playwright's
            // work on the page's thread) would fall inside the timed stretch
            await pressButton(page, 'Train');
            await waitForFreshFinish(page, STEPS, 180_000);
          },
        );
        record(
          'budget: messages with a checkpoint or over 16 ms during the run',
          await checkpointCosts(page),
        );
        record(`budget: ${STEPS} MAML steps on wasm (s)`, seconds);
        record('budget: worst main-thread task during the run (ms)', training.ms);
        record('budget: longest tasks during the run [s after Train, ms]', training.at);

        const form = page.getByRole('form', { name: 'Evaluate adaptation' });
        await form.getByLabel('Held-out tasks').fill(String(TASKS));
        await form.getByLabel('Adaptation steps').fill('10');
        await waitFor(
          'Evaluate adaptation',
          () => button(page, 'Evaluate adaptation').isEnabled(),
          120_000,
        );
        const t1 = await pageNow(page);
        await button(page, 'Evaluate adaptation').click();
        await page.getByTestId('adaptation-table').waitFor({ timeout: 150_000 });
        const evaluation = await worstLongTask(page, t1);
        record(
          `budget: worst main-thread task during the ${TASKS}-task evaluation (ms)`,
          evaluation.ms,
        );
        record('budget: longest tasks during the evaluation [s after Evaluate, ms]', evaluation.at);

        const dl = page.waitForEvent('download');
        await button(page, 'Export session').click();
        await (await dl).saveAs(exported);

        assert.ok(training.ms < 50, `a main-thread task took ${training.ms} ms during training`);
        assert.ok(
          evaluation.ms < 50,
          `a main-thread task took ${evaluation.ms} ms during the evaluation`,
        );
        assert.deepEqual(errors, []);
      },
    },
    {
      name: 'app: budget — a checkpoint costs the main thread the same at step 20,000 as at step 200',
      timeoutMs: 6 * 60_000,
      fn: async () => {
        try {
          const short = await continueFor(200, 3);
          const long = await continueFor(20_000, 3);
          record('budget: checkpoints after a 200-step history', short);
          record('budget: checkpoints after a 20,000-step history', long);
          // The payload is the same few fields whatever the history: only the step's digits differ.
          const grew = Math.max(...long.bytes) - Math.min(...short.bytes);
          assert.ok(grew <= 16, `a checkpoint message grew by ${grew} characters`);
          // Times are noisy on a shared machine: the medians must not grow, no single one may
          // break the 50 ms budget.
          assert.ok(
            long.medianMs <= Math.max(2 * short.medianMs, 1),
            `median ${long.medianMs} ms per checkpoint at step 20,000 vs ${short.medianMs} ms at step 200`,
          );
          assert.ok(long.maxMs < 50, `handling a checkpoint took ${long.maxMs} ms at step 20,000`);
          assert.deepEqual(errors, []);
        } finally {
          await page.close();
        }
      },
    },
  ];
}
