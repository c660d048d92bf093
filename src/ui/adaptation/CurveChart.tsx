/**
 * The adaptation curve: mean metric per adaptation step 0..S over many
 * held-out tasks for the meta-learned model and both baselines, each with
 * its 95% confidence band (mean ± ci95) under its mean line, and the tasks
 * that diverged marked with ⚠ on the step where they did.
 *
 * The drawing is recharts (CurveCanvas, loaded lazily with it); this shell
 * keeps the caption with the unit, the legend with the definition of
 * "diverged", the sentence and the export buttons in the entry chunk.
 */
import { Suspense, lazy, memo, useEffect, useId, useMemo } from 'react';
import { ImageExport } from './ImageExport';
import type { EvaluationCurve } from '../../worker/adapt-types';
import type { PastCurve } from '../../store/adaptation-slice';
import { fmt } from '../format';
import { modelColor, modelLabel } from './models';
import type { OverlayLine } from '../charts/shape';
import { curveSentence } from './summary';
import { DIVERGED_DEFINITION, axisUnit, metricUnit } from '../charts/units';
import { useTargetScale } from '../charts/useTargetScale';
import { useWidth } from '../useWidth';

const CurveCanvas = lazy(() => import('./CurveCanvas'));

/** Starts loading the drawing's chunk before the first evaluation ends. */
export function preloadCurveCanvas(): void {
  void import('./CurveCanvas');
}

const HEIGHT = 250;
const percent = (v: number) => `${fmt(100 * v)}%`;
const fmtValue = (v: number) => fmt(v);

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

function CurveChartImpl({ curve, overlays = NO_OVERLAYS }: CurveChartProps) {
  const id = useId();
  const [ref, width] = useWidth<HTMLDivElement>();
  const summary = useMemo(() => curveSentence(curve), [curve]);
  // Loaded while the evaluation runs, so the first curve does not wait for (or parse) recharts.
  useEffect(preloadCurveCanvas, []);
  const target = useTargetScale();
  const metric = curve?.metric ?? 'mse';
  const accuracy = metric === 'accuracy';
  const shown = useMemo<OverlayLine[]>(
    () =>
      curve
        ? overlays
            .filter((o) => o.curve.metric === curve.metric)
            .map((o, i) => ({
              id: o.id,
              label: o.label,
              color: OVERLAY_COLORS[i % OVERLAY_COLORS.length] as string,
              curve: o.curve,
            }))
        : [],
    [curve, overlays],
  );
  const domain = useMemo(
    () =>
      curve
        ? yDomain(
            curve,
            overlays.filter((o) => o.curve.metric === curve.metric),
          )
        : null,
    [curve, overlays],
  );
  const anyDiverged =
    curve?.order.some((n) => (curve.models[n]?.diverged ?? []).some((d) => d > 0)) ?? false;
  return (
    <figure
      className="chart"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-s`}
      data-testid="adaptation-curve"
    >
      <figcaption id={`${id}-t`}>
        Adaptation curve: {accuracy ? 'accuracy' : 'MSE'} after each step (mean and 95% band){' '}
        <span className="chart-unit">({metricUnit(metric, target)})</span>
      </figcaption>
      <div className="chart-canvas" aria-hidden="true" style={{ height: HEIGHT }} ref={ref}>
        {!curve && <p className="chart-empty">Evaluate to see the curves of the three models.</p>}
        {curve && domain && width > 0 && (
          <Suspense fallback={null}>
            <CurveCanvas
              curve={curve}
              overlays={shown}
              width={Math.max(width, 200)}
              height={HEIGHT}
              yDomain={domain}
              yFormat={accuracy ? percent : fmtValue}
              yLabel={axisUnit('metric', metric)}
            />
          </Suspense>
        )}
      </div>
      {curve && (
        <ul className="legend" aria-hidden="true">
          {curve.order.map((name) => (
            <li key={name}>
              <span className="swatch" style={{ background: modelColor(name) }} />{' '}
              {modelLabel(name)} (band: 95% CI)
            </li>
          ))}
          {shown.map((o) => (
            <li key={`past-${o.id}`}>
              <span className="swatch dashed" style={{ borderColor: o.color }} /> {o.label} (dashed)
            </li>
          ))}
        </ul>
      )}
      {anyDiverged && (
        <p className="chart-note muted" data-testid="curve-diverged-note">
          ⚠ {DIVERGED_DEFINITION}
        </p>
      )}
      <p className="chart-summary" id={`${id}-s`} data-testid="adaptation-curve-summary">
        {summary}
      </p>
      {curve && (
        <ImageExport box={ref} name={`adaptation-curve-${curve.algorithm}`} what="the curve" />
      )}
    </figure>
  );
}

export const CurveChart = memo(CurveChartImpl);
