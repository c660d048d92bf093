import { describe, expect, it } from 'vitest';
import {
  buildCsvSource,
  encodeRecord,
  inferSchema,
  loadCsvTexts,
  parseCsvText,
  restoreTarget,
  type CsvText,
  type SchemaOverrides,
} from '../../../src/core/data/index';
import { Rng } from '../../../src/core/rng';
import { csv, dataError, regressionCsv, row } from './helpers';

const load = (files: CsvText[], overrides: SchemaOverrides = {}, seed = 1) =>
  loadCsvTexts(files, overrides, { seed });
const one = (text: string, overrides: SchemaOverrides = {}, name = 'tasks.csv') =>
  load([{ fileName: name, text }], overrides);
const messages = (r: ReturnType<typeof one>) => r.report.problems.map((p) => p.message);

/** 6 regression tasks of 6 rows, then extra rows appended verbatim. */
function withExtraRows(extra: (string | number)[][]): string {
  return regressionCsv(6, 6) + csv(extra);
}
// regressionCsv(6, 6) has the header on row 1 and 36 data rows: the first extra row is row 38.

describe('buildCsvSource: repairs, each named by file, row and column', () => {
  it('drops a row with text in a numeric column', () => {
    const r = one(withExtraRows([['t0', 1, 'abc', 2]]));
    expect(messages(r)).toEqual([
      'tasks.csv, row 38, column "x2": "abc" is not a number; the row was dropped.',
    ]);
    expect(r.report.problems[0]).toMatchObject({
      code: 'not-a-number',
      action: 'row-dropped',
      where: { file: 'tasks.csv', row: 38, column: 'x2' },
    });
    expect(r.report.rows).toEqual({ read: 37, dropped: 1, used: 36 });
  });

  it('fills empty, NaN and infinite features with the meta-train mean', () => {
    const r = one(
      withExtraRows([
        ['t0', '', 1, 2],
        ['t0', 'NaN', 1, 2],
        ['t0', 'inf', 1, 2],
      ]),
    );
    expect(messages(r)).toEqual([
      'tasks.csv, row 38, column "x1": the cell is empty; it was filled with the meta-train mean.',
      'tasks.csv, row 39, column "x1": "NaN" marks a missing value; it was filled with the meta-train mean.',
      'tasks.csv, row 40, column "x1": "inf" is not a finite number; it was filled with the meta-train mean.',
    ]);
    expect(r.report.problems.every((p) => p.action === 'value-imputed')).toBe(true);
    expect(r.report.missing).toEqual({ y: 0, x1: 3, x2: 0, task: 0 });
    expect(r.report.rows.used).toBe(39);
  });

  it('ignores an empty column once, without a note per cell; notes empty text cells', () => {
    const rows: (string | number)[][] = [['task', 'x', 'notes', 'color', 'y']];
    for (let t = 0; t < 3; t++) {
      for (let i = 0; i < 3; i++)
        rows.push([`t${t}`, i, '', t === 0 && i === 0 ? '' : 'red', i + 0.5]);
    }
    const r = one(csv(rows));
    expect(r.report.schema.features).toEqual(['x', 'color']);
    expect(messages(r)).toEqual([
      'tasks.csv, column "notes": the column has no values; it was ignored.',
      'tasks.csv, row 2, column "color": the cell is empty; no category was set (its one-hot inputs are all 0).',
    ]);
    expect(r.report.missing.notes).toBe(9);
  });

  it('drops rows whose target is empty, NaN, infinite or text', () => {
    const r = one(
      withExtraRows([
        ['t0', 1, 1, ''],
        ['t0', 1, 1, 'NA'],
        ['t0', 1, 1, '-Infinity'],
        ['t0', 1, 1, 'high'],
      ]),
    );
    expect(messages(r)).toEqual([
      'tasks.csv, row 38, column "y": the target is empty; the row was dropped.',
      'tasks.csv, row 39, column "y": "NA" marks a missing target; the row was dropped.',
      'tasks.csv, row 40, column "y": "-Infinity" is not a finite number; the row was dropped.',
      'tasks.csv, row 41, column "y": "high" is not a number; the row was dropped.',
    ]);
    expect(r.report.rows.dropped).toBe(4);
  });

  it('drops a row without a task', () => {
    const r = one(withExtraRows([[' ', 1, 1, 1]]));
    expect(messages(r)).toEqual([
      'tasks.csv, row 38, column "task": the task is empty; the row was dropped.',
    ]);
  });

  it('carries parse repairs into the report', () => {
    const r = one(withExtraRows([['t0', 1, 2, 3, 4]]));
    expect(messages(r)).toEqual([
      'tasks.csv, row 38: the row has 5 cells but the header has 4 columns (extra text "4" after the last column); the row was dropped.',
    ]);
    expect(r.report.problemCounts).toEqual({ 'ragged-row': 1 });
    expect(r.report.rows.dropped).toBe(1);
  });

  it('leaves out a task with a single row', () => {
    const r = one(withExtraRows([['lonely', 1, 1, 1]]));
    expect(messages(r)).toEqual([
      'tasks.csv, row 38, column "task": task "lonely" has only 1 row; a task needs at least 2 (one to adapt on, one to test), so it was left out.',
    ]);
    expect(r.report.tasks).toBe(6);
  });

  it('counts every repair but keeps only the first 20 sentences of a kind', () => {
    const extra = Array.from({ length: 30 }, () => ['t0', 'x', 1, 1]);
    const r = one(withExtraRows(extra));
    expect(r.report.problemCounts['not-a-number']).toBe(30);
    expect(r.report.problems.length).toBe(20);
    expect(r.report.rows.dropped).toBe(30);
  });
});

