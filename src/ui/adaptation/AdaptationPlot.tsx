/**
 * The picture of Figure 2 of the MAML paper, live: on a 1-D regression task,
 * the true function (or the query points when it is unknown), the K support
 * points, the meta-learned model before adaptation and after the slider's
 * number of steps, and both baselines after the same steps.
 *
 * Drawn as plain SVG rather than recharts: a click must map back to data
 * coordinates (to add a support point there), and the plot redraws on every
 * slider move, which a few <path> elements do cheaply. The SVG is hidden from
 * assistive technology; the sentence under it and the "Add support point"
 * form are the accessible route to the same thing.
 */
import { memo, useId, useMemo, useRef, type MouseEvent } from 'react';
import { ImageExport } from './ImageExport';
import type { AdaptResult } from '../../worker/adapt-types';
import { fmt } from '../format';
import { META_COLOR, SUPPORT_COLOR, TRUTH_COLOR, modelColor, modelLabel } from './models';
import { Axes } from '../charts/Axes';
import { linePath, linearScale, ticks, yRange } from '../charts/shape';
import { useWidth } from '../useWidth';

export interface AdaptationPlotProps {
  result: AdaptResult;
  step: number;
  summary: string;
  onAddPoint?: (x: number, y: number) => void;
}

const HEIGHT = 300;
const M = { top: 10, right: 14, bottom: 26, left: 44 };
const round3 = (v: number) => Math.round(v * 1000) / 1000;

interface Curve {
  key: string;
  model: string;
  step: number;
  label: string;
  color: string;
  dash?: string;
  width: number;
  values: Float32Array;
}

function curvesAt(r: AdaptResult, step: number): Curve[] {
  const out: Curve[] = [];
  const [main, ...baselines] = r.models;
  if (!main) return out;
  const before = main.predictions[0];
  if (before && step > 0)
    out.push({
      key: `${main.name}-0`,
      model: main.name,
      step: 0,
      label: `${modelLabel(main.name)}, before adaptation`,
      color: '#93b4f5',
      dash: '6 4',
      width: 1.8,
      values: before,
    });
  for (const b of baselines) {
    const v = b.predictions[step];
    if (v)
      out.push({
        key: `${b.name}-${step}`,
        model: b.name,
        step,
        label: `${modelLabel(b.name)}, ${step} step${step === 1 ? '' : 's'}`,
        color: modelColor(b.name),
        width: 1.8,
        values: v,
      });
  }
  const after = main.predictions[step];
  if (after)
    out.push({
      key: `${main.name}-${step}`,
      model: main.name,
      step,
      label: `${modelLabel(main.name)}, ${step} step${step === 1 ? '' : 's'}`,
      color: META_COLOR,
      width: 2.6,
      values: after,
    });
  return out;
}

