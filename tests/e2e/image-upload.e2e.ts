/**
 * Your own image classes in the app (issue 13, item 4), on WASM, driven
 * through what a person sees and uses:
 * - a zip generated here (10 classes of seven 28×28 PNGs and a text file)
 *   is uploaded with "Upload images (zip)"; the summary shows the classes,
 *   images per class, the split, a named thumbnail per class and the text
 *   file named and counted as skipped; the configuration switches to the
 *   image defaults (ProtoNet on Conv-4), lowered to what 10 classes allow;
 *   a few ProtoNet steps train and finish;
 * - then one upload per bad input, each showing its message while the data
 *   in use stays what it was: a non-image file, a corrupt image, a class
 *   with fewer than K + Q images, a 200-megapixel image (a PNG header only),
 *   a zip bomb (a declared size of 3.75 GiB, refused before inflating), an
 *   empty zip and an empty folder;
 * - the session autosaved from that run, opened again, asks for the zip
 *   (a different zip is refused, naming what differs) and loads the same classes;
 * - a folder picked with "Upload image folder" and a zip dropped on the
 *   panel are staged like the zip;
 * - a session trained on a picked folder, opened again, asks for the zip or
 *   the folder: another folder is refused with what differs named (a class
 *   missing, a class with other images) and the prompt and the data in use
 *   stay; a zip of the same files (packed differently) loads the classes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { encode as encodePng } from 'fast-png';
import type { Page } from 'playwright-core';
import { openPage } from './browser';
import type { E2EContext } from './context';
import { assert, record, type TestCase } from './harness';
import { button, statusText, stepCount, typeField, waitFor } from './app-page';

const STEPS = 5;
const CLASSES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
const ZIP_LABEL = 'Upload images (zip)';
const FOLDER_LABEL = 'Upload image folder';

/** A 28×28 white PNG with a dark bar whose place and width depend on the class and image. */
function png(cls: number, i: number, w = 28, h = 28): Uint8Array {
  const rgba = new Uint8Array(w * h * 4).fill(255);
  const col = (cls * 5 + (i % 2)) % (w - 4);
  for (let y = 0; y < h; y++)
    for (let x = col; x < col + 3 + (cls % 3); x++) rgba.set([0, 0, 0, 255], (y * w + x) * 4);
  return encodePng({ width: w, height: h, data: rgba, channels: 4, depth: 8 });
}

function letterFiles(per = 7, classes = CLASSES): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  classes.forEach((c, ci) => {
    for (let i = 0; i < per; i++) files[`letters/${c}/${i}.png`] = png(ci, i);
  });
  return files;
}

/** A PNG whose header claims w×h and that carries no real pixels (image-size reads the header only). */
function pngHeaderOnly(w: number, h: number): Uint8Array {
  const out = png(0, 0).slice();
  const v = new DataView(out.buffer);
  v.setUint32(16, w);
  v.setUint32(20, h);
  return out;
}

/** A zip whose one entry declares `size` bytes uncompressed (central directory and local header). */
function lyingZip(size: number): Uint8Array {
  const bytes = zipSync({ 'letters/a/1.png': new Uint8Array(100) });
  const v = new DataView(bytes.buffer);
  for (let i = 0; i + 4 <= bytes.length; i++) {
    if (v.getUint32(i, true) === 0x02014b50) v.setUint32(i + 24, size, true);
    if (v.getUint32(i, true) === 0x04034b50) v.setUint32(i + 22, size, true);
  }
  return bytes;
}

const zipOf = (files: Record<string, Uint8Array>) => Buffer.from(zipSync(files, { level: 6 }));

async function uploadZip(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page
    .getByLabel(ZIP_LABEL, { exact: true })
    .setInputFiles({ name, mimeType: 'application/zip', buffer: Buffer.from(bytes) });
}