describe('buildCsvSource: refusals', () => {
  it('refuses a target with a single value', () => {
    const text = csv([
      ['task', 'x', 'y'],
      ...Array.from({ length: 12 }, (_, i) => [`t${i % 4}`, i, 3.5]),
    ]);
    const e = dataError(() => one(text));
    expect(e.message).toBe(
      'tasks.csv, column "y": the target has the same value (3.5) in every row, so there is nothing to learn.',
    );
    expect(e.where).toEqual({ file: 'tasks.csv', column: 'y' });
    const cls = csv([
      ['x', 'label'],
      [1, 'a'],
      [2, 'a'],
      [3, 'a'],
    ]);
    expect(dataError(() => one(cls)).message).toBe(
      'tasks.csv, column "label": every row has the same class ("a"), so there is nothing to tell apart.',
    );
  });

  it('refuses regression without tasks', () => {
    const text = csv([
      ['x', 'y'],
      [1, 0.5],
      [2, 1.5],
      [3, 2.5],
    ]);
    expect(dataError(() => one(text)).message).toBe(
      'tasks.csv: regression needs several tasks, but there is no task column: choose the column that names the task of each row, or upload one file per task.',
    );
  });

  it('refuses fewer than 3 usable tasks', () => {
    expect(dataError(() => one(regressionCsv(2, 5))).message).toBe(
      'tasks.csv: only 2 tasks can be used ("t0", "t1"); meta-learning needs at least 3, one each to meta-train, meta-validate and meta-test.',
    );
  });

  it('accepts a hand-made schema without feature types, and refuses its unknown columns', () => {
    const tables = [parseCsvText(regressionCsv(4, 4), 'hand.csv')];
    const schema = {
      taskColumn: 'task',
      taskPerFile: false,
      target: 'y',
      features: ['x1', 'x2'],
      featureTypes: {},
      splitColumn: null,
      kind: 'regression' as const,
      mode: null,
      reasons: [],
    };
    const { report } = buildCsvSource(tables, schema, { seed: 1 });
    expect(report.schema.featureTypes).toEqual({ x1: 'numeric', x2: 'numeric' });
    expect(
      dataError(() => buildCsvSource(tables, { ...schema, features: ['x9'] }, { seed: 1 })).message,
    ).toBe('hand.csv, column "x9": there is no such column (it is a feature).');
  });

  it('refuses when every row is bad', () => {
    const text = csv([
      ['task', 'x', 'y'],
      ['t', 'a', 1],
      ['t', 'b', 2],
    ]);
    // x is mostly text, so force it numeric to make every row bad
    const tables = [parseCsvText(text, 'bad.csv')];
    const schema = inferSchema(tables, { featureTypes: { x: 'numeric' } });
    expect(dataError(() => buildCsvSource(tables, schema, { seed: 1 })).message).toBe(
      'bad.csv: no row could be used (first problem: bad.csv, row 2, column "x": "a" is not a number; the row was dropped.).',
    );
  });

  it('refuses an unknown split value and conflicting splits within a task', () => {
    const base = [['task', 'x', 'y', 'split']];
    const unknown = csv([...base, ['t0', 1, 1, 'train'], ['t0', 2, 2, 'holdout']]);
    const e = dataError(() => one(unknown));
    expect(e.message).toBe(
      'tasks.csv, row 3, column "split": "holdout" is not a split; use train, val or test (or leave the cell empty).',
    );
    expect(e.where).toEqual({ file: 'tasks.csv', row: 3, column: 'split' });
    const mixed = csv([
      ...base,
      ['t0', 1, 1, 'train'],
      ['t0', 2, 2, 'test'],
      ['t1', 1, 3, 'val'],
      ['t1', 2, 1, 'val'],
    ]);
    expect(dataError(() => one(mixed)).message).toBe(
      'tasks.csv, row 3, column "split": task "t0" is marked test here but train in row 2; all rows of a task must have the same split.',
    );
  });
});