function AdaptationPlotImpl(p: AdaptationPlotProps) {
  const id = useId();
  const [ref, width] = useWidth<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const r = p.result;
  const grid = r.grid;
  const curves = useMemo(() => curvesAt(r, p.step), [r, p.step]);
  // The y range stays put while the slider moves: it depends on the task, not the step.
  const [y0, y1] = useMemo(() => {
    const anchors = [r.support.y, r.truth ?? r.query.y];
    const all = r.models.flatMap((m) => [m.predictions[0], m.predictions.at(-1)]);
    return yRange(
      anchors,
      all.filter((v): v is Float32Array => v !== undefined),
    );
  }, [r]);
  if (!grid) return null;
  const x0 = grid[0] as number;
  const x1 = grid[grid.length - 1] as number;
  const w = Math.max(width, 200);
  const sx = linearScale(x0, x1, M.left, w - M.right);
  const sy = linearScale(y0, y1, HEIGHT - M.bottom, M.top);
  const onClick = (e: MouseEvent<SVGSVGElement>) => {
    if (!p.onAddPoint) return;
    const box = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - box.left;
    const py = e.clientY - box.top;
    if (px < M.left || px > w - M.right || py < M.top || py > HEIGHT - M.bottom) return;
    p.onAddPoint(round3(sx.invert(px)), round3(sy.invert(py)));
  };
  const clip = `${id}-clip`.replace(/:/g, '');
  return (
    <figure
      className="chart adapt-figure"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-s`}
      data-testid="adaptation-plot"
    >
      <figcaption id={`${id}-t`}>Adaptation to {r.taskLabel}</figcaption>
      <div className="chart-canvas" ref={ref} style={{ height: HEIGHT }}>
        {width > 0 && (
          <svg
            width={w}
            height={HEIGHT}
            aria-hidden="true"
            className={p.onAddPoint ? 'adapt-svg clickable' : 'adapt-svg'}
            onClick={onClick}
            data-testid="adaptation-svg"
            ref={svgRef}
            xmlns="http://www.w3.org/2000/svg"
          >
            <defs>
              <clipPath id={clip}>
                <rect
                  x={M.left}
                  y={M.top}
                  width={w - M.left - M.right}
                  height={HEIGHT - M.top - M.bottom}
                />
              </clipPath>
            </defs>
            <rect x={0} y={0} width={w} height={HEIGHT} fill="#ffffff" />
            <Axes
              width={w}
              height={HEIGHT}
              m={M}
              sx={sx}
              sy={sy}
              xTicks={ticks(x0, x1)}
              yTicks={ticks(y0, y1)}
              xFormat={fmt}
              yFormat={fmt}
            />
            <g clipPath={`url(#${clip})`} fill="none">
              {r.truth ? (
                <path
                  d={linePath(grid, r.truth, sx, sy)}
                  stroke={TRUTH_COLOR}
                  strokeWidth={2.2}
                  data-testid="adapt-line"
                  data-model="truth"
                />
              ) : (
                Array.from(r.query.x, (qx, i) => (
                  <circle
                    key={i}
                    cx={sx(qx)}
                    cy={sy(r.query.y[i] as number)}
                    r={2}
                    fill="#9ca3af"
                    data-testid="adapt-query"
                  />
                ))
              )}
              {curves.map((c) => (
                <path
                  key={c.key}
                  d={linePath(grid, c.values, sx, sy)}
                  stroke={c.color}
                  strokeWidth={c.width}
                  strokeDasharray={c.dash}
                  data-testid="adapt-line"
                  data-model={c.model}
                  data-step={c.step}
                />
              ))}
              {Array.from(r.support.x, (sxv, i) => (
                <path
                  key={i}
                  d={`M${sx(sxv).toFixed(1)},${(sy(r.support.y[i] as number) - 6).toFixed(1)}l5.5,9.5h-11z`}
                  fill={SUPPORT_COLOR}
                  stroke="#ffffff"
                  strokeWidth={1}
                  data-testid="adapt-support"
                  data-x={sxv}
                  data-y={r.support.y[i]}
                />
              ))}
            </g>
          </svg>
        )}
      </div>
      <ul className="legend" aria-hidden="true">
        {r.truth && (
          <li>
            <span className="swatch" style={{ background: TRUTH_COLOR }} /> true function
          </li>
        )}
        <li>
          <span className="swatch tri" style={{ color: SUPPORT_COLOR }}>
            ▲
          </span>{' '}
          {r.support.x.length} support points
        </li>
        {curves.map((c) => (
          <li key={c.key}>
            <span
              className={c.dash ? 'swatch dashed' : 'swatch'}
              style={{ background: c.dash ? undefined : c.color, borderColor: c.color }}
            />{' '}
            {c.label}
          </li>
        ))}
      </ul>
      <p className="chart-summary" id={`${id}-s`} data-testid="adaptation-plot-summary">
        {p.summary}
      </p>
      <ImageExport svg={svgRef} name={`adaptation-step-${p.step}`} what="the plot" />
    </figure>
  );
}

export const AdaptationPlot = memo(AdaptationPlotImpl);
