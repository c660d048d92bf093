// Files and share links end to end: round trips, damaged and truncated input,
// size limits, fitting a link into a budget, and SHA-256.
import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  MAX_COMPRESSED_BYTES,
  MAX_DOCUMENT_BYTES,
  SessionFormatError,
  decodeShareFragment,
  encodeShareFragment,
  encodeWeights,
  parseSessionBytes,
  restoreSession,
  serializeSession,
  sha256Hex,
  shareFragmentFor,
  type SessionDoc,
} from '../../../src/sessions';
import { fixture } from './fixtures';

function session(): SessionDoc {
  const r = restoreSession(fixture('v2-example'));
  if (!r.ok) throw new Error(r.error);
  return r.session;
}

function errorOf(r: ReturnType<typeof parseSessionBytes>): string {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

describe('session files', () => {
  it.each([false, true])('round-trips (gzip: %s)', (gzip) => {
    const doc = session();
    const bytes = serializeSession(doc, { gzip });
    expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(gzip);
    expect(parseSessionBytes(bytes)).toEqual({ ok: true, session: doc });
  });

  it('writes the same bytes for the same session', () => {
    const doc = session();
    expect(serializeSession(doc, { gzip: true })).toEqual(serializeSession(doc, { gzip: true }));
  });

  it('reads gzip files made by other tools (file name in the header)', () => {
    const json = strToU8(JSON.stringify(fixture('v2-example')));
    const bytes = gzipSync(json, { filename: 'plants.session.json', mtime: new Date() });
    expect(parseSessionBytes(bytes).ok).toBe(true);
  });

  it('reads the v0 fixture from bytes and reports the migration', () => {
    const bytes = strToU8(JSON.stringify(fixture('v0-example')));
    expect(parseSessionBytes(bytes)).toMatchObject({ ok: true, migratedFrom: 0 });
  });

  it('refuses to write an invalid session', () => {
    const doc = session();
    doc.config.innerLr = -1;
    expect(() => serializeSession(doc, { gzip: false })).toThrow(SessionFormatError);
    expect(() => serializeSession(doc, { gzip: false })).toThrow(
      /config\.innerLr: expected a positive number/,
    );
  });

  it('writes non-finite curve values as null and reads them back', () => {
    const doc = session();
    doc.history.train[1]!.trainLoss = NaN;
    const back = parseSessionBytes(serializeSession(doc, { gzip: true }));
    expect(back.ok && back.session.history.train[1]?.trainLoss).toBeNull();
  });

  it('says a cut gzip file is truncated, wherever it is cut', () => {
    const bytes = serializeSession(session(), { gzip: true });
    for (const cut of [
      3,
      10,
      40,
      Math.floor(bytes.length / 2),
      bytes.length - 9,
      bytes.length - 8,
      bytes.length - 1,
    ]) {
      expect(errorOf(parseSessionBytes(bytes.subarray(0, cut)))).toBe(
        'The file is truncated or damaged (gzip data ends early).',
      );
    }
  });

  it('says a corrupted gzip file is damaged, never opening different data', () => {
    const bytes = serializeSession(session(), { gzip: true });
    let refused = 0;
    for (let i = 10; i < bytes.length; i += 7) {
      const bad = bytes.slice();
      bad[i]! ^= 0x10;
      const r = parseSessionBytes(bad);
      if (!r.ok) refused++;
      else expect(r.session).toEqual(session());
      if (!r.ok) expect(r.error).toMatch(/^The file is (truncated or )?damaged/);
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('names the line and column of a JSON syntax error', () => {
    expect(errorOf(parseSessionBytes(strToU8('{\n  "version": 1,\n  "name": }')))).toBe(
      'The file is not valid JSON: unexpected "}" where a value was expected (line 3, column 11).',
    );
    const text = JSON.stringify(fixture('v2-example'), null, 2);
    expect(errorOf(parseSessionBytes(strToU8(text.slice(0, 200))))).toMatch(
      /^The file is not valid JSON: .* \(line \d+, column \d+\)\.$/,
    );
  });

  it('refuses empty, binary and non-UTF-8 files', () => {
    expect(errorOf(parseSessionBytes(new Uint8Array()))).toBe('The file is empty.');
    expect(errorOf(parseSessionBytes(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])))).toContain(
      'neither gzip data nor UTF-8 text',
    );
    expect(errorOf(parseSessionBytes(strToU8('x,y\n1,2\n')))).toContain('not valid JSON');
  });

  it('enforces the size limits', () => {
    const plain = new Uint8Array(MAX_DOCUMENT_BYTES + 1).fill(0x20);
    expect(errorOf(parseSessionBytes(plain))).toBe(
      'The file is too large (64.0 MiB; the limit is 64.0 MiB).',
    );
    const compressed = new Uint8Array(MAX_COMPRESSED_BYTES + 1);
    compressed.set([0x1f, 0x8b, 8]);
    expect(errorOf(parseSessionBytes(compressed))).toContain('compressed; the limit is 16.0 MiB');
    // A "zip bomb": 65 MiB of spaces compress to about 65 KiB.
    const bomb = gzipSync(new Uint8Array(MAX_DOCUMENT_BYTES + 1024 * 1024).fill(0x20));
    expect(bomb.length).toBeLessThan(200_000);
    expect(errorOf(parseSessionBytes(bomb))).toBe(
      'The file is too large: the session inside is over 64.0 MiB once decompressed.',
    );
  });

  it('refuses to write a session larger than it could read', () => {
    const doc = session();
    const cell = 'x'.repeat(10_000);
    // 1700 rows of 4 cells of 10,000 characters: about 68 MB of JSON.
    doc.dataset.rows = [
      {
        fileName: 'big.csv',
        header: ['a', 'b', 'c', 'd'],
        rows: Array.from({ length: 1700 }, () => [cell, cell, cell, cell]),
      },
    ];
    expect(() => serializeSession(doc, { gzip: true })).toThrow(/too large to save \(6\d\.\d MiB/);
  });

  it('keeps markup in names verbatim through a file', () => {
    const doc = session();
    doc.name = '<img src=x onerror=alert(1)>';
    const r = parseSessionBytes(serializeSession(doc, { gzip: true }));
    expect(r.ok && r.session.name).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('share links', () => {
  it('round-trips through a fragment, with or without "#"', () => {
    const doc = session();
    const fragment = encodeShareFragment(doc);
    expect(fragment).toMatch(/^s1\.[A-Za-z0-9_-]+$/);
    expect(decodeShareFragment(fragment)).toEqual({ ok: true, session: doc });
    expect(decodeShareFragment(`#${fragment}`)).toEqual({ ok: true, session: doc });
    // Mail clients wrap long links.
    const wrapped = fragment.replace(/(.{60})/g, '$1\n');
    expect(decodeShareFragment(wrapped)).toEqual({ ok: true, session: doc });
  });

  it('says a tampered link is damaged', () => {
    const fragment = encodeShareFragment(session());
    const errors = new Set<string>();
    for (let i = 4; i < fragment.length; i += 5) {
      const c = fragment[i] === 'A' ? 'B' : 'A';
      const r = decodeShareFragment(fragment.slice(0, i) + c + fragment.slice(i + 1));
      if (!r.ok) errors.add(r.error.replace(/\(.*\)/, '(…)'));
      // Any edit that still opens must open the same session (only unused bits changed).
      else expect(r.session).toEqual(session());
    }
    for (const e of errors)
      expect(e).toMatch(/^The link is (truncated or )?damaged|^This session could not be opened/);
    expect(errors.size).toBeGreaterThan(0);
  });

  it('explains bad characters, cut links, wrong prefixes and oversized links', () => {
    const fragment = encodeShareFragment(session());
    expect(decodeShareFragment(`${fragment.slice(0, 20)}%${fragment.slice(21)}`)).toEqual({
      ok: false,
      error:
        'The link is damaged: it contains the character "%" (at character 21). Copy the whole link again.',
    });
    expect(decodeShareFragment(fragment.slice(0, fragment.length - 30))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^The link is (truncated or )?damaged/),
    });
    expect(decodeShareFragment(`x1.${fragment.slice(3)}`)).toEqual({
      ok: false,
      error: 'This link does not contain a session (it should start with "s1.").',
    });
    expect(decodeShareFragment(`s2.${fragment.slice(3)}`)).toEqual({
      ok: false,
      error:
        'This link was made by a newer version of the app (link format s2); update the app to open it.',
    });
    expect(decodeShareFragment(`s1.${'A'.repeat(3 * 1024 * 1024)}`)).toEqual({
      ok: false,
      error: 'The link is too long to be a session link.',
    });
    expect(decodeShareFragment('s1.')).toMatchObject({ ok: false });
  });

  it('fits a budget by dropping the checkpoint, then the dataset rows', () => {
    const doc = session();
    const full = shareFragmentFor(doc);
    expect(full).toMatchObject({
      ok: true,
      droppedRows: false,
      droppedCheckpoint: false,
      thinnedHistory: false,
    });

    const noCheckpoint = encodeShareFragment({ ...doc, checkpoint: null }).length;
    const r1 = shareFragmentFor(doc, { maxBytes: noCheckpoint });
    expect(r1).toMatchObject({ ok: true, droppedRows: false, droppedCheckpoint: true });

    const r2 = shareFragmentFor(doc, { maxBytes: noCheckpoint - 1 });
    expect(r2).toMatchObject({ ok: true, droppedRows: true, droppedCheckpoint: true });
    if (r2.ok) {
      const back = decodeShareFragment(r2.fragment);
      if (!back.ok) throw new Error(back.error);
      expect(back.session.dataset.rows).toBeUndefined();
      expect(back.session.dataset.sha256).toBe(doc.dataset.sha256);
      expect(back.session.dataset.name).toBe(doc.dataset.name);
      expect(back.session.weights).toEqual(doc.weights);
      expect(back.session.baselines).toEqual(doc.baselines);
    }

    const r3 = shareFragmentFor(doc, { maxBytes: 100 });
    expect(r3).toMatchObject({
      ok: false,
      error: expect.stringContaining('too large for a link even without its dataset rows'),
    });
  });

  it('thins a 4,000-step history for the link and keeps the shape of the curves', () => {
    const doc = session();
    // A noisy decaying loss with one spike and one non-finite step, as runs make them.
    const train = Array.from({ length: 4000 }, (_, i) => ({
      step: i + 1,
      trainLoss: i === 2999 ? null : i === 1234 ? 50 : 2 * Math.exp(-i / 800) + Math.random() * 0.1,
    }));
    const validation = Array.from({ length: 800 }, (_, i) => ({
      step: (i + 1) * 5,
      loss: 1 + Math.random(),
      metric: 1 + Math.random(),
    }));
    doc.history = { train, validation, bestStep: 2005, stepsDone: 4000 };
    doc.checkpoint = null;
    const full = encodeShareFragment(doc).length;
    const r = shareFragmentFor(doc);
    if (!r.ok) throw new Error(r.error);
    expect(r).toMatchObject({ thinnedHistory: true, droppedCheckpoint: false, droppedRows: false });
    expect(r.fragment.length).toBeLessThan(full / 3);
    const back = decodeShareFragment(r.fragment);
    if (!back.ok) throw new Error(back.error);
    const h = back.session.history;
    expect(h.train.length).toBeLessThanOrEqual(400);
    expect(h.train.length).toBeGreaterThan(300);
    expect(h.validation.length).toBeLessThanOrEqual(400);
    expect(h.train[0]).toEqual(train[0]);
    expect(h.train.at(-1)).toEqual(train.at(-1));
    expect(h.train.find((p) => p.step === 1235)?.trainLoss).toBe(50);
    expect(h.train.find((p) => p.step === 3000)?.trainLoss).toBeNull();
    expect(h.validation.find((p) => p.step === 2005)).toBeDefined();
    expect([h.stepsDone, h.bestStep]).toEqual([4000, 2005]);
    // sorted by step, each step once
    expect(h.train.every((p, i) => i === 0 || p.step > (h.train[i - 1]?.step ?? 0))).toBe(true);
    // files keep every step
    const file = parseSessionBytes(serializeSession(doc, { gzip: true }));
    if (!file.ok) throw new Error(file.error);
    expect(file.session.history.train).toHaveLength(4000);
  });

  it('keeps realistic weights within the default budget', () => {
    const doc = session();
    const shapes = [[1, 40], [40], [40, 40], [40], [40, 1], [1]];
    const arrays = shapes.map((s) =>
      Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, Math.random),
    );
    doc.weights = encodeWeights(arrays, shapes);
    const r = shareFragmentFor(doc);
    expect(r.ok).toBe(true);
  });
});

describe('sha256Hex', () => {
  it('hashes like the standard test vectors', async () => {
    expect(await sha256Hex(strToU8('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await sha256Hex(new Uint8Array())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('matches the CSV hash stored in the fixture', async () => {
    const doc = fixture('v2-example');
    const rows = doc.dataset.rows[0];
    const csv = [rows.header, ...rows.rows].map((r: string[]) => r.join(',')).join('\n') + '\n';
    expect(await sha256Hex(strToU8(csv))).toBe(doc.dataset.sha256);
  });
});
