/**
 * Builds public/omniglot/omniglot-28.bin, the Omniglot asset the app and
 * the CLI read, from the two .npz files of ../shared/data/omniglot (or the
 * folder given as the first argument). The recipe is in
 * scripts/omniglot/convert.ts (area-average 105 → 28, 8 bits, ink = 1) and
 * the format in src/core/data/omniglot/asset.ts; the output is byte-for-byte
 * reproducible, and tests/unit/data/omniglot-asset.test.ts pins its SHA-256
 * (update OMNIGLOT_ASSET_SHA256 in src/core/data/omniglot/checksum.ts when
 * the recipe changes on purpose).
 *
 *   npx tsx scripts/build-omniglot.ts [/work/shared/data/omniglot]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeOmniglotAsset, type OmniglotMeta } from '../src/core/data/omniglot/asset';
import { DRAWINGS, TARGET_SIZE, convertSet } from './omniglot/convert';
import { readNpz } from './omniglot/npy';

const from = resolve(process.argv[2] ?? '../shared/data/omniglot');
const out = resolve('public/omniglot/omniglot-28.bin');

const sets: OmniglotMeta['sets'] = [];
const bytes: Uint8Array[] = [];
let first = 1;
for (const name of ['background', 'evaluation'] as const) {
  const file = join(from, `images_${name}.npz`);
  const t0 = Date.now();
  const converted = convertSet(readNpz(readFileSync(file), file), file);
  const characters = converted.length / (DRAWINGS * TARGET_SIZE * TARGET_SIZE);
  sets.push({ name, characters, firstNumber: first });
  bytes.push(converted);
  first += characters;
  console.log(`${name}: ${characters} characters converted in ${Date.now() - t0} ms`);
}

const meta: OmniglotMeta = {
  format: 'omniglot-28',
  version: 1,
  height: TARGET_SIZE,
  width: TARGET_SIZE,
  drawings: DRAWINGS,
  sets,
  resize: '105×105 → 28×28 by area averaging (box filter), ink coverage rounded to 0..255',
  license: 'Omniglot, MIT License, © 2015 Brenden Lake (github.com/brendenlake/omniglot)',
};
const asset = encodeOmniglotAsset(meta, bytes);
mkdirSync('public/omniglot', { recursive: true });
writeFileSync(out, asset);
const raw = bytes.reduce((a, b) => a + b.length, 0);
console.log(
  `wrote ${out}: ${asset.length} bytes (${(asset.length / 2 ** 20).toFixed(2)} MiB; ${raw} image bytes raw)`,
);
console.log(`sha256 ${createHash('sha256').update(asset).digest('hex')}`);
