/**
 * The adaptation curve: mean metric per adaptation step 0..S over many
 * held-out tasks for the meta-learned model and both baselines, each with
 * its 95% confidence band (mean ± ci95, a shaded polygon) under its mean
 * line, the tasks that diverged marked on the step where they did.
 *
 * recharts draws it in the chart worker (charts/offthread): mounting its six
 * series on the main thread took single tasks of 50–120 ms while the worker
 * evaluated, over the 50 ms the page allows itself; off the main thread the
 * page pays one markup assignment.
 */
import { memo, useId, useMemo, useRef } from 'react';
import { ImageExport } from './ImageExport';
import type { EvaluationCurve } from '../../worker/adapt-types';
import type { PastCurve } from '../../store/adaptation-slice';
import { fmt } from '../format';
import { modelColor, modelLabel } from './models';
import { ChartDrawing } from '../charts/offthread/ChartDrawing';
import { axisSpec } from '../charts/offthread/axis';
import type { CurveDrawing } from '../charts/offthread/protocol';
import { ticks } from '../charts/shape';
import { curveSentence } from './summary';
import { metricUnit } from '../charts/units';
import { useTargetScale } from '../charts/useTargetScale';
import { useWidth } from '../useWidth';

const HEIGHT = 240;
const M = { top: 10, right: 16, bottom: 26, left: 52 };
const percent = (v: number) => `${fmt(100 * v)}%`;

export interface CurveChartProps {
  curve: EvaluationCurve | null;
  /** earlier runs whose meta-learned curve is drawn dashed for comparison */
  overlays?: readonly PastCurve[];
}

const OVERLAY_COLORS = ['#0f766e', '#a21caf', '#b45309', '#0369a1', '#be123c', '#4d7c0f'];
const NO_OVERLAYS: readonly PastCurve[] = [];

function yDomain(curve: EvaluationCurve, overlays: readonly PastCurve[]): [number, number] {
  if (curve.metric === 'accuracy') return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  const all = [
    ...curve.order.map((name) => curve.models[name]),
    ...overlays.map((o) => o.curve.models[o.curve.algorithm]),
  ];
  for (const m of all) {
    m?.mean.forEach((v, i) => {
      if (v === null) return;
      const c = m.ci95[i] ?? 0;
      lo = Math.min(lo, v - c);
      hi = Math.max(hi, v + c);
    });
  }
  if (!Number.isFinite(lo)) return [0, 1];
  const pad = 0.05 * Math.max(hi - lo, 1e-6);
  return [Math.max(0, lo - pad), hi + pad];
}

interface Past {
  id: number;
  label: string;
  color: string;
}

/** The curve as plain data for the chart worker: a row per step with each model's mean and band. */
function curveDrawing(
  curve: EvaluationCurve,
  overlays: readonly PastCurve[],
  w: number,
  format: (v: number) => string,
): { chart: CurveDrawing; past: Past[] } {
  const shown = overlays.filter((o) => o.curve.metric === curve.metric);
  const S = Math.max(
    curve.steps[curve.steps.length - 1] ?? 0,
    ...shown.map((o) => o.curve.steps[o.curve.steps.length - 1] ?? 0),
  );
  const [y0, y1] = yDomain(curve, shown);
  const byStep = new Map<number, Record<string, number | [number, number] | null>>();
  const row = (step: number) => {
    let r = byStep.get(step);
    if (!r) byStep.set(step, (r = { step }));
    return r;
  };
  const series = curve.order.map((name, k) => {
    const m = curve.models[name]!;
    const key = `m${k}`;
    curve.steps.forEach((step, i) => {
      const v = m.mean[i];
      const c = m.ci95[i] ?? 0;
      const r = row(step);
      r[key] = v === null || v === undefined ? null : v;
      r[`${key}_band`] = v === null || v === undefined ? null : [v - c, v + c];
    });
    return {
      key,
      color: modelColor(name),
      model: name,
      diverged: curve.steps.filter((_, i) => (m.diverged[i] ?? 0) > 0),
    };
  });
  const past = shown.map((o, i) => ({
    id: o.id,
    label: o.label,
    color: OVERLAY_COLORS[i % OVERLAY_COLORS.length] as string,
  }));
  shown.forEach((o, i) => {
    const mean = o.curve.models[o.curve.algorithm]?.mean ?? [];
    o.curve.steps.forEach((step, j) => {
      row(step)[`o${i}`] = mean[j] ?? null;
    });
  });
  const xTicks = S <= 20 ? Array.from({ length: S + 1 }, (_, s) => s) : ticks(0, S);
  const chart: CurveDrawing = {
    kind: 'curve',
    width: w,
    height: HEIGHT,
    margins: M,
    x: axisSpec(0, Math.max(S, 1), String, '', xTicks),
    y: axisSpec(y0, y1, format, '', ticks(y0, y1)),
    rows: [...byStep.values()].sort((a, b) => (a.step as number) - (b.step as number)),
    series,
    overlays: past.map((o, i) => ({ key: `o${i}`, color: o.color, run: String(o.id) })),
  };
  return { chart, past };
}

function CurveChartImpl({ curve, overlays = NO_OVERLAYS }: CurveChartProps) {
  const id = useId();
  const [ref, width] = useWidth<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const target = useTargetScale();
  const summary = useMemo(
    () => curveSentence(curve, metricUnit(curve?.metric ?? 'mse', target)),
    [curve, target],
  );
  const accuracy = curve?.metric === 'accuracy';
  const format = accuracy ? percent : fmt;
  const w = Math.max(width, 200);
  const drawing = useMemo(
    () => (curve && width > 0 ? curveDrawing(curve, overlays, w, format) : null),
    [curve, overlays, w, width, format],
  );
  return (
    <figure
      className="chart"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-s`}
      data-testid="adaptation-curve"
    >
      <figcaption id={`${id}-t`}>
        Adaptation curve: {accuracy ? 'accuracy' : 'MSE'} after each step (mean and 95% band)
      </figcaption>
      <div className="chart-canvas" aria-hidden="true" style={{ height: HEIGHT }} ref={ref}>
        {!drawing && <p className="chart-empty">Evaluate to see the curves of the three models.</p>}
        {drawing && <ChartDrawing drawing={drawing.chart} svgRef={svgRef} />}
      </div>
      {curve && (
        <ul className="legend" aria-hidden="true">
          {curve.order.map((name) => (
            <li key={name}>
              <span className="swatch" style={{ background: modelColor(name) }} />{' '}
              {modelLabel(name)} (band: 95% CI)
            </li>
          ))}
          {drawing?.past.map((o) => (
            <li key={`past-${o.id}`}>
              <span className="swatch dashed" style={{ borderColor: o.color }} /> {o.label} (dashed)
            </li>
          ))}
        </ul>
      )}
      <p className="chart-summary" id={`${id}-s`} data-testid="adaptation-curve-summary">
        {summary}
      </p>
      {curve && (
        <ImageExport svg={svgRef} name={`adaptation-curve-${curve.algorithm}`} what="the curve" />
      )}
    </figure>
  );
}

export const CurveChart = memo(CurveChartImpl);
