/** Chart helpers: min/max downsampling, the smoothed curve, and the summary sentences. */
import { describe, expect, it } from 'vitest';
import { downsampleMinMax, ema } from '../../../src/ui/charts/downsample';
import {
  lossSentence,
  lossSummary,
  throughputSentence,
  validationSentence,
} from '../../../src/ui/charts/summary';
import { Rng } from '../../../src/core/rng';
import { plotRows } from '../../../src/ui/charts/LineFigure';
import {
  DIVERGED_DEFINITION,
  metricUnit,
  normalizationNote,
  trainLossUnit,
} from '../../../src/ui/charts/units';

describe('downsampleMinMax', () => {
  const rng = new Rng(3);
  const points = Array.from({ length: 70_000 }, (_, i) => ({ step: i + 1, v: rng.normal() }));
  points[12_345]!.v = 40; // a spike
  points[54_321]!.v = -40; // a dip

  it('returns at most maxPoints, sorted, with the first and last points', () => {
    const out = downsampleMinMax(points, 500, (p) => p.v);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.length).toBeGreaterThan(400);
    expect(out[0]).toBe(points[0]);
    expect(out[out.length - 1]).toBe(points[points.length - 1]);
    for (let i = 1; i < out.length; i++) expect(out[i]!.step).toBeGreaterThan(out[i - 1]!.step);
  });

  it('keeps every spike and dip (the extremes of each bucket)', () => {
    const out = downsampleMinMax(points, 500, (p) => p.v);
    expect(out.some((p) => p.v === 40)).toBe(true);
    expect(out.some((p) => p.v === -40)).toBe(true);
  });

  it('keeps a non-finite value visible', () => {
    const withNaN = points.map((p) => ({ ...p }));
    withNaN[30_000]!.v = NaN;
    expect(downsampleMinMax(withNaN, 500, (p) => p.v).some((p) => Number.isNaN(p.v))).toBe(true);
  });

  it('copies short histories unchanged and never mutates its input', () => {
    const few = points.slice(0, 300);
    const out = downsampleMinMax(few, 500, (p) => p.v);
    expect(out).toEqual(few);
    expect(out).not.toBe(few);
  });
});

describe('ema', () => {
  it('starts at the mean of the first values (bias-corrected) and follows the trend', () => {
    expect(ema([4, 4, 4], 0.9)).toEqual([4, 4, 4].map(() => expect.closeTo(4, 12)));
    const s = ema([10, 0, 0, 0], 0.5);
    expect(s[0]).toBeCloseTo(10);
    expect(s[1]).toBeCloseTo(10 / 3);
  });
});

describe('summaries', () => {
  it('states first, last, best and the means of the first and last ten steps', () => {
    const pts = Array.from({ length: 30 }, (_, i) => ({ step: i + 1, trainLoss: 30 - i }));
    const s = lossSummary(pts)!;
    expect(s).toMatchObject({ steps: 30, first: 30, last: 1, best: 1, bestStep: 30 });
    expect(s.firstMean).toBeCloseTo(25.5);
    expect(s.lastMean).toBeCloseTo(5.5);
    expect(lossSentence(s)).toBe(
      'Meta-train loss over 30 steps: first 30, last 1, best 1 at step 30; mean of the first 10 steps 25.5, of the last 10 steps 5.5.',
    );
    expect(lossSentence(null)).toMatch(/no steps yet/);
  });

  it('words validation by metric: lower MSE is better, higher accuracy is better', () => {
    const pts = [
      { step: 0, loss: 1, metric: 0.4 },
      { step: 100, loss: 1, metric: 0.7 },
      { step: 200, loss: 1, metric: 0.6 },
    ];
    expect(validationSentence(pts, 'accuracy')).toBe(
      'Meta-validation accuracy on held-out tasks: 40% at step 0, 60% at step 200, best 70% at step 100 (3 evaluations).',
    );
    expect(validationSentence(pts, 'mse')).toMatch(/best 0.4 at step 0/);
    expect(throughputSentence([{ step: 5, tasksPerSec: 40 }])).toMatch(/40 tasks per second/);
  });
});

describe('line figure rows and units', () => {
  it('gives recharts finite numbers or null (a break in the line), never NaN or Infinity', () => {
    const rows = [
      { step: 1, a: 4, b: NaN },
      { step: 5, a: 2, b: 3 },
      { step: 9, a: 1, b: Infinity },
    ];
    expect(plotRows(rows, ['a', 'b', 'missing'])).toEqual([
      { step: 1, a: 4, b: null, missing: null },
      { step: 5, a: 2, b: 3, missing: null },
      { step: 9, a: 1, b: null, missing: null },
    ]);
  });

  it('names standardized units for the loss, original units for validation, and one conversion', () => {
    const target = { column: 'temp', std: 2 };
    expect(trainLossUnit('mse', target)).toBe('MSE, standardized units of temp');
    expect(metricUnit('mse', target)).toBe('MSE, original units of temp (squared)');
    expect(trainLossUnit('accuracy', null)).toMatch(/nats/);
    const note = normalizationNote('mse', target);
    // SD 2: an original-unit MSE is 4 times the standardized one, stated once.
    expect(note).toMatch(/standardized MSE × 4\b/);
    expect(note).toMatch(/already in original units: do not rescale them/);
    expect(normalizationNote('mse', null)).toMatch(/not rescaled/);
    expect(
      lossSentence(lossSummary([{ step: 1, trainLoss: 2 }]), trainLossUnit('mse', target)),
    ).toMatch(/^Meta-train loss \(MSE, standardized units of temp\) over 1 steps/);
    expect(
      validationSentence([{ step: 0, loss: 1, metric: 2 }], 'mse', metricUnit('mse', null)),
    ).toMatch(/^Meta-validation MSE \(MSE, original units\) on held-out tasks: 2 at step 0/);
    expect(DIVERGED_DEFINITION).toMatch(/10 times its loss before adaptation/);
  });
});
