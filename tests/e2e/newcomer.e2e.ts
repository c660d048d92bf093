/**
 * Issue 12 as a newcomer meets it, in real Chromium (wasm backend): messages
 * where the eyes are (an interrupted run and a link from a newer version on
 * the first screen), the Task family selector showing the data in use while
 * a newer upload is only staged, Train disabled with the reason when the
 * configuration does not fit the data, session rows named and not imported
 * twice, a phone-width layout, and the picture of the data before training
 * with Restore defaults and New random seed. Each test failed on the page
 * before the change it checks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { E2EContext } from './context';
import { assert, record, type TestCase } from './harness';
import { button, stepCount, typeField, waitFor } from './app-page';

const root = path.resolve(import.meta.dirname, '../..');

async function newPage(
  ctx: E2EContext,
  width = 1280,
  height = 900,
): Promise<{ c: BrowserContext; page: Page }> {
  const c = await ctx.browser.newContext({ viewport: { width, height } });
  const page = await c.newPage();
  await page.goto(`${ctx.appUrl}?backend=wasm`);
  await waitFor('the Train button', () => button(page, 'Train').isEnabled(), 60_000);
  return { c, page };
}

const text = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).first().textContent()) ?? '';

/** True when the element's box lies within the first screen (no scrolling). */
async function onFirstScreen(page: Page, testId: string): Promise<boolean> {
  return page
    .getByTestId(testId)
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
    });
}

async function uploadCsv(page: Page, name: string, body: string | Buffer): Promise<void> {
  await page.getByLabel('Upload CSV', { exact: true }).setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  });
}

async function waitStaged(page: Page, name: string): Promise<void> {
  await waitFor(
    `${name} to be read`,
    async () =>
      (await page.getByTestId('csv-progress').count()) === 0 &&
      ((await page.locator('[data-testid="csv-summary"] h3').textContent()) ?? '').startsWith(name),
    30_000,
    100,
  );
}

