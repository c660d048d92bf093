/**
 * Image uploads in the worker (DataStage + ImageStage), decoded here by the
 * CLI's JS decoder: an accepted zip is staged with its summary and limits,
 * becomes the data trained on (data-loaded says 'images', the session
 * record names it by SHA-256 and its staging options); a folder is hashed
 * as the CLI hashes it; a refused upload (zip bomb, empty zip, too few
 * classes) posts images-refused and leaves the data in use and the staged
 * upload exactly as they were.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jsImageDecoder } from '../../../src/core/data/images/js-decoder';
import { DataStage } from '../../../src/worker/data-stage';
import { folderSha256 } from '../../../src/worker/image-stage';
import type { ImageStageSettings } from '../../../src/worker/protocol';
import { letterFiles, zip } from '../images/fixtures';
import { collector } from './pieces';
import { imageDefaultConfig } from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import type { SessionDoc } from '../../../src/sessions/schema';

const settings: ImageStageSettings = { size: 28, channels: 1, minPerClass: 3, splitSeed: 1 };
const CLASSES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const zipFile = (files: Record<string, Uint8Array>, name = 'letters.zip') =>
  new File([zip(files) as Uint8Array<ArrayBuffer>], name);

/** A zip whose central directory claims `size` bytes uncompressed for its one entry. */
function lyingZip(size: number): File {
  const bytes = zip({ 'letters/a/1.png': new Uint8Array(100) });
  const v = new DataView(bytes.buffer);
  for (let i = bytes.length - 22; i >= 0; i--) {
    if (v.getUint32(i, true) === 0x02014b50) v.setUint32(i + 24, size, true);
    if (v.getUint32(i, true) === 0x04034b50) v.setUint32(i + 22, size, true);
  }
  return new File([bytes as Uint8Array<ArrayBuffer>], 'bomb.zip');
}

