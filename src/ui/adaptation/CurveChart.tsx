/**
 * The adaptation curve: mean metric per adaptation step 0..S over many
 * held-out tasks for the meta-learned model and both baselines, each with
 * its 95% confidence band (mean ± ci95, a shaded polygon) under its mean
 * line, the tasks that diverged marked on the step where they did.
 *
 * Plain SVG, not recharts: recharts registers every series in its store with
 * a cascade of synchronous updates, and mounting the six series of this chart
 * took single main-thread tasks of 50–120 ms here while the worker evaluated,
 * over the 50 ms the page allows itself. A few <path> elements cost ~1 ms.
 */
import { memo, useId, useMemo, useRef } from 'react';
import { ImageExport } from './ImageExport';
import type { EvaluationCurve } from '../../worker/adapt-types';
import type { PastCurve } from '../../store/adaptation-slice';
import { fmt } from '../format';
import { modelColor, modelLabel } from './models';
import { Axes } from '../charts/Axes';
import { bandPath, linePath, linearScale, ticks } from '../charts/shape';
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
  const drawing = useMemo(() => {
    if (!curve) return null;
    const shown = overlays.filter((o) => o.curve.metric === curve.metric);
    const S = Math.max(
      curve.steps[curve.steps.length - 1] ?? 0,
      ...shown.map((o) => o.curve.steps[o.curve.steps.length - 1] ?? 0),
    );
    const sx = linearScale(0, Math.max(S, 1), M.left, w - M.right);
    const [y0, y1] = yDomain(curve, shown);
    const sy = linearScale(y0, y1, HEIGHT - M.bottom, M.top);
    const series = curve.order.map((name) => {
      const m = curve.models[name]!;
      const lower = m.mean.map((v, i) => (v === null ? null : v - (m.ci95[i] ?? 0)));
      const upper = m.mean.map((v, i) => (v === null ? null : v + (m.ci95[i] ?? 0)));
      const mean = m.mean.map((v) => v ?? NaN);
      return {
        name,
        color: modelColor(name),
        band: bandPath(curve.steps, lower, upper, sx, sy),
        line: linePath(curve.steps, mean, sx, sy),
        dots: curve.steps.flatMap((s, i) =>
          m.mean[i] === null ? [] : [{ x: sx(s), y: sy(m.mean[i] as number), s }],
        ),
        diverged: curve.steps.flatMap((s, i) => ((m.diverged[i] ?? 0) > 0 ? [sx(s)] : [])),
      };
    });
    const xTicks = S <= 20 ? Array.from({ length: S + 1 }, (_, s) => s) : ticks(0, S);
    const past = shown.map((o, i) => ({
      id: o.id,
      label: o.label,
      color: OVERLAY_COLORS[i % OVERLAY_COLORS.length] as string,
      line: linePath(
        o.curve.steps,
        (o.curve.models[o.curve.algorithm]?.mean ?? []).map((v) => v ?? NaN),
        sx,
        sy,
      ),
    }));
    return { sx, sy, y0, y1, series, xTicks, past };
  }, [curve, w, overlays]);
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
        {drawing && width > 0 && (
          <svg width={w} height={HEIGHT} xmlns="http://www.w3.org/2000/svg" ref={svgRef}>
            <rect x={0} y={0} width={w} height={HEIGHT} fill="#ffffff" />
            <Axes
              width={w}
              height={HEIGHT}
              m={M}
              sx={drawing.sx}
              sy={drawing.sy}
              xTicks={drawing.xTicks}
              yTicks={ticks(drawing.y0, drawing.y1)}
              xFormat={String}
              yFormat={format}
            />
            {drawing.past.map((o) => (
              <path
                key={`past-${o.id}`}
                d={o.line}
                fill="none"
                stroke={o.color}
                strokeWidth={2}
                strokeDasharray="6 4"
                data-testid="curve-overlay"
                data-run={o.id}
              />
            ))}
            {drawing.series.map((s) => (
              <path
                key={`band-${s.name}`}
                d={s.band}
                fill={s.color}
                fillOpacity={0.15}
                stroke="none"
                data-testid="curve-band"
                data-model={s.name}
              />
            ))}
            {drawing.series.map((s) => (
              <g key={`mean-${s.name}`} fill={s.color}>
                <path
                  d={s.line}
                  fill="none"
                  stroke={s.color}
                  strokeWidth={2}
                  data-testid="curve-line"
                  data-model={s.name}
                />
                {s.dots.map((p) => (
                  <circle key={p.s} cx={p.x} cy={p.y} r={2.5} />
                ))}
                {s.diverged.map((x) => (
                  <text key={x} x={x} y={M.top + 10} textAnchor="middle" fontSize={12}>
                    ⚠
                  </text>
                ))}
              </g>
            ))}
          </svg>
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