/** Waits for the upload to end: 'refused' (with the message) or 'staged' (the summary names it). */
async function outcome(page: Page, name: string): Promise<'refused' | 'staged'> {
  let result: 'refused' | 'staged' | null = null;
  await waitFor(
    `the outcome of ${name}`,
    async () => {
      const refusal = page.getByTestId('images-refusal');
      if ((await refusal.count()) > 0 && ((await refusal.textContent()) ?? '').includes(name))
        result = 'refused';
      const summary = page.getByTestId('images-summary').locator('h3');
      if ((await summary.count()) > 0 && ((await summary.textContent()) ?? '').startsWith(name))
        result = 'staged';
      return result !== null;
    },
    30_000,
  );
  return result as unknown as 'refused' | 'staged';
}

const text = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).textContent()) ?? '';

export function imageUploadTests(ctx: E2EContext): TestCase[] {
  let page: Page;
  let errors: string[] = [];
  /** what the page says of the data in use after the good upload */
  let inUse = { summary: '', description: '' };
  /** the zip trained on, chosen again when its session is opened */
  let lettersZip: Buffer = Buffer.alloc(0);
  return [
    {
      name: 'image upload: a generated zip of classes is summarized and ProtoNet trains on it (WASM)',
      timeoutMs: 120_000,
      fn: async () => {
        ({ page, errors } = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`));
        await waitFor('the Train button', () => button(page, 'Train').isEnabled(), 60_000);
        const files = letterFiles();
        files['letters/notes.txt'] = new TextEncoder().encode('not an image');
        const t0 = Date.now();
        lettersZip = zipOf(files);
        await uploadZip(page, 'letters.zip', lettersZip);
        assert.equal(await outcome(page, 'letters.zip'), 'staged');
        await waitFor(
          'the data summary of the upload',
          async () => (await text(page, 'data-summary')).includes('28×28 grayscale images'),
          20_000,
        );
        record('image upload: 70 images staged and in use (s)', (Date.now() - t0) / 1000);
        assert.match(await text(page, 'images-count'), /70 images in 10 classes/);
        assert.match(await text(page, 'images-split'), /6 \/ 2 \/ 2 classes/);
        assert.match(await text(page, 'images-skipped'), /1 file skipped: 1 file is not an image/);
        assert.match(await text(page, 'images-problems'), /letters\/notes\.txt is not a PNG/);
        assert.equal(
          await page.getByRole('img', { name: /^first image of class / }).count(),
          10,
          'a named thumbnail per class',
        );
        const rows = await page.getByTestId('images-classes').locator('tr').allTextContents();
        assert.equal(rows.length, 10);
        assert.ok(
          rows.every((r) => /meta-(train|val|test)7$/.test(r)),
          `7 images a class: ${rows[0]}`,
        );
        assert.match(await text(page, 'config-note'), /image defaults.*Conv-4/);
        assert.equal(await page.getByLabel('Algorithm', { exact: true }).inputValue(), 'protonet');
        // 10 classes split 6 / 2 / 2: every episode can find 2 classes.
        assert.equal(await page.getByLabel('Ways (N)', { exact: true }).inputValue(), '2');
        assert.match(
          await page
            .getByLabel('Task family', { exact: true })
            .locator('option:checked')
            .innerText(),
          /Uploaded images \(in use\): letters\.zip/,
        );
        inUse = {
          summary: await text(page, 'data-summary'),
          description: await text(page, 'data-description'),
        };
        await typeField(page, 'Queries', '2');
        await typeField(page, 'Meta-steps', String(STEPS));
        await page.getByText('More settings (validation, early stopping)').click();
        await typeField(page, 'Validation tasks', '2');
        const t1 = Date.now();
        await button(page, 'Train').click();
        await waitFor(
          `step ${STEPS} and the end of the run`,
          async () => {
            const error = page.getByTestId('error-message');
            if ((await error.count()) > 0)
              throw new Error(`training failed: ${await error.textContent()}`);
            return /Finished|Stopped/.test(await statusText(page));
          },
          90_000,
        );
        record(
          `image upload: ${STEPS} ProtoNet steps on WASM incl. compile (s)`,
          (Date.now() - t1) / 1000,
        );
        record('image upload: status after the run', await statusText(page));
        assert.ok((await stepCount(page)) >= 1, 'steps were taken');
        assert.deepEqual(errors, [], 'page errors');
      },
    },
    {
      name: 'image upload: each bad input shows its message and the data in use stays',
      timeoutMs: 120_000,
      fn: async () => {
        const good = letterFiles();
        const corruptPng = new Uint8Array([
          0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3,
        ]);
        const cases: {
          name: string;
          bytes: Uint8Array;
          expect: 'refused' | 'staged';
          message: RegExp;
          testId: string;
        }[] = [
          {
            name: 'with-text.zip',
            bytes: zipOf({ ...good, 'letters/a/readme.txt': new TextEncoder().encode('hi') }),
            expect: 'staged',
            message: /letters\/a\/readme\.txt is not a PNG, JPEG, WebP or BMP image; skipped/,
            testId: 'images-problems',
          },
          {
            name: 'corrupt.zip',
            bytes: zipOf({ ...good, 'letters/a/9.png': corruptPng }),
            expect: 'staged',
            message: /letters\/a\/9\.png looks like a PNG image but cannot be decoded/,
            testId: 'images-problems',
          },
          {
            name: 'small-class.zip',
            bytes: zipOf({ ...good, 'letters/k/0.png': png(3, 0), 'letters/k/1.png': png(3, 1) }),
            expect: 'staged',
            // K = 1 and 2 queries after the run above
            message: /class "k" has 2 images, but episodes need K \+ Q = 3 per class.*add 1 more/,
            testId: 'images-problems',
          },
          {
            name: 'huge.zip',
            bytes: zipOf({ ...good, 'letters/a/huge.png': pngHeaderOnly(20_000, 10_000) }),
            expect: 'staged',
            message:
              /letters\/a\/huge\.png is 20000×10000 \(200\.0 megapixels\), more than the limit of 50 megapixels; skipped without decoding/,
            testId: 'images-problems',
          },
          {
            name: 'bomb.zip',
            bytes: lyingZip(0xf0000000),
            expect: 'refused',
            message:
              /bomb\.zip would unpack to 3840 MiB, more than the limit of 1024 MiB.*nothing was unpacked/,
            testId: 'images-refusal',
          },
          {
            name: 'empty.zip',
            bytes: zipOf({}),
            expect: 'refused',
            message: /empty\.zip is empty: no files found/,
            testId: 'images-refusal',
          },
        ];
        const shown: Record<string, string> = {};
        for (const c of cases) {
          await uploadZip(page, c.name, c.bytes);
          assert.equal(await outcome(page, c.name), c.expect, c.name);
          const message = await text(page, c.testId);
          assert.match(message, c.message, `${c.name}: ${message}`);
          if (c.expect === 'staged') {
            assert.match(await text(page, 'images-skipped'), /1 (file|class)/, c.name);
            assert.match(await text(page, 'images-summary'), /not in use/, c.name);
          } else {
            assert.match(message, /The data in use \(letters\.zip\) did not change/);
          }
          assert.equal(await text(page, 'data-summary'), inUse.summary, `${c.name}: data in use`);
          assert.equal(await text(page, 'data-description'), inUse.description, c.name);
          shown[c.name] = message.slice(0, 200);
        }
        // An empty folder: the browser gives no files at all (Playwright may refuse to pick one).
        const empty = mkdtempSync(path.join(ctx.outDir, 'empty-folder-'));
        const folderInput = page.getByLabel(FOLDER_LABEL, { exact: true });
        await folderInput.setInputFiles(empty).catch(() => folderInput.setInputFiles([]));
        await waitFor(
          'the empty folder refusal',
          async () => /The chosen folder is empty/.test(await text(page, 'images-refusal')),
          10_000,
        );
        const message = await text(page, 'images-refusal');
        assert.match(message, /The chosen folder is empty: no files found/);
        shown['empty folder'] = message;
        assert.equal(await text(page, 'data-summary'), inUse.summary, 'empty folder: data in use');
        record('image upload: messages shown', shown);
        assert.deepEqual(errors, [], 'page errors');
      },
    },
    {
      name: 'image upload: its saved session asks for the zip again and checks its SHA-256',
      timeoutMs: 60_000,
      fn: async () => {
        const open = page.getByRole('button', { name: /^Open / }).first();
        await waitFor(
          'the autosaved session in the list',
          async () => (await open.count()) > 0,
          30_000,
        );
        await open.click();
        const prompt = page.getByTestId('dataset-prompt');
        await prompt.waitFor({ timeout: 20_000 });
        assert.match(
          (await prompt.textContent()) ?? '',
          /image set “letters\.zip” is not stored with it/,
        );
        const file = page.getByLabel('Dataset file');
        await file.setInputFiles({
          name: 'other.zip',
          mimeType: 'application/zip',
          buffer: zipOf(letterFiles(7, CLASSES.slice(1))),
        });
        await page
          .getByText(/is not the image set “letters\.zip”.*missing class "a"/)
          .first()
          .waitFor({ timeout: 20_000 });
        await file.setInputFiles({
          name: 'letters.zip',
          mimeType: 'application/zip',
          buffer: lettersZip,
        });
        await prompt.waitFor({ state: 'detached', timeout: 30_000 });
        await waitFor(
          'the session data in use',
          async () =>
            /letters\.zip \(from the session\): 70 images in 10 classes/.test(
              await text(page, 'data-description'),
            ),
          30_000,
        );
        assert.match(
          await text(page, 'data-summary'),
          /28×28 grayscale images · classes train\/val\/test 6\/2\/2/,
        );
        inUse = {
          summary: await text(page, 'data-summary'),
          description: await text(page, 'data-description'),
        };
        assert.deepEqual(errors, [], 'page errors');
      },
    },
    {
      name: 'image upload: a picked folder and a dropped zip are staged like a zip',
      timeoutMs: 60_000,
      fn: async () => {
        const root = mkdtempSync(path.join(ctx.outDir, 'folder-'));
        const dir = path.join(root, 'shapes');
        for (const [p, bytes] of Object.entries(letterFiles(4, CLASSES.slice(0, 5)))) {
          const file = path.join(dir, p.replace(/^letters\//, ''));
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, bytes);
        }
        await page.getByLabel(FOLDER_LABEL, { exact: true }).setInputFiles(dir);
        assert.equal(await outcome(page, 'shapes'), 'staged');
        assert.match(await text(page, 'images-count'), /20 images in 5 classes/);
        const zip = [...zipOf(letterFiles(4, CLASSES.slice(0, 4)))];
        await page.evaluate((bytes) => {
          const dt = new DataTransfer();
          dt.items.add(
            new File([new Uint8Array(bytes)], 'dropped.zip', { type: 'application/zip' }),
          );
          const panel = document.querySelector('[data-testid="data-panel"]') as HTMLElement;
          panel.dispatchEvent(
            new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }),
          );
          panel.dispatchEvent(
            new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
          );
        }, zip);
        assert.equal(await outcome(page, 'dropped.zip'), 'staged');
        assert.match(await text(page, 'images-count'), /16 images in 4 classes/);
        assert.equal(await text(page, 'data-summary'), inUse.summary, 'the data in use stays');
        assert.deepEqual(errors, [], 'page errors');
        await page.close();
      },
    },
    {
      name: 'image upload: a session on a dropped folder asks for the folder or a zip of it, and names what differs',
      timeoutMs: 120_000,
      fn: async () => {
        ({ page, errors } = await openPage(ctx.browser, `${ctx.appUrl}?backend=wasm`));
        await waitFor('the Train button', () => button(page, 'Train').isEnabled(), 60_000);
        const shapes = letterFiles(7);
        /** the files of `files` written as the folder <root>/shapes */
        const writeFolder = (files: Record<string, Uint8Array>) => {
          const dir = path.join(mkdtempSync(path.join(ctx.outDir, 'session-folder-')), 'shapes');
          for (const [p, bytes] of Object.entries(files)) {
            const file = path.join(dir, p.replace(/^letters\//, ''));
            mkdirSync(path.dirname(file), { recursive: true });
            writeFileSync(file, bytes);
          }
          return dir;
        };
        await page.getByLabel(FOLDER_LABEL, { exact: true }).setInputFiles(writeFolder(shapes));
        assert.equal(await outcome(page, 'shapes'), 'staged');
        await waitFor(
          'the folder in use',
          async () => (await text(page, 'data-description')).includes('shapes: 70 images'),
          20_000,
        );
        await typeField(page, 'Queries', '2');
        await typeField(page, 'Meta-steps', '3');
        await page.getByText('More settings (validation, early stopping)').click();
        await typeField(page, 'Validation tasks', '2');
        await button(page, 'Train').click();
        await waitFor(
          'the end of the run',
          async () => /Finished|Stopped/.test(await statusText(page)),
          90_000,
        );
        const open = page.getByRole('button', { name: /^Open / }).first();
        await waitFor('the autosaved session', async () => (await open.count()) > 0, 30_000);
        await open.click();
        const prompt = page.getByTestId('dataset-prompt');
        await prompt.waitFor({ timeout: 20_000 });
        assert.match(
          (await prompt.textContent()) ?? '',
          /image set “shapes” is not stored with it\. Choose the same zip or folder/,
        );
        const before = {
          summary: await text(page, 'data-summary'),
          description: await text(page, 'data-description'),
        };
        // Another folder of the same name: class "a" gone, one image of "b" replaced.
        const other = { ...shapes };
        for (let i = 0; i < 7; i++) delete other[`letters/a/${i}.png`];
        other['letters/b/0.png'] = png(7, 0);
        await page.getByLabel('Dataset folder').setInputFiles(writeFolder(other));
        const refusal = page.getByText(/is not the image set “shapes”/);
        await refusal.first().waitFor({ timeout: 30_000 });
        const message = (await refusal.first().textContent()) ?? '';
        record('image upload: another folder for the folder session', message);
        assert.match(
          message,
          /The chosen folder “shapes” is not the image set “shapes” this session was trained on: missing class "a"; other files in "b" \(same number of files, different content\)\. Nothing was loaded\./,
        );
        assert.equal(await prompt.count(), 1, 'the prompt stays');
        assert.equal(await text(page, 'data-summary'), before.summary, 'the data in use stays');
        assert.equal(await text(page, 'data-description'), before.description);
        // The same files as a zip of the folder's contents (no top folder, a macOS extra).
        const contents = Object.fromEntries(
          Object.entries(shapes).map(([p, b]) => [p.replace(/^letters\//, ''), b]),
        );
        contents['__MACOSX/a/._0.png'] = new Uint8Array([0, 5, 22, 7]);
        await page.getByLabel('Dataset file').setInputFiles({
          name: 'shapes-again.zip',
          mimeType: 'application/zip',
          buffer: zipOf(contents),
        });
        await prompt.waitFor({ state: 'detached', timeout: 30_000 });
        await waitFor(
          'the session data in use',
          async () =>
            /shapes \(from the session\): 70 images in 10 classes/.test(
              await text(page, 'data-description'),
            ),
          30_000,
        );
        assert.deepEqual(errors, [], 'page errors');
        await page.close();
      },
    },
  ];
}