describe('buildCsvSource: meta-split', () => {
  it('splits 70 / 15 / 15 by a seeded shuffle, at least one task each', () => {
    const r = one(regressionCsv(20, 4));
    expect(r.report.splitSizes).toEqual({ train: 14, val: 3, test: 3 });
    expect(r.source.splitSizes()).toEqual({ train: 14, val: 3, test: 3 });
    const all = [...r.report.splits.train, ...r.report.splits.val, ...r.report.splits.test];
    expect(new Set(all).size).toBe(20);
    expect(one(regressionCsv(3, 4)).report.splitSizes).toEqual({ train: 1, val: 1, test: 1 });
    // deterministic for a seed; another seed gives another split
    expect(load([{ fileName: 'a.csv', text: regressionCsv(20, 4) }], {}, 1).report.splits).toEqual(
      r.report.splits,
    );
    expect(
      load([{ fileName: 'a.csv', text: regressionCsv(20, 4) }], {}, 2).report.splits,
    ).not.toEqual(r.report.splits);
  });

  it('honours a split column', () => {
    const rows: (string | number)[][] = [['task', 'x', 'y', 'split']];
    const splitOf = ['train', 'train', 'validation', 'TEST', 'train'];
    splitOf.forEach((s, t) => {
      for (let i = 0; i < 4; i++) rows.push([`t${t}`, i, t + i + 0.25, i === 0 ? s : '']);
    });
    const r = one(csv(rows));
    expect(r.report.splits).toEqual({ train: ['t0', 't1', 't4'], val: ['t2'], test: ['t3'] });
  });
});

