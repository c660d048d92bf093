import { describe, expect, it } from 'vitest';
import { DataError, loadCsvTexts, type SchemaOverrides } from '../../../src/core/data/index';
import { Rng } from '../../../src/core/rng';
import { csv, dataError, expectEpisodeLayout, regressionCsv } from './helpers';

const one = (rows: (string | number)[][], overrides: SchemaOverrides = {}, seed = 1) =>
  loadCsvTexts([{ fileName: 'tasks.csv', text: csv(rows) }], overrides, { seed });

describe('CSV regression episodes', () => {
  /** tasks t0..t9 with 6, 7, …, 15 rows; x1 identifies the row within its task. */
  function uneven() {
    const rows: (string | number)[][] = [['task', 'x1', 'y', 'split']];
    for (let t = 0; t < 10; t++) {
      const split = t < 6 ? 'train' : t < 8 ? 'val' : 'test';
      for (let i = 0; i < 6 + t; i++) rows.push([`t${t}`, i, t * 100 + i + 0.5, split]);
    }
    return one(rows);
  }

  it('reports the largest K every task of a split can serve', () => {
    const { source } = uneven();
    expect(source.limits('train')).toEqual({ maxShots: 5, maxWays: Infinity, maxQueries: 1 });
    expect(source.limits('val')).toEqual({ maxShots: 11, maxWays: Infinity, maxQueries: 1 });
    expect(source.limits('test')).toEqual({ maxShots: 13, maxWays: Infinity, maxQueries: 1 });
  });

  it('throws a DataError naming the task when K is too large', () => {
    const { source } = uneven();
    const e = dataError(() =>
      source.sample('train', 2, { shots: 6, ways: 1, queries: 1 }, new Rng(1)),
    );
    expect(e.message).toBe(
      'task "t0" (meta-train) has 6 rows, but K = 6 shots need at least 7 (6 to adapt on, 1 to test); lower K (shots) to at most 5.',
    );
    expect(e.where).toEqual({ file: 'tasks.csv', column: 'task' });
    expect(() =>
      source.sample('train', 2, { shots: 5, ways: 1, queries: 1 }, new Rng(1)),
    ).not.toThrow();
  });

  it('caps the query at the smallest task − K, equal across the batch', () => {
    const { source } = uneven();
    const b = source.sample('train', 6, { shots: 2, ways: 1, queries: 50 }, new Rng(2));
    expect(b.support).toBe(2);
    expect(b.query).toBe(4);
    expect(b.supportX.length).toBe(6 * 2);
    expect(b.queryY.length).toBe(6 * 4);
  });

  it('draws support and query without replacement from one task, tasks balanced', () => {
    const { source, report } = uneven();
    const b = source.sample('train', 6, { shots: 3, ways: 1, queries: 3 }, new Rng(3));
    // a batch as large as the split uses every task once
    expect([...b.names].sort()).toEqual([...report.splits.train].sort());
    const norm = report.normalization;
    const tStd = norm.target?.std as number;
    const tMean = norm.target?.mean as number;
    for (let t = 0; t < b.tasks; t++) {
      const ys = [
        ...b.supportY.subarray(t * 3, t * 3 + 3),
        ...b.queryY.subarray(t * 3, t * 3 + 3),
      ].map((z) => Math.round(z * tStd + tMean - 0.5));
      expect(new Set(ys).size).toBe(6);
      const task = Number((b.names[t] as string).slice(1));
      for (const y of ys) expect(Math.floor(y / 100) + 0).toBe(task); // + 0: no −0
    }
  });

  it('is deterministic for a seed', () => {
    const a = uneven().source.sample('val', 5, { shots: 3, ways: 1, queries: 2 }, new Rng(9));
    const b = uneven().source.sample('val', 5, { shots: 3, ways: 1, queries: 2 }, new Rng(9));
    expect(b).toEqual(a);
  });

  it('says when a split is empty', () => {
    const rows: (string | number)[][] = [['task', 'x', 'y', 'split']];
    for (const [t, s] of [
      ['a', 'train'],
      ['b', 'train'],
      ['c', 'test'],
    ] as const) {
      for (let i = 0; i < 3; i++) rows.push([t, i, i + 0.5, s]);
    }
    const { source, report } = one(rows);
    expect(report.problems.map((p) => p.message)).toEqual([
      'tasks.csv, column "split": no task is marked val, so there is nothing to meta-validate on.',
    ]);
    expect(source.limits('val')).toEqual({ maxShots: 0, maxWays: 0, maxQueries: 0 });
    expect(() => source.sample('val', 1, { shots: 1, ways: 1, queries: 1 }, new Rng(1))).toThrow(
      'meta-val has no tasks, so no episodes can be drawn from it.',
    );
  });

  it('uses 3 rows-per-task of a tiny file without error at K = 1', () => {
    const { source } = loadCsvTexts(
      [{ fileName: 'tiny.csv', text: regressionCsv(3, 2) }],
      {},
      { seed: 1 },
    );
    const b = source.sample('test', 2, { shots: 1, ways: 1, queries: 5 }, new Rng(1));
    expect(b.query).toBe(1);
  });
});