/** The text a control's aria-describedby points at (its help line, its error). */
async function describedBy(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/** The selected option's text of the Task family selector. */
async function familyShown(page: Page): Promise<string> {
  return page
    .getByLabel('Task family', { exact: true })
    .evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
}

/** Episodic classification rows: `classes` labels c1..cn, `per` examples each, two numeric inputs. */
function classesCsv(classes: number, per: number): string {
  const lines = ['x1,x2,label'];
  for (let c = 1; c <= classes; c++)
    for (let i = 0; i < per; i++)
      lines.push(`${(c + 0.1 * i).toFixed(2)},${(c * 0.5 - 0.07 * i).toFixed(2)},c${c}`);
  return `${lines.join('\n')}\n`;
}

/** WCAG relative luminance contrast of two "rgb(r, g, b)" colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export function newcomerTests(ctx: E2EContext): TestCase[] {
  return [
    {
      name: 'newcomer: a reload mid-run says on the first screen that the run was interrupted, with Resume; a newer link is explained there too',
      timeoutMs: 150_000,
      fn: async () => {
        const { c, page } = await newPage(ctx);
        try {
          await typeField(page, 'Meta-steps', '100000');
          await button(page, 'Train').click();
          await page.getByTestId('autosave-status').waitFor({ timeout: 60_000 });
          await page.close({ runBeforeUnload: false });
          const again = await c.newPage();
          await again.goto(`${ctx.appUrl}?backend=wasm`);
          const offer = again.getByTestId('resume-offer');
          await offer.waitFor({ timeout: 30_000 });
          const said = (await offer.textContent()) ?? '';
          record('newcomer: resume offer after a reload', said);
          assert.ok(await onFirstScreen(again, 'resume-offer'), 'the offer is on the first screen');
          assert.match(said, /interrupted/);
          assert.ok(
            await offer.getByRole('button', { name: 'Resume from checkpoint' }).isVisible(),
            'Resume is offered',
          );
          // A link made by a newer version: its message is on the first screen as well.
          await again.goto(`${ctx.appUrl}?backend=wasm#s9.AAAA`);
          await again.getByTestId('session-message').waitFor({ timeout: 15_000 });
          assert.match(await text(again, 'session-message'), /newer version/);
          assert.ok(await onFirstScreen(again, 'session-message'), 'the link message is seen');
        } finally {
          await c.close();
        }
      },
    },
    {
      name: 'newcomer: the selector shows the data in use while a newer upload is staged; a refusal names its file',
      timeoutMs: 150_000,
      fn: async () => {
        const { c, page } = await newPage(ctx);
        try {
          await uploadCsv(page, 'ten-classes.csv', classesCsv(10, 12));
          await waitStaged(page, 'ten-classes.csv');
          await waitFor(
            'the CSV in use',
            async () => /ten-classes/.test(await familyShown(page)),
            30_000,
          );
          await typeField(page, 'Meta-steps', '5');
          await button(page, 'Train').click();
          await waitFor('the run to end', async () => (await stepCount(page)) >= 5, 60_000);
          // A run exists: the next upload is only staged.
          const station = readFileSync(path.join(root, 'public/samples/station-temperatures.csv'));
          await uploadCsv(page, 'station-temperatures.csv', station);
          await waitStaged(page, 'station-temperatures.csv');
          const shown = await familyShown(page);
          const desc = await describedBy(page, 'Task family');
          record('newcomer: selector / description while another upload is staged', {
            shown,
            desc,
          });
          assert.match(shown, /ten-classes\.csv/, 'the selector shows the CSV in use');
          assert.doesNotMatch(desc, /A·sin/, 'the description is not the sinusoid');
          const options = await page
            .getByLabel('Task family', { exact: true })
            .locator('option')
            .allTextContents();
          assert.ok(
            options.some((o) => /not in use yet: station-temperatures\.csv/.test(o)),
            `a separate choice for the staged upload: ${options.join(' | ')}`,
          );
          assert.match(await text(page, 'csv-staged-note'), /station-temperatures\.csv/);
          // A refused file: the message names it and sits in the Training panel.
          await uploadCsv(page, 'broken.csv', 'only,a,header\n');
          const refusal = page.getByTestId('csv-refusal');
          await refusal.waitFor({ timeout: 30_000 });
          const said = (await refusal.textContent()) ?? '';
          record('newcomer: refusal', said);
          assert.match(said, /broken\.csv/);
          assert.equal(
            await page.getByTestId('data-panel').getByTestId('csv-refusal').count(),
            0,
            'the refusal is not above the staged upload',
          );
        } finally {
          await c.close();
        }
      },
    },
    {
      name: 'newcomer: Train is disabled with the reason when the configuration does not fit the data',
      timeoutMs: 90_000,
      fn: async () => {
        const { c, page } = await newPage(ctx);
        try {
          await uploadCsv(page, 'ten-classes.csv', classesCsv(10, 8));
          await waitStaged(page, 'ten-classes.csv');
          await waitFor(
            'the CSV in use',
            async () => /ten-classes/.test(await familyShown(page)),
            30_000,
          );
          const largestK = Number(await text(page, 'csv-largest-k'));
          const waysHelp = await describedBy(page, 'Ways (N)');
          record('newcomer: Ways help and largest K', { waysHelp, largestK });
          assert.match(waysHelp, /10 classes split \d+\/\d+\/\d+; meta-\w+ has \d+ classes/);
          // K = largest leaves one query per class: the help proposes a smaller K.
          await typeField(page, 'Shots (K)', String(largestK));
          const kHelp = await describedBy(page, 'Shots (K)');
          record('newcomer: Shots help at the largest K', kHelp);
          assert.match(kHelp, /leaves one example per task for the query; K = \d+ leaves/);
          // Queries that fit K = 2, then a larger K: the queries no longer fit.
          await typeField(page, 'Shots (K)', '2');
          await typeField(page, 'Queries', String(largestK - 1));
          assert.ok(await button(page, 'Train').isEnabled(), 'K = 2 fits');
          await typeField(page, 'Shots (K)', String(largestK - 1));
          await waitFor(
            'Train to be disabled',
            async () => !(await button(page, 'Train').isEnabled()),
            5000,
          );
          const why = await text(page, 'train-blocked');
          record('newcomer: why Train waits', why);
          assert.match(why, new RegExp(`Queries is ${largestK - 1}`));
          assert.match(why, new RegExp(`K = ${largestK - 1}`));
          // The field itself is marked, quoting its current value.
          const queries = page.getByLabel('Queries', { exact: true });
          assert.equal(await queries.getAttribute('aria-invalid'), 'true');
          assert.match(
            await describedBy(page, 'Queries'),
            new RegExp(`Queries is ${largestK - 1}`),
          );
        } finally {
          await c.close();
        }
      },
    },
    {
      name: 'newcomer: session rows are named, steps agree with the banner, the same file is not imported twice',
      timeoutMs: 150_000,
      fn: async () => {
        const { c, page } = await newPage(ctx);
        try {
          await typeField(page, 'Meta-steps', '100000');
          await button(page, 'Train').click();
          const banner = page.getByTestId('autosave-status');
          await banner.waitFor({ timeout: 60_000 });
          const firstSaved = Number(await banner.getAttribute('data-step'));
          await waitFor(
            'a later autosave',
            async () => Number(await banner.getAttribute('data-step')) > firstSaved,
            90_000,
          );
          await page.waitForTimeout(500);
          const [bannerStep, rowSteps] = await Promise.all([
            banner.getAttribute('data-step'),
            page
              .getByTestId('session-row')
              .first()
              .textContent()
              .then((t) => /(\d+)\s+steps/.exec(t ?? '')?.[1] ?? 'none'),
          ]);
          record('newcomer: banner step / row steps', { bannerStep, rowSteps });
          assert.equal(
            Number(rowSteps),
            Number(bannerStep),
            'the list counts what the banner says',
          );
          await button(page, 'Stop').click();
          await waitFor('the run to stop', async () => button(page, 'Train').isEnabled(), 30_000);
          const name =
            (await page.getByTestId('session-row').first().getAttribute('data-name')) ?? '';
          for (const verb of ['Open', 'Rename', 'Duplicate', 'Delete'])
            assert.equal(
              await page.getByRole('button', { name: `${verb} ${name}`, exact: true }).count(),
              1,
              `"${verb} ${name}" names its session`,
            );
          const dl = page.waitForEvent('download');
          await button(page, 'Export session').click();
          const file = path.join(ctx.outDir, 'newcomer-session.json');
          await (await dl).saveAs(file);
          const rowsBefore = await page.getByTestId('session-row').count();
          await page.getByTestId('import-session').setInputFiles(file);
          await waitFor(
            'the first import',
            async () => (await page.getByTestId('session-row').count()) >= rowsBefore,
            10_000,
          );
          await page.getByTestId('import-session').setInputFiles(file);
          await waitFor(
            'the second import message',
            async () => /imported before/.test(await text(page, 'session-message')),
            10_000,
          );
          record('newcomer: second import', await text(page, 'session-message'));
          assert.equal(await page.getByTestId('session-row').count(), rowsBefore);
        } finally {
          await c.close();
        }
      },
    },
    {
      name: 'newcomer: phone width — no sideways scroll, Train on the first screen, captions wrap; tab order and focus ring',
      timeoutMs: 90_000,
      fn: async () => {
        const phone = await newPage(ctx, 390, 844);
        try {
          const { page } = phone;
          await page.getByRole('button', { name: /Leaf measurements/ }).click();
          await waitStaged(page, 'leaf-measurements.csv');
          const layout = await page.evaluate(() => {
            const train = [...document.querySelectorAll('button')].find(
              (b) => b.textContent === 'Train',
            );
            const cut = [...document.querySelectorAll('caption')]
              .filter((c) => c.getBoundingClientRect().right > window.innerWidth + 1)
              .map((c) => c.textContent);
            return {
              scrollWidth: document.documentElement.scrollWidth,
              // from the top of the page, wherever the sample's button scrolled it
              trainBottom: (train?.getBoundingClientRect().bottom ?? Infinity) + window.scrollY,
              cut,
            };
          });
          record('newcomer: phone layout', layout);
          assert.ok(layout.scrollWidth <= 390, `no sideways scroll (${layout.scrollWidth} px)`);
          assert.ok(layout.trainBottom <= 844, `Train on the first screen (${layout.trainBottom})`);
          assert.deepEqual(layout.cut, [], 'captions wrap inside the screen');
        } finally {
          await phone.c.close();
        }
        const { c, page } = await newPage(ctx);
        try {
          const order: string[] = [];
          for (let i = 0; i < 80; i++) {
            await page.keyboard.press('Tab');
            order.push(
              await page.evaluate(() => {
                const a = document.activeElement as HTMLElement;
                const where = a.closest('.sessions') ? 'sessions:' : '';
                return where + (a.getAttribute('aria-label') ?? a.textContent ?? '').trim();
              }),
            );
            if (order.at(-1) === 'Train') {
              const ring = await page.evaluate(() => {
                const a = document.activeElement as HTMLElement;
                const s = getComputedStyle(a);
                const bg = getComputedStyle(a.closest('.panel') ?? document.body).backgroundColor;
                return { color: s.outlineColor, style: s.outlineStyle, width: s.outlineWidth, bg };
              });
              const ratio = contrast(ring.color, ring.bg);
              record('newcomer: focus ring on Train', { ...ring, ratio });
              assert.notEqual(ring.style, 'none');
              assert.ok(ratio >= 3, `focus ring contrast ${ratio.toFixed(2)} ≥ 3`);
            }
          }
          const train = order.indexOf('Train');
          const sessions = order.findIndex((o) => o.startsWith('sessions:'));
          record('newcomer: tab positions of Train / first session control', { train, sessions });
          assert.ok(train >= 0 && (sessions < 0 || train < sessions), 'Train before the sessions');
        } finally {
          await c.close();
        }
      },
    },
    {
      name: 'newcomer: a picture of the data before training; Restore defaults and New random seed',
      timeoutMs: 90_000,
      fn: async () => {
        const { c, page } = await newPage(ctx);
        try {
          const preview = page.getByTestId('data-preview');
          await preview.waitFor({ timeout: 10_000 });
          assert.ok(await onFirstScreen(page, 'data-preview'), 'on the first screen');
          // The chart worker draws the panels after the figure appears.
          await waitFor(
            'the sample points drawn',
            async () => (await preview.locator('circle').count()) >= 20,
            10_000,
          );
          const circles = await preview.locator('circle').count();
          const first = await text(page, 'data-preview-summary');
          record('newcomer: sinusoid picture', { circles, first });
          assert.ok(circles >= 20, `sample points drawn (${circles})`);
          assert.match(first, /sample tasks of Sinusoid.*seed 1/);
          await button(page, 'New random seed').click();
          const seed = await page.getByLabel('Seed', { exact: true }).inputValue();
          assert.notEqual(seed, '1');
          // The worker draws the new picture once the edit has settled (store/preview-sync.ts).
          await waitFor(
            `the picture of seed ${seed}`,
            async () =>
              new RegExp(`seed ${seed}\\b`).test(await text(page, 'data-preview-summary')),
            10_000,
          );
          await typeField(page, 'Meta-steps', '77');
          await button(page, 'Restore defaults').click();
          assert.equal(await page.getByLabel('Meta-steps', { exact: true }).inputValue(), '1000');
          assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '1');
          await page.getByRole('button', { name: /Leaf measurements/ }).click();
          await waitStaged(page, 'leaf-measurements.csv');
          await waitFor(
            'the leaf picture',
            async () => /leaf_length_mm/.test(await text(page, 'data-preview-summary')),
            10_000,
          );
          const leaf = await text(page, 'data-preview-summary');
          record('newcomer: leaf picture', leaf);
          assert.match(leaf, /\d+ classes/);
          await waitFor(
            'the leaf points drawn',
            // a second class: the leaf picture's points, not the sinusoid's still standing in
            async () =>
              (await preview.locator('circle[data-class="1"]').count()) > 0 &&
              (await preview.locator('circle').count()) >= 20,
            10_000,
          );
        } finally {
          await c.close();
        }
      },
    },
  ];
}
