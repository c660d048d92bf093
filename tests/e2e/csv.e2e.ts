/**
 * CSV upload in headless Chromium, on the WASM backend (?backend=wasm: about
 * a hundred times faster than WebGPU on the software GPU here), driven by
 * accessible names as a person would:
 * - each sample CSV of public/samples goes in through the "Upload CSV" file
 *   input, the guessed roles are accepted, MAML trains briefly and the
 *   meta-validation metric must improve;
 * - one broken file per case of issue 4 (generated here, in memory) must
 *   show its message naming file / row / column, as text; a refused upload
 *   must leave the data in use as it was;
 * - a generated 50 MB CSV (written to test-results/, never committed) must
 *   show the progress bar while it is read; the parse time, the longest
 *   main-thread task meanwhile and the worker's peak heap are recorded.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { E2EContext } from './context';
import { artifacts, assert, log, record, type TestCase } from './harness';
import { openPage, pageNow, worstLongTask } from './browser';
import { button, statusText, typeField, waitFor } from './app-page';

const root = path.resolve(import.meta.dirname, '../..');

interface FileSpec {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

const csvFile = (name: string, text: string | Buffer): FileSpec => ({
  name,
  mimeType: 'text/csv',
  buffer: typeof text === 'string' ? Buffer.from(text, 'utf8') : text,
});

/** Regression rows "task,x,y" for tasks t1..tn, `rows` each; `cell` may alter one cell. */
function regressionCsv(
  tasks: number,
  rows: number,
  cell: (t: number, r: number, col: 'task' | 'x' | 'y', v: string) => string = (_t, _r, _c, v) => v,
  header = 'task,x,y',
): string {
  const lines = [header];
  for (let t = 1; t <= tasks; t++) {
    for (let r = 0; r < rows; r++) {
      const x = (r / rows) * 4 - 2;
      const y = Math.sin(x + t) * (1 + t / 10);
      lines.push(
        [
          cell(t, r, 'task', `t${t}`),
          cell(t, r, 'x', x.toFixed(3)),
          cell(t, r, 'y', y.toFixed(4)),
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

async function uploadInput(page: Page, files: string | FileSpec | FileSpec[]): Promise<void> {
  await page.getByLabel('Upload CSV', { exact: true }).setInputFiles(files);
}

const text = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).first().textContent()) ?? '';

/** Waits until the upload is over: a refusal or a new summary (summary heading = file names). */
async function uploadOutcome(
  page: Page,
  fileNames: string,
  timeoutMs = 30_000,
): Promise<'refused' | 'staged'> {
  let outcome: 'refused' | 'staged' | null = null;
  await waitFor(
    `the outcome of uploading ${fileNames}`,
    async () => {
      if ((await page.getByTestId('csv-progress').count()) > 0) return false;
      if ((await page.getByTestId('csv-refusal').count()) > 0) outcome = 'refused';
      else if ((await page.getByTestId('csv-summary').count()) > 0) {
        const h = (await page.locator('[data-testid="csv-summary"] h3').textContent()) ?? '';
        if (h.startsWith(fileNames)) outcome = 'staged';
      }
      return outcome !== null;
    },
    timeoutMs,
    100,
  );
  return outcome as unknown as 'refused' | 'staged';
}

/** Forgets the previous test's run, so an upload is used at once (no confirmation). */
async function resetIfRun(page: Page): Promise<void> {
  if (await button(page, 'Reset').isEnabled()) await button(page, 'Reset').click();
}

async function openWasm(ctx: E2EContext) {
  const opened = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`);
  await waitFor(
    'the data',
    async () => /Regression/.test(await text(opened.page, 'data-summary')),
    60_000,
  );
  return opened;
}

/** Trains with a few knobs typed in and returns the validation chart's first and best values. */
async function trainBriefly(
  page: Page,
  steps: number,
  knobs: Record<string, string>,
): Promise<{ first: number; best: number; sentence: string }> {
  // Validation knobs live under "More settings": open it so they can take focus.
  await page
    .locator('details.more', { hasText: 'More settings' })
    .evaluate((d) => ((d as HTMLDetailsElement).open = true));
  for (const [label, value] of Object.entries(knobs)) await typeField(page, label, value);
  await typeField(page, 'Meta-steps', String(steps));
  await button(page, 'Train').click();
  await waitFor(
    'the run to finish',
    async () => /Finished|Stopped early/.test(await statusText(page)),
    90_000,
  ).catch(async (e: unknown) => {
    const alert = (await page.getByTestId('error-message').count())
      ? await text(page, 'error-message')
      : '';
    throw new Error(`${String(e)}; status: ${await statusText(page)} ${alert}`);
  });
  // The validation chart follows the store at most every 500 + 330 ms (charts/useThrottled.ts).
  await page.waitForTimeout(1000);
  const sentence = await text(page, 'chart-validation-summary');
  const nums = [...sentence.matchAll(/(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)%? at step/g)].map((m) =>
    Number(m[1]),
  );
  return { first: nums[0] ?? NaN, best: nums[2] ?? NaN, sentence };
}

interface BrokenCase {
  name: string;
  files: FileSpec[];
  outcome: 'refused' | 'staged';
  /** must appear in the refusal, or in the repairs and problem details */
  expect: RegExp[];
  check?: (page: Page) => Promise<void>;
}

function brokenCases(): BrokenCase[] {
  const wide = Array.from({ length: 2500 }, (_, i) => `c${i}`).join(',');
  const markupHeader = 'task,<img src=x onerror="window.__xss=1">,y';
  return [
    {
      name: 'empty file',
      files: [csvFile('empty.csv', '')],
      outcome: 'refused',
      expect: [/empty\.csv: the file is empty/],
    },
    {
      name: 'header only',
      files: [csvFile('header-only.csv', 'task,x,y\n')],
      outcome: 'refused',
      expect: [/header-only\.csv: the file has a header row but no data rows/],
    },
    {
      name: 'duplicate header name',
      files: [csvFile('dup-header.csv', 'task,x,x,y\nt1,1,2,3\n')],
      outcome: 'refused',
      expect: [/dup-header\.csv, row 1, column "x": the header name is used twice/],
    },
    {
      name: 'empty header name',
      files: [csvFile('no-name.csv', 'task,,y\nt1,1,2\nt1,2,3\n')],
      outcome: 'refused',
      expect: [/no-name\.csv, row 1, column 2 \(B\): this column has values .* but no name/],
    },
    {
      name: 'not a text file',
      files: [csvFile('photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0, 1, 2]))],
      outcome: 'refused',
      expect: [/photo\.csv: this is not a text file/],
    },
    {
      name: 'very wide file',
      files: [csvFile('wide.csv', `${wide}\n${wide.replace(/c\d+/g, '1')}\n`)],
      outcome: 'refused',
      expect: [/wide\.csv, row 1: the header has 2500 columns; at most 2000/],
    },
    {
      name: 'target with a single value',
      files: [
        csvFile(
          'flat.csv',
          regressionCsv(5, 10, (_t, _r, c, v) => (c === 'y' ? '1.5' : v)),
        ),
      ],
      outcome: 'refused',
      expect: [/flat\.csv, column "y": the target has the same value \(1\.5\) in every row/],
    },
    {
      name: 'files with different columns',
      files: [
        csvFile('a.csv', regressionCsv(1, 10)),
        csvFile('b.csv', regressionCsv(1, 10, undefined, 'task,z,y')),
      ],
      outcome: 'refused',
      expect: [/b\.csv, row 1: its columns differ from those of a\.csv \(missing "x"; extra "z"\)/],
    },
    {
      name: 'ragged rows',
      files: [csvFile('ragged.csv', regressionCsv(5, 10).replace('t2,-2.000,', 't2,-2.000,9,'))],
      outcome: 'staged',
      expect: [
        /1 rows with the wrong number of cells \(dropped\)/,
        /ragged\.csv, row 12: the row has 4 cells/,
      ],
    },
    {
      name: 'text in a numeric column',
      files: [
        csvFile(
          'text-cell.csv',
          regressionCsv(5, 10, (t, r, c, v) => (t === 1 && r === 3 && c === 'x' ? 'abc' : v)),
        ),
      ],
      outcome: 'staged',
      expect: [/text-cell\.csv, row 5, column "x": "abc" is not a number; the row was dropped/],
    },
    {
      name: 'NaN, Infinity and empty cells',
      files: [
        csvFile(
          'gaps.csv',
          regressionCsv(5, 10, (t, r, c, v) =>
            c === 'x' && t === 2 ? (r === 1 ? 'NaN' : r === 2 ? 'Infinity' : r === 3 ? '' : v) : v,
          ),
        ),
      ],
      outcome: 'staged',
      expect: [
        /NaN or infinite cells \(filled with the meta-train mean\)/,
        /2 empty cells/,
        /gaps\.csv, row 13, column "x"/,
      ],
    },
    {
      name: 'a task with fewer rows than K + 1',
      files: [
        csvFile(
          'small-task.csv',
          regressionCsv(6, 12)
            .split('\n')
            .filter((l, i) => !(l.startsWith('t3,') && i % 12 > 2))
            .join('\n'),
        ),
      ],
      outcome: 'staged',
      expect: [/No repairs|rows/],
      check: async (page) => {
        assert.equal(
          await text(page, 'csv-largest-k'),
          '2',
          'largest K of the smallest task (3 rows)',
        );
        assert.match(await text(page, 'csv-lowered'), /Shots \(K\) = 2/);
        await typeField(page, 'Shots (K)', '5');
        const err = (await page.locator('.field-error').allTextContents()).join(' ');
        assert.match(err, /Shots \(K\): this data allows at most 2/);
        await page.keyboard.press('Escape');
      },
    },
    {
      name: 'a class with fewer than K examples',
      files: [
        csvFile(
          'few-class.csv',
          [
            'x1,x2,label',
            ...Array.from({ length: 6 }, (_, c) =>
              Array.from(
                { length: c === 5 ? 1 : c === 4 ? 3 : 8 },
                (_, i) => `${c + i / 10},${c * 2},k${c}`,
              ),
            ).flat(),
          ].join('\n'),
        ),
      ],
      outcome: 'staged',
      expect: [
        /few-class\.csv, row \d+, column "label": class "k5" has only 1 example; .* left out/,
      ],
      check: async (page) => {
        assert.equal(await text(page, 'csv-largest-k'), '2', 'largest K with a 3-example class');
      },
    },
    {
      name: 'text feature with too many categories',
      files: [
        csvFile(
          'many-cats.csv',
          regressionCsv(5, 10, undefined, 'task,x,y')
            .split('\n')
            .map((l, i) => (l === '' ? l : `${l},${i === 0 ? 'city' : `city_${i}`}`))
            .join('\n'),
        ),
      ],
      outcome: 'staged',
      expect: [
        /1 text columns with too many categories \(excluded\)/,
        /many-cats\.csv, column "city"/,
      ],
    },
    {
      name: 'names containing markup',
      files: [
        csvFile(
          'markup.csv',
          regressionCsv(
            5,
            10,
            (t, _r, c, v) => (c === 'task' && t === 1 ? '<b>bold</b>' : v),
            markupHeader,
          ),
        ),
      ],
      outcome: 'staged',
      expect: [/No repairs/],
      check: async (page) => {
        const head = await page.locator('[data-testid="csv-preview"] thead').textContent();
        assert.ok(
          head?.includes('<img src=x onerror="window.__xss=1">'),
          'the header is shown as text',
        );
        const body = await page.locator('[data-testid="csv-preview"] tbody').textContent();
        assert.ok(body?.includes('<b>bold</b>'), 'a cell with markup is shown as text');
        assert.equal(
          await page
            .locator('[data-testid="data-panel"] img, [data-testid="data-panel"] b')
            .count(),
          0,
        );
        assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
      },
    },
    {
      // issue 12: never "C\uFFFDte d'Ivoire" with "No repairs were needed"
      name: 'a Windows-1252 (Latin-1) file',
      files: [
        csvFile(
          'latin1.csv',
          Buffer.from(regressionCsv(6, 10).replace(/\bt2\b/g, "Côte d'Ivoire"), 'latin1'),
        ),
      ],
      outcome: 'staged',
      expect: [
        /read as Windows-1252/,
        /latin1\.csv: the file is not valid UTF-8 \(first at line \d+\)/,
      ],
      check: async (page) => {
        assert.doesNotMatch(await text(page, 'csv-repairs'), /No repairs/);
        const body = await page.locator('[data-testid="csv-preview"] tbody').textContent();
        assert.ok(!body?.includes('\uFFFD'), 'no replacement characters in the preview');
      },
    },
    {
      // issue 12: the ragged rows are named in the refusal
      name: 'mostly ragged rows',
      files: [csvFile('ragged.csv', 'task,x,y\nt0,1\nt0,2,3\nt1,4\nt1,5,6,7\nt2\n')],
      outcome: 'refused',
      expect: [/row 2 has 2, row 4 has 2, row 5 has 4, row 6 has 1/],
    },
    {
      name: 'several files, one task each',
      files: ['north', 'south', 'east', 'west'].map((n, i) =>
        csvFile(
          `${n}.csv`,
          regressionCsv(1, 10, (_t, _r, c, v) => (c === 'y' ? String(Number(v) + i) : v))
            .replace(/^task,/, '')
            .replace(/^t1,/gm, ''),
        ),
      ),
      outcome: 'staged',
      expect: [/No repairs|excluded/],
      check: async (page) => {
        assert.equal(await text(page, 'csv-tasks'), '4');
      },
    },
  ];
}

/** Writes a valid regression CSV of about `bytes` bytes (streamed, so Node's heap stays small). */
async function writeBigCsv(file: string, bytes: number): Promise<{ rows: number; bytes: number }> {
  const out = createWriteStream(file);
  const write = (s: string) =>
    new Promise<void>((resolve) => (out.write(s) ? resolve() : out.once('drain', resolve)));
  await write('task,x1,x2,x3,x4,y\n');
  let size = 0;
  let rows = 0;
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  while (size < bytes) {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const task = `task_${String(rows % 1000).padStart(4, '0')}`;
      const x = [rand(), rand(), rand(), rand()].map((v) => (v * 10 - 5).toFixed(5));
      const y = (Number(x[0]) * 0.7 - Number(x[1]) * 0.2 + (rows % 1000) / 100).toFixed(5);
      lines.push(`${task},${x.join(',')},${y}`);
      rows++;
    }
    const chunk = `${lines.join('\n')}\n`;
    size += chunk.length;
    await write(chunk);
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return { rows, bytes: (await stat(file)).size };
}

interface Probes {
  maxGapMs: number;
}

type ProbeWindow = Window & {
  __probes?: Probes & { stop: boolean; timer: number; last: number };
};

interface UaMemory {
  bytes: number;
  breakdown: { bytes: number; attribution: { scope: string }[] }[];
}

/** Page-side probe during an upload: the largest gap between ticks of a 50 ms timer. */
function startProbes(): void {
  const w = window as ProbeWindow;
  const p = {
    maxGapMs: 0,
    stop: false,
    last: performance.now(),
    timer: 0,
  };
  w.__probes = p;
  p.timer = window.setInterval(() => {
    const now = performance.now();
    p.maxGapMs = Math.max(p.maxGapMs, now - p.last);
    p.last = now;
  }, 50);
}

/**
 * The memory the worker holds (cross-origin isolated pages only): Chrome
 * answers performance.measureUserAgentSpecificMemory() at its next garbage
 * collection, so it is asked once the upload is staged, when the parsed
 * tables and the built tasks are all alive.
 */
async function workerMemory(): Promise<{ bytes: number; error: string | null }> {
  const perf = performance as Performance & {
    measureUserAgentSpecificMemory?: () => Promise<UaMemory>;
  };
  if (!perf.measureUserAgentSpecificMemory)
    return { bytes: 0, error: 'measureUserAgentSpecificMemory is not available' };
  try {
    const m = await perf.measureUserAgentSpecificMemory();
    const bytes = m.breakdown
      .filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope'))
      .reduce((n, b) => n + b.bytes, 0);
    return { bytes, error: null };
  } catch (e) {
    return { bytes: 0, error: String(e) };
  }
}

function stopProbes(): Probes {
  const p = (window as ProbeWindow).__probes!;
  p.stop = true;
  clearInterval(p.timer);
  return {
    maxGapMs: Math.round(p.maxGapMs),
  };
}

export function csvTests(ctx: E2EContext): TestCase[] {
  let page: Page | undefined;
  let errors: string[] = [];
  /** The tests share one page; one run alone (E2E_ONLY) opens its own. */
  const shared = async (): Promise<Page> => {
    if (!page || page.isClosed()) ({ page, errors } = await openWasm(ctx));
    return page;
  };
  return [
    {
      name: 'csv: station-temperatures.csv via "Upload CSV", guessed roles, MAML improves meta-validation MSE (wasm)',
      timeoutMs: 120_000,
      fn: async () => {
        const page = await shared();
        const file = path.join(root, 'public/samples/station-temperatures.csv');
        await uploadInput(page, file);
        assert.equal(await uploadOutcome(page, 'station-temperatures.csv'), 'staged');
        assert.match(await text(page, 'csv-summary'), /\(in use\)/);
        assert.equal(await page.getByLabel('Task column', { exact: true }).inputValue(), 'station');
        assert.equal(
          await page.getByLabel('Target column', { exact: true }).inputValue(),
          'temp_c',
        );
        assert.equal(
          await page.getByLabel('Problem type', { exact: true }).inputValue(),
          'regression',
        );
        assert.match(await text(page, 'data-summary'), /^Regression · 1 input/);
        record('station-temperatures: summary', {
          rows: await text(page, 'csv-rows'),
          tasks: await text(page, 'csv-tasks'),
          split: await text(page, 'csv-split'),
          largestK: await text(page, 'csv-largest-k'),
        });
        const shot = path.join(ctx.outDir, 'csv-data-panel.png');
        await page.getByTestId('data-panel').screenshot({ path: shot });
        artifacts.push(shot);
        const v = await trainBriefly(page, 150, {
          'Meta learning rate (β)': '0.01',
          'Validate every': '25',
          'Validation tasks': '20',
        });
        record('station-temperatures: meta-validation', v.sentence);
        assert.ok(
          v.best < v.first,
          `validation MSE must improve: first ${v.first}, best ${v.best}`,
        );
        assert.deepEqual(errors, [], 'page errors');
      },
    },
    {
      name: 'csv: leaf-measurements.csv via "Upload CSV" (episodic), MAML improves meta-validation accuracy (wasm)',
      timeoutMs: 120_000,
      fn: async () => {
        const page = await shared();
        await resetIfRun(page);
        const file = path.join(root, 'public/samples/leaf-measurements.csv');
        await uploadInput(page, file);
        assert.equal(await uploadOutcome(page, 'leaf-measurements.csv'), 'staged');
        assert.match(await text(page, 'csv-summary'), /\(in use\)/);
        assert.equal(
          await page.getByLabel('Target column', { exact: true }).inputValue(),
          'species',
        );
        assert.equal(
          await page.getByLabel('Problem type', { exact: true }).inputValue(),
          'classification',
        );
        assert.equal(
          await page.getByLabel('Classification mode', { exact: true }).inputValue(),
          'episodic',
        );
        record('leaf-measurements: summary', {
          classes: (await text(page, 'csv-classes')).slice(0, 60),
          split: await text(page, 'csv-split'),
          largestK: await text(page, 'csv-largest-k'),
        });
        const v = await trainBriefly(page, 100, {
          'Shots (K)': '5',
          Queries: '5',
          'Inner learning rate (α)': '0.1',
        });
        record('leaf-measurements: meta-validation', v.sentence);
        assert.ok(
          v.best > v.first,
          `validation accuracy must improve: first ${v.first}%, best ${v.best}%`,
        );
        assert.deepEqual(errors, [], 'page errors');
      },
    },
    {
      name: 'csv: column roles are editable; a refused change keeps the roles shown',
      timeoutMs: 30_000,
      fn: async () => {
        const page = await shared();
        await resetIfRun(page);
        await uploadInput(page, path.join(root, 'public/samples/leaf-measurements.csv'));
        assert.equal(await uploadOutcome(page, 'leaf-measurements.csv'), 'staged');
        assert.match(await text(page, 'data-summary'), /4 inputs/);
        const settled = () =>
          waitFor(
            'the roles to be applied',
            async () => (await page.getByText('Applying the column roles…').count()) === 0,
            15_000,
            100,
          );
        // Exclude a feature: the model has one input fewer. (A click, not uncheck(): the box
        // follows the worker's rebuild, so it changes a moment after the click.)
        await page.getByRole('checkbox', { name: /^serrations/ }).click();
        await settled();
        await waitFor(
          'three inputs',
          async () => /3 inputs/.test(await text(page, 'data-summary')),
          15_000,
        );
        // Per-task labels need a task column: refused, the mode shown stays episodic.
        await page.getByLabel('Classification mode', { exact: true }).selectOption('per-task');
        await settled();
        assert.match(
          await text(page, 'csv-refusal'),
          /Roles not changed: leaf-measurements\.csv: per-task classification needs a task column/,
        );
        assert.equal(
          await page.getByLabel('Classification mode', { exact: true }).inputValue(),
          'episodic',
        );
        // Back to all four features.
        await page.getByRole('checkbox', { name: /^serrations/ }).click();
        await settled();
        await waitFor(
          'four inputs',
          async () => /4 inputs/.test(await text(page, 'data-summary')),
          15_000,
        );
        assert.equal(await page.getByTestId('csv-refusal').count(), 0);
      },
    },
    {
      name: 'csv: broken files each show their message; a refusal keeps the data in use',
      timeoutMs: 90_000,
      fn: async () => {
        const page = await shared();
        await resetIfRun(page);
        // "Try a sample" puts a known dataset in use first.
        await page.getByRole('button', { name: /Station temperatures/ }).click();
        assert.equal(await uploadOutcome(page, 'station-temperatures.csv'), 'staged');
        let inUse = 'station-temperatures.csv';
        const shown: Record<string, string> = {};
        for (const c of brokenCases()) {
          const names = c.files.map((f) => f.name).join(', ');
          await uploadInput(page, c.files);
          const outcome = await uploadOutcome(page, names);
          assert.equal(outcome, c.outcome, `${c.name}: expected ${c.outcome}`);
          let message: string;
          if (outcome === 'refused') {
            message = await text(page, 'csv-refusal');
            // The data in use is untouched.
            const h = (await page.locator('[data-testid="csv-summary"] h3').textContent()) ?? '';
            assert.ok(h.startsWith(inUse), `${c.name}: still showing ${inUse}, got ${h}`);
            assert.match(await text(page, 'csv-summary'), /\(in use\)/);
          } else {
            inUse = names;
            message = `${await text(page, 'csv-repairs')} | ${
              (await page.getByTestId('csv-problems').count()) > 0
                ? await text(page, 'csv-problems')
                : ''
            }`;
          }
          for (const re of c.expect) assert.match(message, re, `${c.name}: ${message}`);
          await c.check?.(page);
          shown[c.name] = message.slice(0, 160);
        }
        record('broken files: messages shown', shown);
        assert.deepEqual(errors, [], 'page errors');
      },
    },
    {
      name: 'csv: drag and drop onto the data panel uploads',
      timeoutMs: 30_000,
      fn: async () => {
        const page = await shared();
        await page.evaluate(
          (csv) => {
            const dt = new DataTransfer();
            dt.items.add(new File([csv], 'dropped.csv', { type: 'text/csv' }));
            const panel = document.querySelector('[data-testid="data-panel"]') as HTMLElement;
            panel.dispatchEvent(
              new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }),
            );
            panel.dispatchEvent(
              new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
            );
          },
          regressionCsv(5, 10),
        );
        assert.equal(await uploadOutcome(page, 'dropped.csv'), 'staged');
        await page.close();
      },
    },
    {
      name: 'csv: a generated 50 MB CSV shows a progress bar, the page stays responsive',
      timeoutMs: 150_000,
      fn: async () => {
        const file = path.join(ctx.outDir, 'generated-50mb.csv');
        const t0 = performance.now();
        const made = await writeBigCsv(file, 50 * 1024 * 1024);
        log(
          `wrote ${file}: ${(made.bytes / 2 ** 20).toFixed(1)} MiB, ${made.rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
        const opened = await openWasm(ctx);
        const page = opened.page;
        errors = opened.errors;
        const since = await pageNow(page);
        await page.evaluate(startProbes);
        const start = Date.now();
        const at: Record<string, number> = {};
        await uploadInput(page, file);
        const bar = page.getByRole('progressbar', { name: /Reading generated-50mb\.csv/ });
        await bar.waitFor({ state: 'visible', timeout: 10_000 });
        at.barVisible = Date.now() - start;
        let seenValue = 0;
        let samples = 0;
        while ((await bar.count()) > 0) {
          const v = Number((await bar.getAttribute('value').catch(() => null)) ?? 0);
          if (v >= 1 && seenValue < 1) at.barFull = Date.now() - start;
          seenValue = Math.max(seenValue, v);
          samples++;
          await new Promise((r) => setTimeout(r, 200));
        }
        at.barGone = Date.now() - start;
        assert.equal(await uploadOutcome(page, 'generated-50mb.csv', 120_000), 'staged');
        at.summary = Date.now() - start;
        const probes = await page.evaluate(stopProbes);
        const t1 = Date.now();
        const mem = await page.evaluate(workerMemory);
        log(`measureUserAgentSpecificMemory answered in ${Date.now() - t1} ms`);
        const timing = page.getByTestId('csv-timing');
        const parseMs = Number(await timing.getAttribute('data-parse-ms'));
        const buildMs = Number(await timing.getAttribute('data-build-ms'));
        const peak = Number(await timing.getAttribute('data-peak-bytes'));
        const method = await timing.getAttribute('data-memory-method');
        const longest = await worstLongTask(page, since);
        record('50 MB CSV: file', { bytes: made.bytes, rows: made.rows });
        record('50 MB CSV: progress bar', { samples, highestValue: seenValue, msAfterUpload: at });
        record(
          '50 MB CSV: parse time (worker, Papa streaming)',
          `${(parseMs / 1000).toFixed(2)} s`,
        );
        record('50 MB CSV: build time (roles, tasks, report)', `${(buildMs / 1000).toFixed(2)} s`);
        record('50 MB CSV: upload to summary (wall)', `${(at.summary / 1000).toFixed(2)} s`);
        record(
          '50 MB CSV: worker peak memory',
          mem.bytes > 0
            ? `${(mem.bytes / 2 ** 20).toFixed(0)} MiB held by the worker once the upload is staged, tables and tasks alive (performance.measureUserAgentSpecificMemory from the page, bytes attributed to the dedicated worker)`
            : peak > 0
              ? `${(peak / 2 ** 20).toFixed(0)} MiB (${method}, in the worker)`
              : `unavailable (${mem.error ?? method})`,
        );
        record('50 MB CSV: main thread while reading', {
          longestTaskMs: longest.ms,
          longTasks: longest.count,
          longestTimerGapMs: probes.maxGapMs,
        });
        assert.ok(samples >= 2, 'the progress bar was visible while reading');
        assert.ok(longest.ms < 500, `the page stayed responsive (longest task ${longest.ms} ms)`);
        // Long tasks say whether the main thread was blocked; the timer gap also counts the
        // time the OS gave the two cores to the worker and Node, so it is recorded, not asserted.
        assert.match(await text(page, 'csv-rows'), new RegExp(made.rows.toLocaleString('en-US')));
        assert.deepEqual(errors, [], 'page errors');
        await page.close();
      },
    },
  ];
}
