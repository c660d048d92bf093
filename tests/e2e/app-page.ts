/**
 * How the browser tests read and drive the main screen, through what a
 * person sees and uses: accessible names, the step counter, the status
 * sentence, the chart summaries. No test reaches into the store.
 */
import type { Page } from 'playwright-core';

export const BUTTONS = ['Train', 'Pause', 'Resume', 'Stop', 'Reset'] as const;

export const button = (page: Page, name: (typeof BUTTONS)[number] | string) =>
  page.getByRole('button', { name, exact: true });

export async function badgeText(page: Page): Promise<string> {
  return (await page.getByTestId('backend-badge').textContent()) ?? '';
}

export async function stepCount(page: Page): Promise<number> {
  const t = (await page.getByTestId('step-counter').textContent()) ?? '';
  const m = /Step\s+([\d,]+)/.exec(t);
  return m ? Number((m[1] as string).replace(/,/g, '')) : NaN;
}

export async function statusText(page: Page): Promise<string> {
  return (await page.getByTestId('run-status').textContent()) ?? '';
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Waits for the status to say the run of `steps` meta-steps finished, and
 * for a "Finished" that follows the Train press: a second run of the same
 * length starts while the first one's "Finished" still shows.
 */
export async function waitForFreshFinish(
  page: Page,
  steps: number,
  timeoutMs: number,
): Promise<void> {
  const done = new RegExp(`Finished ${steps} meta-steps`);
  let started = false;
  await waitFor(
    'the end of the run',
    async () => {
      const finished = done.test(await statusText(page));
      started ||= !finished;
      return started && finished;
    },
    timeoutMs,
    250,
  );
}

/** Types into a configuration field with the keyboard and commits it with Enter. */
export async function typeField(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(value);
  await page.keyboard.press('Enter');
}

/** Presses a button from the keyboard (focus + Enter), as a keyboard user would. */
export async function pressButton(page: Page, name: string): Promise<void> {
  const b = button(page, name);
  await b.focus();
  await page.keyboard.press('Enter');
}

export interface LossNumbers {
  steps: number;
  first: number;
  last: number;
  best: number;
  firstMean: number;
  lastMean: number;
  sentence: string;
}

/**
 * Parses the meta-train loss chart's summary sentence (see src/ui/charts/summary.ts).
 * With `steps`, first waits (up to 3 s) for the sentence to cover that many steps:
 * charts follow the store a few times a second (charts/useThrottled.ts), so the
 * last points of a run reach the sentence a moment after the status says it ended.
 */
export async function lossNumbers(page: Page, steps?: number): Promise<LossNumbers> {
  const summary = page.getByTestId('chart-train-loss-summary');
  if (steps !== undefined)
    await waitFor(
      `the loss summary over ${steps} steps`,
      async () => ((await summary.textContent()) ?? '').includes(`over ${steps} steps`),
      3000,
      50,
    ).catch(() => {});
  const sentence = (await summary.textContent()) ?? '';
  const num = (re: RegExp) => {
    const m = re.exec(sentence);
    return m ? Number(m[1]) : NaN;
  };
  const n = '([-+]?\\d*\\.?\\d+(?:e[-+]?\\d+)?|NaN|∞)';
  return {
    steps: num(/over (\d+) steps/),
    first: num(new RegExp(`first ${n},`)),
    last: num(new RegExp(`last ${n},`)),
    best: num(new RegExp(`best ${n} at`)),
    firstMean: num(new RegExp(`first 10 steps ${n}`)),
    lastMean: num(new RegExp(`last 10 steps ${n}`)),
    sentence,
  };
}

export async function tensorCounts(page: Page): Promise<{ first: number; last: number }> {
  const el = page.getByTestId('tensor-count');
  return {
    first: Number(await el.getAttribute('data-first')),
    last: Number(await el.getAttribute('data-last')),
  };
}
