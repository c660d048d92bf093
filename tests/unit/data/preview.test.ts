// The points of the data picture (src/core/data/preview.ts), computed in the
// worker: built-in families drawn with their own sampler and the seed (pinned
// against the points the page drew before the worker did), CSV rows grouped
// into a few tasks or classes on their first two numeric columns.
import { describe, expect, it } from 'vitest';
import {
  MAX_CLASSES,
  MAX_PANELS,
  MAX_POINTS,
  builtinPreview,
  csvPreview,
  type PreviewSchema,
  type PreviewTable,
} from '../../../src/core/data/preview';

const shape = { seed: 1, shots: 10, ways: 5, queries: 10 };

describe('builtinPreview', () => {
  it('draws three sinusoid tasks of K + Q points, the same for the same seed', () => {
    const a = builtinPreview('sinusoid', shape);
    expect(builtinPreview('sinusoid', shape)).toEqual(a);
    expect(a?.panels).toHaveLength(MAX_PANELS);
    for (const p of a?.panels ?? []) {
      expect(p.points.filter((q) => q.support)).toHaveLength(10);
      expect(p.points.filter((q) => !q.support)).toHaveLength(10);
      // y = A·sin(x − φ) with A ≤ 5, x in [−5, 5]
      for (const q of p.points) {
        expect(Math.abs(q.x)).toBeLessThanOrEqual(5);
        expect(Math.abs(q.y)).toBeLessThanOrEqual(5);
      }
    }
    expect(a?.origin).toEqual({
      from: 'builtin',
      family: 'sinusoid',
      seed: 1,
      shots: 10,
      ways: 1,
      queries: 10,
      inputDim: 1,
    });
    const other = builtinPreview('sinusoid', { ...shape, seed: 2 });
    expect(other?.panels[0]?.points).not.toEqual(a?.panels[0]?.points);
  });

  it('pins the points of seed 1 (a change of sampler or generator must show here)', () => {
    // Reference values from the page's own sampling before it moved to the worker.
    const a = builtinPreview('sinusoid', shape);
    const [p0, p1] = a?.panels[0]?.points ?? [];
    expect(p0).toEqual({ x: 1.9101481437683105, y: -1.1850446462631226, c: 0, support: true });
    expect(p1).toEqual({ x: 0.24112281203269958, y: -1.711470127105713, c: 0, support: true });
    expect(a?.panels[2]?.points.at(-1)).toEqual({
      x: -4.002399921417236,
      y: -0.5070126056671143,
      c: 0,
      support: false,
    });
    const b = builtinPreview('blobs', { seed: 7, shots: 3, ways: 4, queries: 2 });
    expect(b?.panels[1]?.points[0]).toEqual({
      x: 1.6338019371032715,
      y: 2.0806596279144287,
      c: 0,
      support: true,
    });
  });

  it('colours blobs by class, N classes of K + Q points each, capping the episode', () => {
    const p = builtinPreview('blobs', { ...shape, shots: 3, queries: 2, ways: 4 });
    expect(p?.kind).toBe('classification');
    const first = p?.panels[0]?.points ?? [];
    expect(first).toHaveLength(4 * (3 + 2));
    expect(new Set(first.map((q) => q.c))).toEqual(new Set([0, 1, 2, 3]));
    const big = builtinPreview('blobs', { seed: 1, shots: 50, queries: 50, ways: 9 });
    expect(big?.origin).toMatchObject({ shots: 20, queries: 20, ways: MAX_CLASSES });
    expect(Math.max(...(big?.panels ?? []).map((x) => x.points.length))).toBe(MAX_POINTS);
  });

  it('has no picture of Omniglot (its images load in the worker first)', () => {
    expect(builtinPreview('omniglot', shape)).toBeNull();
  });
});

describe('csvPreview', () => {
  const table = (rows: string[][], fileName = 'f.csv', header = ['task', 'x', 'y']) => ({
    fileName,
    header,
    rows,
  });
  const rows = ['a', 'b', 'c', 'd'].flatMap((t, k) =>
    [0, 1, 2].map((i) => [t, String(i), String(k * 10 + i)]),
  );
  const regression: PreviewSchema = {
    taskColumn: 'task',
    taskPerFile: false,
    target: 'y',
    features: ['x'],
    featureTypes: { x: 'numeric' },
    kind: 'regression',
    mode: null,
  };

  it('plots the first numeric feature against the target, a few tasks', () => {
    const p = csvPreview([table(rows)], regression);
    expect(p?.panels.map((x) => x.title)).toEqual(['a', 'b', 'c']);
    expect(p?.panels[1]?.points.map((q) => [q.x, q.y])).toEqual([
      [0, 10],
      [1, 11],
      [2, 12],
    ]);
    expect(p?.origin).toEqual({
      from: 'csv',
      fileNames: ['f.csv'],
      xColumn: 'x',
      yColumn: 'y',
      episodic: false,
      classes: 0,
      rows: 9,
    });
  });

  it('plots the first two numeric features of a few classes, skipping cells that are not numbers', () => {
    const h = ['w', 'len', 'note', 'wid', 'label'];
    const r = Array.from({ length: 40 }, (_, i) => [
      String(i),
      String(i / 2),
      'x',
      i === 3 ? 'n/a' : String(i % 7),
      `c${i % 8}`,
    ]);
    const p = csvPreview([table(r, 'f.csv', h)], {
      taskColumn: null,
      taskPerFile: false,
      target: 'label',
      features: ['len', 'note', 'wid'],
      featureTypes: { len: 'numeric', note: 'categorical', wid: 'numeric' },
      kind: 'classification',
      mode: 'episodic',
    });
    expect(p?.panels).toHaveLength(1);
    expect(p?.panels[0]?.title).toBe('Classes');
    expect(p?.origin).toMatchObject({ xColumn: 'len', yColumn: 'wid', classes: MAX_CLASSES });
    const pts = p?.panels[0]?.points ?? [];
    expect(new Set(pts.map((q) => q.c)).size).toBe(MAX_CLASSES);
    // row 3 ('n/a') is skipped; classes c6 and c7 are beyond the cap
    expect(pts.some((q) => q.x === 1.5)).toBe(false);
    expect(pts.every((q) => Number.isFinite(q.y))).toBe(true);
  });

  it('names a task after its file when each file is a task, and reads decimal commas', () => {
    const files = ['one.csv', 'two.csv'].map((name, k) => ({
      ...table([[`${k},5`, '1,25']], name, ['x', 'y']),
      decimalMark: ',' as const,
    }));
    const p = csvPreview(files, {
      ...regression,
      taskColumn: null,
      taskPerFile: true,
    });
    expect(p?.panels.map((x) => [x.title, x.points[0]?.x, x.points[0]?.y])).toEqual([
      ['one.csv', 0.5, 1.25],
      ['two.csv', 1.5, 1.25],
    ]);
  });

  it('stops at MAX_POINTS per panel and MAX_PANELS panels', () => {
    const many: string[][] = [];
    for (let t = 0; t < 5; t++) for (let i = 0; i < 300; i++) many.push([`t${t}`, `${i}`, `${i}`]);
    const p = csvPreview([table(many)] as PreviewTable[], regression);
    expect(p?.panels.map((x) => x.points.length)).toEqual([MAX_POINTS, MAX_POINTS, MAX_POINTS]);
  });

  it('gives no picture without a numeric feature', () => {
    expect(csvPreview([table(rows)], { ...regression, features: [] })).toBeNull();
  });
});
