// The page's side of the data picture (src/ui/train/preview-words.ts,
// preview-extent.ts): the sentence under it and its axes, worded as before the
// points moved to the worker, the reasons for no picture, and the extent.
import { describe, expect, it } from 'vitest';
import { builtinPreview, csvPreview } from '../../../src/core/data/preview';
import { FAMILY_LABELS } from '../../../src/ui/data/family-labels';
import { extent } from '../../../src/ui/train/preview-extent';
import {
  noPictureSentence,
  previewAxes,
  previewSummary,
} from '../../../src/ui/train/preview-words';

const shape = { seed: 1, shots: 10, ways: 5, queries: 10 };

describe('previewSummary and previewAxes', () => {
  it('words a built-in family by its label, seed and episode shape', () => {
    const p = builtinPreview('sinusoid', shape)!;
    expect(previewSummary(p, FAMILY_LABELS)).toBe(
      `3 sample tasks of ${FAMILY_LABELS.sinusoid} drawn with seed 1: 10 support (filled) and 10 query (open) points each.`,
    );
    expect(previewAxes(p)).toEqual({ x: 'x', y: 'target' });
    const b = builtinPreview('blobs', { ...shape, ways: 4, shots: 3, queries: 2 })!;
    expect(previewSummary(b, FAMILY_LABELS)).toMatch(
      /4 classes each \(colours\), 3 support \(filled\) and 2 query \(open\) points per class\.$/,
    );
    expect(previewAxes(b)).toEqual({ x: 'input 1', y: 'input 2' });
  });

  it('words a CSV by its files, classes or tasks, and the plotted columns', () => {
    const rows = Array.from({ length: 12 }, (_, i) => [String(i), String(i % 3), `c${i % 2}`]);
    const cls = csvPreview([{ fileName: 'f.csv', header: ['len', 'wid', 'label'], rows }], {
      taskColumn: null,
      taskPerFile: false,
      target: 'label',
      features: ['len', 'wid'],
      featureTypes: { len: 'numeric', wid: 'numeric' },
      kind: 'classification',
      mode: 'episodic',
    })!;
    expect(previewSummary(cls, FAMILY_LABELS)).toBe(
      'f.csv: 2 classes (colours), wid against len, from the first rows of the file.',
    );
    expect(previewAxes(cls)).toEqual({ x: 'len', y: 'wid' });
    const byTask = rows.map(([x, t]) => [`t${t}`, x ?? '', String(2 * Number(x))]);
    const reg = csvPreview([{ fileName: 'g.csv', header: ['task', 'x', 'y'], rows: byTask }], {
      taskColumn: 'task',
      taskPerFile: false,
      target: 'y',
      features: ['x'],
      featureTypes: { x: 'numeric' },
      kind: 'regression',
      mode: null,
    })!;
    expect(previewSummary(reg, FAMILY_LABELS)).toBe(
      'g.csv: 3 tasks, 12 rows, y against x, from the first rows of the file.',
    );
  });
});

describe('noPictureSentence', () => {
  it('says why there is no picture', () => {
    expect(noPictureSentence({ name: 'Omniglot', csv: false }, null, true)).toBe(
      'No picture of this data.',
    );
    expect(noPictureSentence({ name: 'a.csv', csv: true }, ['b.csv'], false)).toBe(
      'No picture of a.csv while b.csv is staged (not in use).',
    );
    expect(noPictureSentence({ name: 'a.csv', csv: true }, null, true)).toMatch(/no numeric/);
    expect(noPictureSentence({ name: 'a.csv', csv: true }, null, false)).toMatch(/not open/);
  });
});

describe('extent', () => {
  it('pads the range and widens a single value', () => {
    const e = extent([{ title: '', points: [{ x: 1, y: 2, c: 0, support: true }] }]);
    expect(e).toEqual({ x: [0, 2], y: [1, 3] });
    const two = extent([
      {
        title: '',
        points: [
          { x: 0, y: 0, c: 0, support: true },
          { x: 10, y: 20, c: 0, support: false },
        ],
      },
    ]);
    expect(two).toEqual({ x: [-0.5, 10.5], y: [-1, 21] });
    expect(extent([])).toEqual({ x: [0, 1], y: [0, 1] });
  });
});
