/**
 * The contents of an uploaded image set (sessions/image-contents.ts): the
 * same files give the same hash whether they come as a folder, a zip of the
 * folder or a zip of its contents, with system files ignored; a renamed or
 * changed file changes it; the sentence of what differs names classes and
 * cuts long lists, and says plainly when a session recorded only its hash.
 */
import { describe, expect, it } from 'vitest';
import {
  describeDifference,
  imageSetContents,
  pathsBelowRoot,
} from '../../../src/sessions/image-contents';

const bytes = (...v: number[]) => new Uint8Array(v);
const set = (prefix: string, extra: Record<string, Uint8Array> = {}) =>
  Object.entries({
    [`${prefix}a/1.png`]: bytes(1),
    [`${prefix}a/2.png`]: bytes(2),
    [`${prefix}b/1.png`]: bytes(3),
    ...extra,
  }).map(([path, b]) => ({ path, bytes: b }));

describe('image set contents', () => {
  it('drops a shared top folder only when it holds class folders', () => {
    expect(pathsBelowRoot(['letters/a/1.png', 'letters/b/2.png'])).toEqual(['a/1.png', 'b/2.png']);
    expect(pathsBelowRoot(['a/1.png', 'a/2.png'])).toEqual(['a/1.png', 'a/2.png']);
  });

  it('a folder, a zip of it and a zip of its contents have one hash', async () => {
    const folder = await imageSetContents(set('letters/', { 'letters/.DS_Store': bytes(9) }));
    const zipOfContents = await imageSetContents(
      set('', { '__MACOSX/a/._1.png': bytes(7), 'b/': bytes() }),
    );
    expect(zipOfContents).toEqual(folder);
    expect(folder.files).toBe(3);
    expect(folder.classes?.map((c) => [c.name, c.files])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    const renamed = await imageSetContents(
      set('letters/').map((f) =>
        f.path.endsWith('b/1.png') ? { ...f, path: 'letters/b/9.png' } : f,
      ),
    );
    expect(renamed.sha256).not.toBe(folder.sha256);
  });

  it('names what differs, cutting long lists, and says when it cannot', async () => {
    const want = await imageSetContents(
      Array.from({ length: 8 }, (_, i) => ({ path: `s/c${i}/1.png`, bytes: bytes(i) })),
    );
    const got = await imageSetContents([
      { path: 's/c0/1.png', bytes: bytes(0) },
      { path: 's/c0/2.png', bytes: bytes(1) },
    ]);
    expect(describeDifference(want, got)).toBe(
      'missing classes "c1", "c2", "c3", "c4", "c5" and 2 more; other files in "c0" (2 files, the session\'s had 1)',
    );
    const withNotes = await imageSetContents([
      { path: 's/c0/1.png', bytes: bytes(0) },
      { path: 's/notes.txt', bytes: bytes(9) },
    ]);
    const without = await imageSetContents([{ path: 's/c0/1.png', bytes: bytes(0) }]);
    expect(describeDifference(withNotes, without)).toBe(
      "other files outside the class folders (0 files, the session's had 1)",
    );
    expect(describeDifference(undefined, got)).toMatch(
      /records only the SHA-256 of its images, so what differs cannot be named \(the chosen set has 2 files\)/,
    );
  });
});
