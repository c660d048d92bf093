/** The data panel's wording of the CSV report (src/ui/data/csv-words.ts). */
import { describe, expect, it } from 'vitest';
import {
  classesText,
  missingList,
  repairLines,
  splitText,
  spreadText,
} from '../../../src/ui/data/csv-words';
import { stagedFrom } from './fixtures';

describe('csv words', () => {
  it('counts repairs by kind, most frequent first', () => {
    expect(repairLines({ 'missing-value': 2, 'ragged-row': 5, 'small-task': 0 })).toEqual([
      '5 rows with the wrong number of cells (dropped)',
      '2 empty cells (filled with the meta-train mean)',
    ]);
    expect(repairLines({})).toEqual([]);
  });

  it('spreads, splits, classes and missing values', () => {
    expect(spreadText({ min: 3, median: 12, max: 40 })).toBe('3 / 12 / 40');
    expect(spreadText(null)).toBe('–');
    const text = [
      'x,label',
      ...Array.from({ length: 40 }, (_, i) => `${i % 7 === 0 ? '' : i},c${i % 5}`),
    ].join('\n');
    const r = stagedFrom(text).report;
    expect(splitText(r)).toMatch(/^\d+ \/ \d+ \/ \d+ classes$/);
    expect(classesText(r)).toMatch(/^5: c\d \(8\)/);
    expect(missingList(r)).toEqual([{ column: 'x', count: 6 }]);
  });
});
