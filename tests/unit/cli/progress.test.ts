/** The CLI progress bar's numbers: a diverged loss reads "diverged", never NaN (issue 12, item 9). */
import { describe, expect, it } from 'vitest';
import { progressNumber } from '../../../src/cli/progress';

describe('progressNumber', () => {
  it('prints 4 significant digits, and "diverged" for NaN or ±Infinity', () => {
    expect(progressNumber(0.123456)).toBe('0.1235');
    expect(progressNumber(NaN)).toBe('diverged');
    expect(progressNumber(Infinity)).toBe('diverged');
    expect(progressNumber(-Infinity)).toBe('diverged');
  });
});
