import { describe, expect, it } from 'vitest';
import { drawDistinct, pickBalanced } from '../../../src/core/data/sampling/pick';
import { parseCell, labelKey } from '../../../src/core/data/csv/cells';
import { builtinSource, loadCsvTexts } from '../../../src/core/data/index';
import { isBuiltinName } from '../../../src/core/spec/builtin';
import { Rng } from '../../../src/core/rng';
import { csv } from './helpers';

describe('index draws', () => {
  it('drawDistinct gives k distinct indices in range, deterministically, in both regimes', () => {
    for (const [n, k] of [
      [10, 10],
      [10, 7],
      [100000, 30],
    ] as const) {
      const a = drawDistinct(new Rng(1), n, k);
      expect(a.length).toBe(k);
      expect(new Set(a).size).toBe(k);
      for (const i of a) {
        expect(Number.isInteger(i)).toBe(true);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(i).toBeLessThan(n);
      }
      expect(drawDistinct(new Rng(1), n, k)).toEqual(a);
    }
    expect(() => drawDistinct(new Rng(1), 3, 4)).toThrow(RangeError);
  });

  it('drawDistinct is uniform enough: every index of a small set is drawn about equally', () => {
    const counts = new Array<number>(50).fill(0);
    const rng = new Rng(2);
    for (let t = 0; t < 4000; t++) for (const i of drawDistinct(rng, 50, 5)) counts[i]!++;
    for (const c of counts) {
      expect(c).toBeGreaterThan(300);
      expect(c).toBeLessThan(500);
    }
  });

  it('pickBalanced repeats no task before all are used', () => {
    const rng = new Rng(3);
    const few = pickBalanced(rng, 10, 7);
    expect(new Set(few).size).toBe(7);
    const many = pickBalanced(rng, 10, 30);
    const counts = new Array<number>(10).fill(0);
    for (const i of many) counts[i]!++;
    expect(counts).toEqual(new Array<number>(10).fill(3));
  });

  it('samples episodes from large classes quickly', () => {
    const rows: (string | number)[][] = [['x', 'label']];
    for (let i = 0; i < 60000; i++) rows.push([i, `c${i % 6}`]);
    const { source } = loadCsvTexts([{ fileName: 'big.csv', text: csv(rows) }], {}, { seed: 1 });
    const started = performance.now();
    for (let s = 0; s < 200; s++)
      source.sample('train', 8, { shots: 5, ways: 2, queries: 15 }, new Rng(s));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('cells', () => {
  it('reads only whole decimal literals as numbers', () => {
    expect(parseCell(' 3.5 ')).toEqual({ kind: 'number', value: 3.5 });
    expect(parseCell('-1e-3')).toEqual({ kind: 'number', value: -0.001 });
    expect(parseCell('.5')).toEqual({ kind: 'number', value: 0.5 });
    for (const t of ['0x10', '1e', 'abc', '1.2.3', '1 000', '12%'])
      expect(parseCell(t).kind).toBe('text');
    for (const m of ['', '  ', 'NA', 'n/a', 'NaN', 'null', '#N/A', '?'])
      expect(parseCell(m).kind).toBe('missing');
    for (const f of ['inf', '-Infinity', '+inf', '1e400'])
      expect(parseCell(f).kind).toBe('non-finite');
  });

  it('accepts a decimal comma only when asked (semicolon files)', () => {
    expect(parseCell('1,5').kind).toBe('text');
    expect(parseCell('1,5', true)).toEqual({ kind: 'number', value: 1.5 });
    expect(parseCell('1,500,000', true).kind).toBe('text');
  });

  it('canonicalizes numeric class codes and keeps other labels verbatim', () => {
    expect(labelKey(' 1.0 ')).toBe('1');
    expect(labelKey('01')).toBe('1');
    expect(labelKey('<b>cat</b>')).toBe('<b>cat</b>');
  });

  it('reads semicolon files with decimal commas as numbers end to end', () => {
    const rows = [['task', 'x', 'y']];
    for (let t = 0; t < 3; t++)
      for (let i = 0; i < 3; i++) rows.push([`t${t}`, `${i},5`, `${t},25`]);
    const { report } = loadCsvTexts(
      [{ fileName: 'eu.csv', text: csv(rows, ';') }],
      {},
      { seed: 1 },
    );
    expect(report.files[0]?.delimiter).toBe('semicolon');
    expect(report.schema.featureTypes).toEqual({ x: 'numeric' });
    expect(report.normalization.features[0]).toMatchObject({ type: 'numeric' });
    expect(report.problems).toEqual([]);
  });
});

describe('builtinSource', () => {
  it('knows its names', () => {
    expect(isBuiltinName('blobs')).toBe(true);
    expect(isBuiltinName('mnist')).toBe(false);
    expect(builtinSource('linear').name).toBe('linear');
    expect(() => builtinSource('mnist' as never)).toThrow('unknown built-in family "mnist"');
  });
});
