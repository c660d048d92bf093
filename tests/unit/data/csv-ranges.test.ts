/**
 * Numbers out of float32 range (issue 12, item 9): refused before training,
 * naming file, row and column — before this, 1e308 trained on infinities and
 * the session could not be saved ("normalization std: got Infinity").
 */
import { describe, expect, it } from 'vitest';
import { loadCsvTexts } from '../../../src/core/data/index';
import { csv, dataError, regressionCsv } from './helpers';

const load = (text: string) =>
  loadCsvTexts([{ fileName: 'big.csv', text }], { taskColumn: 'task', target: 'y' }, { seed: 1 });
// regressionCsv(6, 6): header on row 1, 36 data rows; the first extra row is row 38.
const withRow = (cells: (string | number)[]) => regressionCsv(6, 6) + csv([cells]);

describe('numbers too large for 32-bit floats', () => {
  it.each([
    ['1e308', 'x1'],
    ['1.8e308', 'x1'],
    ['-5e38', 'x2'],
  ])('refuses the feature %s naming row and column', (value, column) => {
    const cells: (string | number)[] = ['t0', 1, 2, 3];
    cells[column === 'x1' ? 1 : 2] = value;
    const e = dataError(() => load(withRow(cells)));
    expect(e.message).toMatch(
      new RegExp(
        `^big\\.csv, row 38, column "${column}": "${value.replace('.', '\\.')}" is too large`,
      ),
    );
    expect(e.where).toMatchObject({ file: 'big.csv', row: 38, column });
  });

  it('refuses a 30-digit target, whose squared errors would overflow', () => {
    const e = dataError(() => load(withRow(['t0', 1, 2, '123456789012345678901234567890'])));
    expect(e.message).toMatch(
      /^big\.csv, row 38, column "y": "123456789012345678901234567890" is too large: a target beyond/,
    );
  });

  it('accepts a 30-digit feature (it fits float32) with finite normalization', () => {
    const r = load(withRow(['t0', '123456789012345678901234567890', 2, 3]));
    const x1 = r.report.normalization.features.find((f) => f.column === 'x1');
    expect(Number.isFinite(x1 && 'std' in x1 ? x1.std : NaN)).toBe(true);
  });

  it('keeps "inf" text as a non-finite gap, not a refusal', () => {
    expect(() => load(withRow(['t0', 'inf', 2, 3]))).not.toThrow();
  });
});
