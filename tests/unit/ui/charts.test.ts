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
import { nearestIndex, yExtent } from '../../../src/ui/charts/LineFigure';
import {
  DIVERGED_DEFINITION,
  axisUnit,
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

describe('line figure geometry', () => {
  const rows = [
    { step: 1, a: 4, b: NaN },
    { step: 5, a: 2, b: 3 },
    { step: 9, a: 1, b: Infinity },
  ];

  it('spans the finite values of every series, padded by 5%, unless bounds are fixed', () => {
    const [lo, hi] = yExtent(rows, ['a', 'b'], ['auto', 'auto']);
    expect(lo).toBeCloseTo(1 - 0.15, 12);
    expect(hi).toBeCloseTo(4 + 0.15, 12);
    expect(yExtent(rows, ['a'], [0, 1])).toEqual([0, 1]);
    expect(yExtent(rows, ['a'], [0, 'auto'])[1]).toBeCloseTo(4.15, 12);
    // no finite value at all, or one value: still a non-empty range
    expect(yExtent(rows, ['missing'], ['auto', 'auto'])).toEqual([-0.05, 1.05]);
    const single = [{ step: 1, a: 3 }];
    const [a, b] = yExtent(single, ['a'], ['auto', 'auto']);
    expect(b).toBeGreaterThan(a);
  });

  it('finds the row nearest to a step (hover)', () => {
    expect(nearestIndex(rows, -10)).toBe(0);
    expect(nearestIndex(rows, 2.9)).toBe(0);
    expect(nearestIndex(rows, 3.1)).toBe(1);
    expect(nearestIndex(rows, 8)).toBe(2);
    expect(nearestIndex(rows, 1e9)).toBe(2);
    expect(nearestIndex([{ step: 7 }], 0)).toBe(0);
  });
});

describe('units in the chart sentences', () => {
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

describe('units where the charts and tables show them (issue 12 item 5)', () => {
  it('says "standardized" only for a rescaled target, on the caption and the axis alike', () => {
    const target = { column: 'temp', std: 2 };
    expect(axisUnit('loss', 'mse', target)).toBe('MSE (standardized)');
    expect(axisUnit('metric', 'mse', target)).toBe('MSE (original)');
    // A built-in family is not rescaled: its loss is not labelled standardized anywhere.
    expect(trainLossUnit('mse', null)).toBe('MSE, original units');
    expect(axisUnit('loss', 'mse', null)).toBe('MSE (original)');
    const builtin = normalizationNote('mse', null);
    expect(builtin).not.toMatch(/standardized/);
    expect(builtin).toMatch(/no conversion applies/);
    expect(axisUnit('loss', 'accuracy', null)).toBe('nats');
    expect(axisUnit('metric', 'accuracy', null)).toBe('% correct');
  });

  it("states the one conversion that turns a standardized loss into the validation's units", () => {
    // A target in its own units, its meta-train statistics, and a prediction of it.
    const y = [12, 15, 9, 20, 14];
    const pred = [13, 14, 11, 18, 14.5];
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const sd = Math.sqrt(y.reduce((a, v) => a + (v - mean) ** 2, 0) / y.length);
    const mse = (a: number[], b: number[]) =>
      a.reduce((acc, v, i) => acc + (v - (b[i] as number)) ** 2, 0) / a.length;
    const std = (v: number[]) => v.map((x) => (x - mean) / sd);
    const note = normalizationNote('mse', { column: 'temp', std: sd });
    const factor = Number(/standardized MSE × ([0-9.]+)/.exec(note)?.[1]);
    // fmt rounds to 3 significant digits: the stated factor converts to about 0.1%.
    expect(factor * mse(std(y), std(pred))).toBeCloseTo(mse(y, pred), 1);
    expect(Math.abs(factor * mse(std(y), std(pred)) - mse(y, pred)) / mse(y, pred)).toBeLessThan(
      5e-3,
    );
    // …and the figures already in original units are named, so they are not converted again.
    expect(note).toMatch(/Validation and evaluation MSE are already in original units/);
  });

  it('defines "diverged" as the engine counts it', () => {
    expect(DIVERGED_DEFINITION).toMatch(/not a finite number/);
    expect(DIVERGED_DEFINITION).toMatch(/more than 10 times its loss before adaptation \(step 0\)/);
  });
});