describe('CSV per-task classification episodes', () => {
  /**
   * 8 tasks; task t has classes a, b, c (+ d for even t); class sizes vary.
   * Feature x = the class letter's index, so each example shows its class.
   */
  function perTaskRows(): (string | number)[][] {
    const rows: (string | number)[][] = [['task', 'x', 'noise', 'label']];
    for (let t = 0; t < 8; t++) {
      const classes = t % 2 === 0 ? ['a', 'b', 'c', 'd'] : ['a', 'b', 'c'];
      classes.forEach((c, ci) => {
        for (let i = 0; i < 4 + ((t + ci) % 3); i++) rows.push([`t${t}`, ci, (i * 7) % 5, c]);
      });
    }
    return rows;
  }
  const perTask = (extra: (string | number)[][] = []) => one([...perTaskRows(), ...extra]);

  it('guesses per-task mode and reports classes', () => {
    const { report, source } = perTask();
    expect(report.schema.mode).toBe('per-task');
    expect(report.tasks).toBe(8);
    expect(report.classes.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(report.examplesPerClass).toEqual({ min: 4, median: 5, max: 6 });
    const trainClasses = report.splits.train.reduce(
      (n, t) => n + (Number(t.slice(1)) % 2 === 0 ? 4 : 3),
      0,
    );
    expect(source.classCount('train')).toBe(trainClasses);
  });

  it('gives one-hot, class-major, relabelled episodes of one task', () => {
    const { source } = perTask();
    const b = source.sample('train', 40, { shots: 2, ways: 3, queries: 2 }, new Rng(1));
    expectEpisodeLayout(b, 3, 2, 2);
    for (const c of b.supportClass as Int32Array)
      expect(c).toBeLessThan(source.classCount('train'));
    // every example of a label shows the same class in x (standardized, so compare within the episode)
    for (let t = 0; t < b.tasks; t++) {
      for (let l = 0; l < 3; l++) {
        // inputs are [x, noise]: x is entry 0 of each row
        const xs = [0, 1].map((k) => b.supportX[(t * 6 + l * 2 + k) * 2]);
        const qs = [0, 1].map((k) => b.queryX[(t * 6 + l * 2 + k) * 2]);
        expect(new Set([...xs, ...qs]).size).toBe(1);
      }
    }
  });

  it('limits N to the smallest task and K to the smallest class', () => {
    const { source } = perTask();
    expect(source.limits('train')).toMatchObject({ maxWays: 3, maxShots: 3, maxQueries: 1 });
    const e = dataError(() =>
      source.sample('train', 1, { shots: 1, ways: 4, queries: 1 }, new Rng(1)),
    );
    expect(e.message).toMatch(
      /^task "t\d" \(meta-train\) has 3 classes, but 4-way episodes need 4; lower N \(ways\) to at most 3\.$/,
    );
    const k = dataError(() =>
      source.sample('train', 1, { shots: 4, ways: 2, queries: 1 }, new Rng(1)),
    );
    expect(k.message).toMatch(
      /^task "t\d", class "[abcd]" \(meta-train\) has 4 examples, but K = 4 shots need at least 5 per class \(4 to adapt on, 1 to test\); lower K \(shots\) to at most 3\.$/,
    );
    expect(k.where).toEqual({ file: 'tasks.csv', column: 'label' });
  });

  it('leaves out a class with one example and a task with a single class', () => {
    const { report } = perTask([
      ['t1', 9, 0, 'z'],
      ['solo', 0, 0, 'a'],
      ['solo', 0, 1, 'a'],
    ]);
    // the header is row 1, so the first extra row is row (rows so far + 1)
    const first = perTaskRows().length + 1;
    expect(report.problems.map((p) => p.message)).toEqual([
      `tasks.csv, row ${first}, column "label": task "t1", class "z" has only 1 example; a class needs at least 2 (one to adapt on, one to test), so it was left out.`,
      `tasks.csv, row ${first + 1}, column "task": task "solo" has only one class ("a") with at least 2 examples; a task needs two classes to tell apart, so it was left out.`,
    ]);
    expect(report.tasks).toBe(8);
  });
});

describe('CSV episodic classification', () => {
  /** 12 classes c0..c11 with 5 + (i % 4) examples each; x = the class number. */
  function episodic(seed = 1) {
    const rows: (string | number)[][] = [['x', 'other', 'label']];
    for (let c = 0; c < 12; c++) {
      for (let i = 0; i < 5 + (c % 4); i++) rows.push([c, i % 2, `c${c}`]);
    }
    return one(rows, {}, seed);
  }

  it('splits the classes, not the rows, into disjoint meta-splits', () => {
    const { report, source } = episodic();
    expect(report.schema.mode).toBe('episodic');
    expect(report.tasks).toBe(0);
    expect(report.splitSizes).toEqual({ train: 8, val: 2, test: 2 });
    expect(source.splitSizes()).toEqual({ train: 8, val: 2, test: 2 });
    const { train, val, test } = report.splits;
    expect(new Set([...train, ...val, ...test]).size).toBe(12);
    for (const split of ['train', 'val', 'test'] as const) {
      expect(source.classCount(split)).toBe(report.splits[split].length);
      const b = source.sample(split, 30, { shots: 1, ways: 2, queries: 1 }, new Rng(2));
      for (const name of b.names) {
        for (const c of name.split(', ')) expect(report.splits[split]).toContain(c);
      }
    }
    expect(report.classes.find((c) => c.name === val[0])?.split).toBe('val');
  });

  it('gives one-hot, class-major, relabelled episodes whose examples belong to their class', () => {
    const { source, report } = episodic();
    const b = source.sample('train', 50, { shots: 2, ways: 4, queries: 3 }, new Rng(3));
    expectEpisodeLayout(b, 4, 2, 3);
    const f = report.normalization.features[0];
    if (f?.type !== 'numeric') throw new Error('x should be numeric');
    for (let t = 0; t < b.tasks; t++) {
      const names = (b.names[t] as string).split(', ');
      for (let l = 0; l < 4; l++) {
        const expected = Number((names[l] as string).slice(1));
        for (let k = 0; k < 2; k++) {
          const x = b.supportX[(t * 8 + l * 2 + k) * 2] as number;
          expect(x * f.std + f.mean).toBeCloseTo(expected, 4);
        }
      }
    }
  });

  it('limits K by the smallest class and names it when K is too large', () => {
    const { source, report } = episodic();
    const smallest = Math.min(
      ...report.classes.filter((c) => c.split === 'train').map((c) => c.examples),
    );
    expect(source.limits('train')).toEqual({ maxShots: smallest - 1, maxWays: 8, maxQueries: 1 });
    const e = dataError(() =>
      source.sample('train', 1, { shots: smallest, ways: 2, queries: 1 }, new Rng(1)),
    );
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(
      new RegExp(
        `^class "c\\d+" \\(meta-train\\) has ${smallest} examples, but K = ${smallest} shots need at least ${smallest + 1} per class`,
      ),
    );
    const q = source.sample('train', 2, { shots: 1, ways: 2, queries: 100 }, new Rng(1));
    expect(q.query).toBe(2 * (smallest - 1));
  });

  it('is deterministic for a seed', () => {
    const shape = { shots: 1, ways: 2, queries: 2 };
    expect(episodic().source.sample('val', 4, shape, new Rng(5))).toEqual(
      episodic().source.sample('val', 4, shape, new Rng(5)),
    );
  });
});
