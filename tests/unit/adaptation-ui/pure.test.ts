/**
 * The adaptation panel's pure logic: the CSV export (full-precision numbers,
 * empty cells for diverged steps), the curve rows the chart draws (mean and
 * [lower, upper] band per model), the plot geometry, the summary sentences,
 * and the adaptation slice's reducer and support-point edits.
 */
import { describe, expect, it } from 'vitest';
import type { AdaptResult, EvaluationCurve } from '../../../src/worker/adapt-types';
import { curveCsv, curveFileName, predictionsCsv } from '../../../src/ui/adaptation/csv';
import { linearScale, ticks, yRange } from '../../../src/ui/charts/shape';
import {
  adaptationSentence,
  curveSentence,
  taskMetricSentence,
} from '../../../src/ui/adaptation/summary';
import {
  addSupportPoint,
  currentSupport,
  initialAdaptation,
  reduceAdaptation,
  removeSupportPoint,
  type AdaptationSlice,
} from '../../../src/store/adaptation-slice';

const curve: EvaluationCurve = {
  algorithm: 'maml',
  metric: 'mse',
  steps: [0, 1],
  order: ['maml', 'pretrain', 'scratch'],
  models: {
    maml: { mean: [2.5, 0.123456789], ci95: [0.5, 0.01], median: [2, 0.1], diverged: [0, 0] },
    pretrain: { mean: [3, 2.9], ci95: [0.4, 0.3], median: [2.8, 2.7], diverged: [0, 0] },
    scratch: { mean: [4, null], ci95: [0.6, null], median: [3.9, null], diverged: [0, 7] },
  },
  protocol: {
    episodes: 600,
    shots: 10,
    ways: null,
    queries: 100,
    innerLr: 0.01,
    seed: 1,
    maxSteps: 1,
    backend: 'wasm',
    unitKind: 'tasks',
    distinctUnits: 600,
    ciMethod: 'clustered',
  },
  durationMs: 1234,
};

const result: AdaptResult = {
  requestId: 3,
  kind: 'regression',
  inputDim: 1,
  metric: 'mse',
  steps: 2,
  innerLr: 0.01,
  taskLabel: 'sinusoid A=2.00 φ=0.50',
  params: { amplitude: 2, phase: 0.5 },
  support: { x: Float32Array.of(-1, 1), y: Float32Array.of(0.5, 1.5) },
  query: { x: new Float32Array(0), y: new Float32Array(0) },
  grid: Float32Array.of(-5, 0, 5),
  truth: Float32Array.of(1, 2, 3),
  models: [
    {
      name: 'maml',
      metric: [1, 0.5, 0.25],
      predictions: [Float32Array.of(0, 0, 0), Float32Array.of(1, 1, 1), Float32Array.of(2, 2, 2)],
    },
    { name: 'pretrain', metric: [3, 2.5, 2], predictions: [] },
    { name: 'scratch', metric: [4, 3.5, 3], predictions: [] },
  ],
  edited: false,
};

describe('curve CSV', () => {
  it('writes every model and step with full precision and the protocol', () => {
    const lines = curveCsv(curve).trim().split('\n');
    expect(lines[0]).toBe(
      'model,step,mean,ci95,lower,upper,median,diverged,metric,tasks,shots,ways,queries,inner_lr,seed,distinct_units,unit_kind',
    );
    expect(lines).toHaveLength(1 + 3 * 2);
    expect(lines[2]).toBe(
      `maml,1,0.123456789,0.01,${0.123456789 - 0.01},${0.123456789 + 0.01},0.1,0,mse,600,10,,100,0.01,1,600,tasks`,
    );
    expect(lines[6]).toBe('scratch,1,,,,,,7,mse,600,10,,100,0.01,1,600,tasks');
    expect(curveFileName(curve)).toBe('adaptation-curve-maml-600-tasks-K10-seed1.csv');
  });

  it('writes the plot at one step', () => {
    const lines = predictionsCsv(result, 1).trim().split('\n');
    expect(lines[0]).toBe('x,truth,maml_step_1,pretrain_step_1,scratch_step_1');
    expect(lines[1]).toBe('-5,1,1,,');
  });
});

describe('curve shaping and plot geometry', () => {
  it('maps and inverts linear scales (clicks and hovers on a drawing)', () => {
    const s = linearScale(-5, 5, 0, 100);
    expect(s(0)).toBe(50);
    expect(s.invert(75)).toBe(2.5);
  });

  it('keeps the y range on the truth and drops a blown-up curve', () => {
    const [lo, hi] = yRange([[-2, 2]], [[-3, 3], [1e6]]);
    expect(lo).toBeCloseTo(-3 - 0.08 * 6);
    expect(hi).toBeCloseTo(3 + 0.08 * 6);
    expect(ticks(-5, 5)).toEqual([-4, -2, 0, 2, 4]);
  });
});

