// Does the configuration fit the data (src/ui/train/fit.ts): the reasons quote
// today's values, say why the data limits N and K, and propose a smaller K.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/core/spec/config';
import { fitProblems, isCsvData, limitNote, smallerK, splitWords } from '../../../src/ui/train/fit';
import type { DataSummary } from '../../../src/worker/protocol';

/** 10 classes split 6/2/2, 8 examples each: K ≤ 7, N ≤ 2, queries ≤ 7 with K = 1. */
const tenClasses: DataSummary = {
  name: 'ten-classes.csv',
  kind: 'classification',
  inputDim: 2,
  description: '',
  splitSizes: { train: 6, val: 2, test: 2 },
  limits: { shots: 7, ways: 2, queries: 7 },
};

const sinusoid: DataSummary = {
  name: 'sinusoid',
  kind: 'regression',
  inputDim: 1,
  description: '',
  splitSizes: { train: null, val: null, test: null },
};

describe('fitProblems', () => {
  it('has nothing to say about a built-in family or a configuration that fits', () => {
    expect(fitProblems(defaultConfig('maml'), sinusoid)).toEqual([]);
    expect(
      fitProblems({ ...defaultConfig('maml'), shots: 2, queries: 5, ways: 2 }, tenClasses),
    ).toEqual([]);
    expect(fitProblems(defaultConfig('maml'), null)).toEqual([]);
  });

  it('quotes the current N and explains the split, with how to get more classes', () => {
    const p = fitProblems({ ...defaultConfig('maml'), shots: 2, queries: 5, ways: 5 }, tenClasses);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^Ways \(N\) is 5, but this data allows at most 2/);
    expect(p[0]).toContain('10 classes split 6/2/2; meta-val has 2 classes');
    expect(p[0]).toMatch(/set the split below/);
  });

  it('flags queries that no longer fit after K grew, proposing a smaller K', () => {
    // K = 7 leaves 7 + 1 − 7 = 1 example per class for the query.
    const p = fitProblems({ ...defaultConfig('maml'), shots: 7, queries: 5, ways: 2 }, tenClasses);
    expect(p).toEqual([
      'Queries is 5, but with K = 7 the smallest task (or class) has only 1 example left for the query: set Queries to 1, or lower K to 4 to keep 4 for the query.',
    ]);
  });

  it('flags a K over the limit and a 1-way episode', () => {
    const p = fitProblems({ ...defaultConfig('maml'), shots: 9, queries: 1, ways: 1 }, tenClasses);
    expect(p[0]).toMatch(/^Shots \(K\) is 9, but this data allows at most 7/);
    expect(p[1]).toMatch(/^Ways \(N\) is 1: an episode needs at least 2 classes/);
  });
});

describe('the words around the limits', () => {
  it('names the smallest meta-split', () => {
    expect(splitWords(tenClasses)).toBe('10 classes split 6/2/2; meta-val has 2 classes');
    expect(
      splitWords({
        ...tenClasses,
        kind: 'regression',
        splitSizes: { train: 84, val: 18, test: 9 },
      }),
    ).toBe('111 tasks split 84/18/9; meta-test has 9 tasks');
    expect(splitWords(sinusoid)).toBeNull();
  });

  it('proposes a smaller K only when K leaves one query or none', () => {
    expect(smallerK({ ...defaultConfig('maml'), shots: 7 }, tenClasses)).toBe(4);
    expect(smallerK({ ...defaultConfig('maml'), shots: 6 }, tenClasses)).toBeNull();
    expect(smallerK(defaultConfig('maml'), sinusoid)).toBeNull();
  });

  it('says in the help line why the data limits K and N', () => {
    const c = { ...defaultConfig('maml'), shots: 7, queries: 1, ways: 2 };
    expect(limitNote('ways', c, tenClasses)).toBe(
      ' At most 2 for this data (10 classes split 6/2/2; meta-val has 2 classes).',
    );
    expect(limitNote('shots', c, tenClasses)).toBe(
      ' At most 7 for this data. K = 7 leaves one example per task for the query; K = 4 leaves 4.',
    );
    expect(limitNote('shots', c, sinusoid)).toBe('');
    expect(isCsvData(tenClasses)).toBe(true);
    expect(isCsvData(sinusoid)).toBe(false);
  });
});