describe('image uploads in the worker', () => {
  it('stages a zip, shows its summary and trains on it when asked', async () => {
    const c = collector();
    const d = new DataStage(c.post, () => {}, null, jsImageDecoder);
    const files = letterFiles(CLASSES, 4, 32);
    files['letters/readme.txt'] = new TextEncoder().encode('hello');
    files['letters/tiny/0.png'] = files['letters/a/0.png'] as Uint8Array;
    await d.stageImages(1, { kind: 'zip', file: zipFile(files) }, settings, true);
    const staged = c.of('images-staged')[0];
    expect(staged?.summary.classes.length).toBe(8);
    expect(staged?.summary.images).toBe(32);
    expect(staged?.summary.imageShape).toEqual({ height: 28, width: 28, channels: 1 });
    expect(staged?.summary.skippedNonImages).toBe(1);
    const kinds = staged?.summary.problems.map((p) => [p.kind, p.file]);
    expect(kinds).toContainEqual(['small-class', 'tiny']);
    expect(kinds).toContainEqual(['not-image', 'letters/readme.txt']);
    expect(staged?.inUse).toBe(true);
    expect(staged?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const loaded = c.of('data-loaded')[0]?.summary;
    expect(loaded).toMatchObject({ upload: 'images', kind: 'classification', inputDim: 784 });
    expect(loaded?.limits?.ways).toBe(1);
    expect(d.datasetOf(d.source!)).toMatchObject({
      source: 'images',
      name: 'letters.zip',
      sha256: staged?.sha256,
      options: { imageSize: 28, channels: 1, minPerClass: 3 },
    });
  });

  it('a refused upload leaves the data in use and the staged upload as they were', async () => {
    const c = collector();
    const d = new DataStage(c.post, () => {}, null, jsImageDecoder);
    await d.stageImages(
      1,
      { kind: 'zip', file: zipFile(letterFiles(CLASSES, 4, 28)) },
      settings,
      true,
    );
    const source = d.source;
    const bad: [string, File][] = [
      ['bomb.zip', lyingZip(0xf0000000)],
      ['empty.zip', zipFile({}, 'empty.zip')],
      ['two.zip', zipFile(letterFiles(['a', 'b'], 4, 28), 'two.zip')],
    ];
    for (const [i, [name, file]] of bad.entries()) {
      await d.stageImages(2 + i, { kind: 'zip', file }, settings, true);
      const refused = c.of('images-refused').at(-1);
      expect(refused).toMatchObject({ uploadId: 2 + i, name });
    }
    const messages = c.of('images-refused').map((r) => r.message);
    expect(messages[0]).toMatch(/would unpack to 3840 MiB, more than the limit of 1024 MiB/);
    expect(messages[1]).toMatch(/empty/);
    expect(messages[2]).toMatch(/2 usable classes/);
    expect(d.source).toBe(source);
    expect(c.of('data-loaded')).toHaveLength(1);
    expect(c.of('images-staged')).toHaveLength(1);
    // The staged upload is still the good one: using it again posts its summary.
    d.useImages();
    expect(c.of('data-loaded')[1]?.summary.name).toMatch(/letters\.zip/);
  });

  it('stages a folder and hashes it as the CLI does (paths below the folder, sorted)', async () => {
    const c = collector();
    const d = new DataStage(c.post, () => {}, null, jsImageDecoder);
    const files = Object.entries(letterFiles(CLASSES, 3, 28)).reverse();
    const upload = {
      kind: 'folder' as const,
      name: 'letters',
      files: files.map(([path, bytes]) => ({
        path,
        file: new File([bytes as Uint8Array<ArrayBuffer>], path),
      })),
    };
    await d.stageImages(1, upload, settings, false);
    const staged = c.of('images-staged')[0];
    expect(staged?.inUse).toBe(false);
    expect(c.of('data-loaded')).toHaveLength(0);
    const h = createHash('sha256');
    for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      h.update(`${path.slice(path.indexOf('/') + 1)}\n`);
      h.update(bytes);
    }
    expect(staged?.sha256).toBe(h.digest('hex'));
    expect(await folderSha256(files.map(([path, bytes]) => ({ path, bytes })))).toBe(
      staged?.sha256,
    );
  });

  it('a session on an uploaded zip asks for it again: the same bytes give the same classes and split', async () => {
    const c = collector();
    const d = new DataStage(c.post, () => {}, null, jsImageDecoder);
    const bytes = zip(letterFiles(CLASSES, 4, 28));
    const file = new File([bytes as Uint8Array<ArrayBuffer>], 'letters.zip');
    await d.stageImages(1, { kind: 'zip', file }, { ...settings, splitSeed: 7 }, true);
    const dataset = d.datasetOf(d.source!)!;
    const first = d.source!;
    const before = first.splitSizes();
    // Only what useSession reads of a document: its dataset record and configuration.
    const doc = { dataset, config: { ...imageDefaultConfig(), seed: 99 } } as SessionDoc;
    await expect(d.useSession(doc, null)).rejects.toThrow(/choose the zip or the folder/);
    const other = zip(letterFiles(CLASSES.slice(1), 4, 28));
    await expect(
      d.useSession(doc, null, {
        kind: 'zip',
        file: new File([other as Uint8Array<ArrayBuffer>], 'letters.zip'),
      }),
    ).rejects.toThrow(
      /is not the image set “letters\.zip”.*: missing class "a"; other files in "b" \(same number of files, different content\), .* and 2 more\. Nothing was loaded\.$/,
    );
    const source = await d.useSession(doc, null, { kind: 'zip', file });
    expect(source.splitSizes()).toEqual(before);
    expect(source.imageShape).toEqual({ height: 28, width: 28, channels: 1 });
    // The same classes in the same splits: seeded episodes of every split draw the same pixels.
    for (const split of ['train', 'val', 'test'] as const) {
      const shape = { shots: 1, ways: 1, queries: 2 };
      const a = first.sample(split, 2, shape, new Rng(5));
      const b = source.sample(split, 2, shape, new Rng(5));
      expect(b.supportX).toEqual(a.supportX);
      expect(b.queryX).toEqual(a.queryX);
    }
    expect(c.of('data-loaded').at(-1)?.summary).toMatchObject({ upload: 'images' });
    expect(dataset.options).toMatchObject({ splitSeed: 7, minPerClass: 3 });
  });

  it('a session on a dropped folder takes the folder again, or a zip of it, and names what differs otherwise', async () => {
    const c = collector();
    const d = new DataStage(c.post, () => {}, null, jsImageDecoder);
    const files = letterFiles(CLASSES, 4, 28);
    const folder = (name: string, fs: Record<string, Uint8Array>) => ({
      kind: 'folder' as const,
      name,
      files: Object.entries(fs).map(([path, bytes]) => ({
        path: path.replace(/^letters\//, `${name}/`),
        file: new File([bytes as Uint8Array<ArrayBuffer>], path),
      })),
    });
    await d.stageImages(1, folder('letters', files), { ...settings, splitSeed: 7 }, true);
    const dataset = d.datasetOf(d.source!)!;
    expect(dataset.contents?.files).toBe(32);
    expect(dataset.contents?.classes?.map((k) => [k.name, k.files])).toEqual(
      CLASSES.map((k) => [k, 4]),
    );
    const before = d.source!.sample('test', 2, { shots: 1, ways: 1, queries: 2 }, new Rng(5));
    const doc = { dataset, config: imageDefaultConfig() } as SessionDoc;
    const dataLoaded = () => c.of('data-loaded').length;
    const loaded = dataLoaded();

    // Another set: a class missing, one with an image more, one with an image changed, one new.
    const other = { ...files };
    delete other['letters/a/0.png'];
    delete other['letters/a/1.png'];
    delete other['letters/a/2.png'];
    delete other['letters/a/3.png'];
    other['letters/b/9.png'] = files['letters/c/0.png'] as Uint8Array;
    other['letters/c/1.png'] = files['letters/d/1.png'] as Uint8Array;
    other['letters/z/0.png'] = files['letters/d/0.png'] as Uint8Array;
    await expect(d.useSession(doc, null, folder('letters', other))).rejects.toThrow(
      'The chosen folder “letters” is not the image set “letters” this session was trained on: ' +
        'missing class "a"; a class the session did not have: "z"; ' +
        'other files in "b" (5 files, the session\'s had 4), "c" (same number of files, different content). ' +
        'Nothing was loaded.',
    );
    expect(dataLoaded()).toBe(loaded);

    // A renamed copy of the folder, a zip of the folder and a zip of its contents all match;
    // system files (a .DS_Store, macOS's __MACOSX/) do not count.
    const contentsOnly = Object.fromEntries(
      Object.entries(files).map(([p, b]) => [p.replace(/^letters\//, ''), b]),
    );
    for (const upload of [
      folder('copy-of-letters', { ...files, 'letters/.DS_Store': new Uint8Array([1, 2]) }),
      { kind: 'zip' as const, file: zipFile(files, 'letters.zip') },
      {
        kind: 'zip' as const,
        file: zipFile({ ...contentsOnly, '__MACOSX/a/._0.png': new Uint8Array([3]) }, 'x.zip'),
      },
    ]) {
      const source = await d.useSession(doc, null, upload);
      const again = source.sample('test', 2, { shots: 1, ways: 1, queries: 2 }, new Rng(5));
      expect(again.supportX).toEqual(before.supportX);
    }
  });
});