describe('buildCsvSource: normalization', () => {
  it('standardizes with meta-train statistics only', () => {
    // train tasks: x around 0, y around 10; val / test tasks: x around 100, y around 1000
    const rows: (string | number)[][] = [['task', 'x', 'y', 'split']];
    const add = (task: string, split: string, xs: number[], ys: number[]) =>
      xs.forEach((x, i) => rows.push([task, x, ys[i] as number, split]));
    add('a', 'train', [-1, 1, -1, 1], [9, 11, 9, 11]);
    add('b', 'train', [-2, 2, -2, 2], [8, 12, 8, 12]);
    add('c', 'val', [99, 101, 99, 101], [999, 1001, 999, 1001]);
    add('d', 'test', [100, 100, 100, 100], [1000, 1000, 1000, 1000]);
    const r = one(csv(rows), { kind: 'regression' });
    const norm = r.report.normalization;
    const xStd = Math.sqrt((4 * 1 + 4 * 4) / 8);
    expect(norm.features).toEqual([{ column: 'x', type: 'numeric', mean: 0, std: xStd }]);
    expect(norm.target).toEqual({ column: 'y', mean: 10, std: xStd });
    expect(r.source.targetScale).toBeCloseTo(xStd, 12);

    const test = r.source.sample('test', 1, { shots: 2, ways: 1, queries: 2 }, new Rng(1));
    for (const v of test.supportX) expect(v).toBeCloseTo(100 / xStd, 4);
    for (const v of test.supportY) expect(v).toBeCloseTo(990 / xStd, 3);
    expect(restoreTarget(norm, test.supportY[0] as number)).toBeCloseTo(1000, 3);
    const train = r.source.sample('train', 2, { shots: 2, ways: 1, queries: 2 }, new Rng(1));
    for (const v of train.supportX) expect(Math.abs(v)).toBeLessThan(1.5);

    // the saved normalization re-encodes a new row the same way
    expect(Array.from(encodeRecord(norm, { x: '100', y: '5' }))).toEqual([Math.fround(100 / xStd)]);
    expect(Array.from(encodeRecord(norm, { x: '' }))).toEqual([0]);
  });

  it('imputes missing features with the meta-train mean (0 after standardizing)', () => {
    const rows: (string | number)[][] = [['task', 'x', 'y', 'split']];
    for (const [t, s] of [
      ['a', 'train'],
      ['b', 'val'],
      ['c', 'test'],
    ] as const) {
      rows.push([t, 4, 1.5, s], [t, 8, 2.5, s], [t, '', 3.5, s]);
    }
    const r = one(csv(rows));
    expect(r.report.normalization.features[0]).toMatchObject({ mean: 6, std: 2 });
    const b = r.source.sample('val', 1, { shots: 2, ways: 1, queries: 1 }, new Rng(3));
    const xs = [...b.supportX, ...b.queryX].sort();
    expect(xs).toEqual([-1, 0, 1]);
  });

  it('one-hot encodes text features; too many categories exclude the column; unseen ones are noted', () => {
    const rows: (string | number)[][] = [['task', 'color', 'city', 'y', 'split']];
    const colors = ['red', 'blue', 'red', 'green'];
    ['a', 'b', 'c'].forEach((t, ti) => {
      const split = ['train', 'val', 'test'][ti] as string;
      for (let i = 0; i < 8; i++) {
        const color = ti === 2 && i === 0 ? 'purple' : (colors[i % 4] as string);
        rows.push([t, color, `city${ti * 8 + i}`, i + ti + 0.5, split]);
      }
    });
    const r = one(csv(rows));
    expect(r.report.schema.features).toEqual(['color']);
    expect(r.report.inputs).toEqual(['color=red', 'color=blue', 'color=green']);
    expect(r.source.inputDim).toBe(3);
    expect(messages(r)).toEqual([
      'tasks.csv, column "color": 1 value in meta-val / meta-test ("purple") never occurs in meta-train; it is encoded as no category (all zeros).',
      'tasks.csv, column "city": the column has 24 different text values, more than the 20 that can be one-hot encoded; it was ignored.',
    ]);
    const b = r.source.sample('train', 1, { shots: 4, ways: 1, queries: 4 }, new Rng(1));
    for (let i = 0; i < 4; i++) {
      const x = row(b.supportX, i, 3);
      expect(x.reduce((s, v) => s + v, 0)).toBe(1);
    }
  });
});