describe('summary sentences', () => {
  it('states the numbers of the plot, the task metric and the curve', () => {
    expect(adaptationSentence(result, 1)).toBe(
      'sinusoid A=2.00 φ=0.50, 2 support points: query MSE of MAML (second order) 1 before ' +
        'adaptation and 0.5 after 1 step; after 1 step, Pre-trained + fine-tuning 2.5, From scratch 3.5.',
    );
    expect(taskMetricSentence(result)).toBe(
      'Query MSE on this task from 0 to 2 steps: MAML (second order) 1 → 0.25; ' +
        'Pre-trained + fine-tuning 3 → 2; From scratch 4 → 3.',
    );
    expect(curveSentence(curve)).toBe(
      'Mean MSE (95% CI) on 600 held-out tasks from 0 to 1 step: MAML (second order) 2.5 → 0.123 ± 0.01; ' +
        'Pre-trained + fine-tuning 3 → 2.9 ± 0.3; From scratch 4 → diverged ± diverged (7 diverged).',
    );
    expect(curveSentence(null)).toBe('Adaptation curve: not evaluated yet.');
  });

  it('names the unit of the figures when the view passes it', () => {
    const unit = 'MSE, original units of temp (squared)';
    expect(adaptationSentence(result, 1, unit)).toMatch(
      /: query MSE \(MSE, original units of temp \(squared\)\) of MAML/,
    );
    expect(taskMetricSentence(result, unit)).toMatch(
      /^Query MSE \(MSE, original units of temp \(squared\)\) on this task from 0 to 2 steps/,
    );
    expect(curveSentence(curve, unit)).toMatch(
      /^Mean MSE \(MSE, original units of temp \(squared\); 95% CI\) on 600 held-out tasks/,
    );
  });
});

describe('adaptation slice', () => {
  it('keeps only the latest request, clamps the slider, resets on a new model', () => {
    let a: AdaptationSlice = { ...initialAdaptation, requestId: 3, pending: 'adapt', step: 5 };
    const stale = reduceAdaptation(a, { type: 'adaptation', ...result, requestId: 2 });
    expect(stale).toBe(a);
    a = reduceAdaptation(a, { type: 'adaptation', ...result });
    expect(a.result?.requestId).toBe(3);
    expect(a.step).toBe(2);
    expect(a.pending).toBeNull();
    const done = reduceAdaptation(a, { type: 'done', reason: 'finished', step: 10, bestStep: 10 });
    expect(done).toMatchObject({ hasModel: true, result: null, modelEpoch: 1 });
    const idle = reduceAdaptation(done, { type: 'idle' });
    expect(idle.hasModel).toBe(false);
  });

  it('keeps the evaluated curve of a replaced model for overlays', () => {
    let a: AdaptationSlice = { ...initialAdaptation, hasModel: true, modelEpoch: 1 };
    a = reduceAdaptation(a, {
      type: 'evaluation',
      metric: 'mse',
      steps: [0, 1],
      mean: [],
      ci95: [],
      episodes: 600,
      curve,
    });
    a = { ...a, overlay: [7] };
    a = reduceAdaptation(a, { type: 'done', reason: 'finished', step: 1, bestStep: 1 });
    expect(a.evaluation).toBeNull();
    expect(a.past).toEqual([{ id: 1, label: 'run 1: maml, K 10, 600 tasks, seed 1', curve }]);
    expect(a.overlay).toEqual([]);
  });

  it('clears a pending job on an error and records progress', () => {
    let a: AdaptationSlice = { ...initialAdaptation, pending: 'evaluate' };
    a = reduceAdaptation(a, { type: 'adapt-progress', phase: 'evaluate', done: 100, total: 600 });
    expect(a.progress).toEqual({ phase: 'evaluate', done: 100, total: 600 });
    a = reduceAdaptation(a, { type: 'error', code: 'busy', message: 'Stop the run first.' });
    expect(a).toMatchObject({ pending: null, progress: null, error: 'Stop the run first.' });
  });

  it('edits support points from the result, sorted by x', () => {
    const s = currentSupport({ support: null, result });
    expect(s).toEqual({ x: [-1, 1], y: [0.5, 1.5] });
    const added = addSupportPoint(s!, 0, 9);
    expect(added).toEqual({ x: [-1, 0, 1], y: [0.5, 9, 1.5] });
    expect(removeSupportPoint(added, 0)).toEqual({ x: [0, 1], y: [9, 1.5] });
  });
});
