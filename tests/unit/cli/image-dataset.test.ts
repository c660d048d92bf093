/**
 * The CLI's data resolution for images, in process: builtin:omniglot reads
 * the committed asset; a zip and a folder of class sub-folders give the
 * same classes, with skipped files as notes; a session re-stages its image
 * set and refuses one whose bytes changed.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveData, sourceFromSession } from '../../../src/cli/dataset';
import { datasetSchema } from '../../../src/sessions/schema';
import type { SessionDoc } from '../../../src/sessions/index';
import { letterFiles, png, zip } from '../images/fixtures';

const names = Array.from({ length: 10 }, (_, i) => `k${i}`);

describe('CLI image data', () => {
  it('resolves builtin:omniglot from the committed asset', async () => {
    const d = await resolveData('builtin:omniglot', {}, 0);
    expect(d.source.imageShape).toEqual({ height: 28, width: 28, channels: 1 });
    expect(d.source.splitSizes()).toEqual({ train: 3472, val: 384, test: 2636 });
    expect(d.dataset).toMatchObject({ source: 'builtin', name: 'omniglot' });
  });

  it('reads a zip or a folder of class folders alike, and re-stages a session', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlp-img-'));
    const files = { ...letterFiles(names, 3, 12), 'letters/k1/notes.txt': new Uint8Array([1]) };
    const zipPath = path.join(dir, 'letters.zip');
    writeFileSync(zipPath, zip(files));
    for (const [p, bytes] of Object.entries(files)) {
      mkdirSync(path.join(dir, path.dirname(p)), { recursive: true });
      writeFileSync(path.join(dir, p), bytes);
    }
    const fromZip = await resolveData(zipPath, { imageSize: 32, channels: 3 }, 5);
    const fromDir = await resolveData(path.join(dir, 'letters'), { imageSize: 32, channels: 3 }, 5);
    for (const d of [fromZip, fromDir]) {
      expect(d.source.inputDim).toBe(32 * 32 * 3);
      expect(d.source.splitSizes()).toEqual({ train: 6, val: 2, test: 2 });
      expect(d.notes[0]).toBe(
        '30 images in 10 classes (6 meta-train / 2 meta-val / 2 meta-test), resized to 32×32×3',
      );
      expect(d.notes[1]).toBe(
        'letters/k1/notes.txt is not a PNG, JPEG, WebP or BMP image; skipped.',
      );
      expect(datasetSchema.safeParse(d.dataset).success).toBe(true);
    }
    expect(fromZip.dataset.options).toEqual({ imageSize: 32, channels: 3 });
    const doc = { dataset: fromZip.dataset, config: { seed: 5 } } as unknown as SessionDoc;
    const again = await sourceFromSession(doc);
    expect(again.splitSizes()).toEqual(fromZip.source.splitSizes());
    writeFileSync(zipPath, zip({ ...files, 'letters/k2/extra.png': png(12, 12) }));
    await expect(sourceFromSession(doc)).rejects.toThrow(
      'is not the image set this session was trained on',
    );
    await expect(resolveData(zipPath, { channels: 2 }, 0)).rejects.toThrow(
      '--channels must be 1 (grayscale) or 3 (RGB), got 2',
    );
  });
});