describe('buildCsvSource: several files, markup, report', () => {
  const file = (name: string, slope: number): CsvText => ({
    fileName: name,
    text: csv([['x', 'y'], ...Array.from({ length: 5 }, (_, i) => [i, slope * i + 0.5])]),
  });

  it('makes each file a task named after the file', () => {
    const r = load([
      file('alpha.csv', 1),
      file('beta.csv', 2),
      file('gamma.tsv', 3),
      file('delta.csv', 4),
    ]);
    expect(r.report.schema.taskPerFile).toBe(true);
    expect(r.report.tasks).toBe(4);
    const names = [
      ...r.report.splits.train,
      ...r.report.splits.val,
      ...r.report.splits.test,
    ].sort();
    expect(names).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    expect(r.report.files.map((f) => f.fileName)).toEqual([
      'alpha.csv',
      'beta.csv',
      'gamma.tsv',
      'delta.csv',
    ]);
  });

  it('refuses files with different columns, naming the file', () => {
    const odd: CsvText = { fileName: 'odd.csv', text: 'x,z\n1,2\n' };
    expect(dataError(() => load([file('a.csv', 1), file('b.csv', 2), odd])).message).toBe(
      'odd.csv, row 1: its columns differ from those of a.csv (missing "y"; extra "z"); files uploaded together must have the same columns.',
    );
  });

  it('keeps names with markup verbatim, in tasks, batches and messages', () => {
    const rows: (string | number)[][] = [['task', '<i>x</i>', 'y']];
    for (const t of ['<script>alert(1)</script>', '<b>bold</b>', '&lt;c&gt;']) {
      for (let i = 0; i < 4; i++) rows.push([t, i, i * 2 + 0.5]);
    }
    rows.push(['<b>bold</b>', '<img src=x>', 1]);
    const r = one(csv(rows));
    const names = [
      ...r.report.splits.train,
      ...r.report.splits.val,
      ...r.report.splits.test,
    ].sort();
    expect(names).toEqual(['&lt;c&gt;', '<b>bold</b>', '<script>alert(1)</script>']);
    expect(r.report.schema.features).toEqual(['<i>x</i>']);
    expect(messages(r)).toEqual([
      'tasks.csv, row 14, column "<i>x</i>": "<img src=x>" is not a number; the row was dropped.',
    ]);
    const b = r.source.sample('train', 1, { shots: 1, ways: 1, queries: 1 }, new Rng(1));
    expect(names).toContain(b.names[0]);
  });

  it('reports rows, tasks, examples per task, splits, missing values and a preview', () => {
    const rows: (string | number)[][] = [['task', 'x', 'y']];
    const sizes = [3, 5, 5, 9];
    sizes.forEach((n, t) => {
      for (let i = 0; i < n; i++) rows.push([`t${t}`, i === 1 ? '' : i, t * i]);
    });
    const r = one(csv(rows));
    expect(r.report.rows).toEqual({ read: 22, dropped: 0, used: 22 });
    expect(r.report.tasks).toBe(4);
    expect(r.report.examplesPerTask).toEqual({ min: 3, median: 5, max: 9 });
    expect(r.report.classes).toEqual([]);
    expect(r.report.missing.x).toBe(4);
    expect(r.report.preview.header).toEqual(['task', 'x', 'y']);
    expect(r.report.preview.rows.length).toBe(10);
    // parsed values, not raw text: the empty numeric cell is named
    expect(r.report.preview.rows[1]).toEqual(['t0', '(missing)', '0']);
    expect(r.report.preview.rowNumbers[0]).toBe(2);
    expect(r.report.files).toEqual([
      { fileName: 'tasks.csv', delimiter: 'comma', dataRows: 22, columns: 3 },
    ]);
    expect(JSON.parse(JSON.stringify(r.report))).toEqual(r.report);
  });

  it('maps the CLI flags --task-column --target --features --mode onto overrides', () => {
    const rows: (string | number)[][] = [['grp', 'a', 'b', 'c', 'kind']];
    for (let i = 0; i < 40; i++)
      rows.push([`g${i % 4}`, i, i % 3, -i, ['p', 'q', 'r', 's'][i % 4] as string]);
    const r = one(csv(rows), {
      taskColumn: null,
      target: 'kind',
      features: ['a', 'c'],
      mode: 'episodic',
    });
    expect(r.report.schema).toMatchObject({
      taskColumn: null,
      target: 'kind',
      features: ['a', 'c'],
      kind: 'classification',
      mode: 'episodic',
    });
    expect(r.source.inputDim).toBe(2);
    expect(r.report.splitSizes).toEqual({ train: 2, val: 1, test: 1 });
  });
});
