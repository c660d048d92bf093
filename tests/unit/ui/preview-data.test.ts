// The points of the data picture (src/ui/train/preview-data.ts): built-in
// families drawn with their own sampler and the seed, CSV rows grouped into a
// few tasks or classes on their first two numeric columns.
import { describe, expect, it } from 'vitest';
import {
  MAX_CLASSES,
  MAX_PANELS,
  builtinPreview,
  csvPreview,
  extent,
} from '../../../src/ui/train/preview-data';

const shape = { seed: 1, shots: 10, ways: 5, queries: 10 };

describe('builtinPreview', () => {
  it('draws three sinusoid tasks of K + Q points, the same for the same seed', () => {
    const a = builtinPreview('sinusoid', shape, 'Sinusoid');
    const b = builtinPreview('sinusoid', shape, 'Sinusoid');
    expect(a).toEqual(b);
    expect(a.panels).toHaveLength(MAX_PANELS);
    for (const p of a.panels) {
      expect(p.points.filter((q) => q.support)).toHaveLength(10);
      expect(p.points.filter((q) => !q.support)).toHaveLength(10);
      // y = A·sin(x − φ) with A ≤ 5, x in [−5, 5]
      for (const q of p.points) {
        expect(Math.abs(q.x)).toBeLessThanOrEqual(5);
        expect(Math.abs(q.y)).toBeLessThanOrEqual(5);
      }
    }
    expect(a.summary).toMatch(/seed 1/);
    const other = builtinPreview('sinusoid', { ...shape, seed: 2 }, 'Sinusoid');
    expect(other.panels[0]?.points).not.toEqual(a.panels[0]?.points);
  });

  it('colours blobs by class, N classes of K + Q points each', () => {
    const p = builtinPreview('blobs', { ...shape, shots: 3, queries: 2, ways: 4 }, 'Blobs');
    expect(p.kind).toBe('classification');
    const first = p.panels[0]?.points ?? [];
    expect(first).toHaveLength(4 * (3 + 2));
    expect(new Set(first.map((q) => q.c))).toEqual(new Set([0, 1, 2, 3]));
  });
});

describe('csvPreview', () => {
  const header = ['task', 'x', 'y'];
  const rows = ['a', 'b', 'c', 'd'].flatMap((t, k) =>
    [0, 1, 2].map((i) => [t, String(i), String(k * 10 + i)]),
  );
  const regression = {
    taskColumn: 'task',
    taskPerFile: false,
    target: 'y',
    features: ['x'],
    featureTypes: { x: 'numeric' as const },
    kind: 'regression' as const,
    mode: null,
  };

  it('plots the first numeric feature against the target, a few tasks', () => {
    const p = csvPreview(header, rows, regression, () => 'f.csv', 'f.csv');
    expect(p?.panels.map((x) => x.title)).toEqual(['a', 'b', 'c']);
    expect(p?.panels[1]?.points.map((q) => [q.x, q.y])).toEqual([
      [0, 10],
      [1, 11],
      [2, 12],
    ]);
    expect(p?.xLabel).toBe('x');
    expect(p?.yLabel).toBe('y');
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
    const p = csvPreview(
      h,
      r,
      {
        taskColumn: null,
        taskPerFile: false,
        target: 'label',
        features: ['len', 'note', 'wid'],
        featureTypes: { len: 'numeric', note: 'categorical', wid: 'numeric' },
        kind: 'classification',
        mode: 'episodic',
      },
      () => 'f.csv',
      'f.csv',
    );
    expect(p?.panels).toHaveLength(1);
    expect(p?.xLabel).toBe('len');
    expect(p?.yLabel).toBe('wid');
    const pts = p?.panels[0]?.points ?? [];
    expect(new Set(pts.map((q) => q.c)).size).toBe(MAX_CLASSES);
    expect(pts.every((q) => Number.isFinite(q.y))).toBe(true);
    expect(p?.summary).toMatch(/^f\.csv: 6 classes/);
  });

  it('gives no picture without a numeric feature', () => {
    expect(csvPreview(header, rows, { ...regression, features: [] }, () => '', 'f.csv')).toBeNull();
  });
});

describe('extent', () => {
  it('pads the range and widens a single value', () => {
    const e = extent([{ title: '', points: [{ x: 1, y: 2, c: 0, support: true }] }]);
    expect(e).toEqual({ x: [0, 2], y: [1, 3] });
  });
});
