/**
 * The meta-split is the person's to set (issue 12, item 4): fractions in the
 * schema, a default that keeps N classes in meta-val and meta-test for
 * episodic N-way data when there are 3N classes, and a session record that
 * rebuilds the same split. Before, 10 classes always split 6 / 2 / 2, so a
 * 3-way episode could not be drawn from meta-val or meta-test.
 */
import { describe, expect, it } from 'vitest';
import { loadCsvTexts, type SchemaOverrides } from '../../../src/core/data/index';
import { splitCounts } from '../../../src/core/data/csv/meta-split';
import { csvDatasetRecord, overridesFromDataset } from '../../../src/sessions/index';
import { digitsCsv } from '../../helpers/digits-csv';
import { dataError } from './helpers';

const episodic: SchemaOverrides = { target: 'label', kind: 'classification', mode: 'episodic' };
const load = (o: SchemaOverrides, minEach?: number) =>
  loadCsvTexts([{ fileName: 'digits.csv', text: digitsCsv(10, 12) }], o, {
    seed: 1,
    ...(minEach !== undefined ? { minEach } : {}),
  });

describe('meta-split settings', () => {
  it('splits 10 classes 4 / 3 / 3 by default at 3-way, and records the minimum', () => {
    const r = load(episodic, 3);
    expect(r.report.splitSizes).toEqual({ train: 4, val: 3, test: 3 });
    expect(r.report.schema.minSplitUnits).toBe(3);
    expect(r.source.classCount('test')).toBe(3);
  });

  it('keeps the plain 70/15/15 rounding when the data has fewer than 3N classes', () => {
    expect(splitCounts(10, undefined, 4)).toEqual({ val: 2, test: 2 });
    expect(load(episodic, 4).report.splitSizes).toEqual({ train: 6, val: 2, test: 2 });
  });

  it("uses the person's fractions (and then no minimum)", () => {
    const r = load({ ...episodic, valFraction: 0.1, testFraction: 0.4 }, 3);
    expect(r.report.splitSizes).toEqual({ train: 5, val: 1, test: 4 });
    expect(r.report.schema.minSplitUnits).toBeUndefined();
    expect(r.report.schema.reasons).toContain(
      'meta-split: 10% meta-val, 40% meta-test (your choice)',
    );
  });

  it('refuses fractions that leave nothing to meta-train, naming the fields', () => {
    expect(
      dataError(() => load({ ...episodic, valFraction: 0.5, testFraction: 0.5 })).message,
    ).toBe(
      'digits.csv: the meta-val and meta-test fractions (0.5 + 0.5) leave nothing to meta-train on; their sum must be below 1.',
    );
    expect(dataError(() => load({ ...episodic, testFraction: -0.1 })).message).toMatch(
      /Meta-test fraction must be a number from 0 to below 1 \(got -0\.1\)/,
    );
  });

  it('saves the split settings with the dataset so a session rebuilds the same split', async () => {
    for (const [o, minEach] of [
      [episodic, 3],
      [{ ...episodic, valFraction: 0.2, testFraction: 0.3 }, undefined],
    ] as const) {
      const r = load(o, minEach);
      const record = await csvDatasetRecord({
        name: 'digits.csv',
        bytes: [new TextEncoder().encode(digitsCsv(10, 12))],
        tables: r.tables,
        report: r.report,
      });
      // rebuilt without knowing N: the record alone must give the same split
      const again = load(overridesFromDataset(record));
      expect(again.report.splits).toEqual(r.report.splits);
    }
  });
});
