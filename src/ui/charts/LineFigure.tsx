/**
 * One live chart: a titled figure whose caption names the y unit, a recharts
 * line chart (LinePlot, loaded lazily), and under it the sentence with its
 * key numbers, which is also the figure's accessible description (the chart
 * itself is hidden from assistive technology).
 *
 * The figure, legend and sentence are plain React in the entry chunk, so the
 * numbers are there before (and without) recharts; the drawing follows when
 * its chunk has loaded. Rows reach the drawing with non-finite values as
 * null (a break in the line), already downsampled by the caller.
 */
import { Suspense, lazy, memo, useId, useMemo } from 'react';
import { fmt } from '../format';
import { useWidth } from '../useWidth';

import type { Bound, Series } from './series';

export type { Bound, Series };

const LinePlot = lazy(() => import('./LinePlot'));

/** Starts loading the drawing's chunk before the first chart needs it. */
export function preloadLinePlot(): void {
  void import('./LinePlot');
}

export interface LineFigureProps {
  title: string;
  /** the y axis's unit in words, shown in the caption */
  unit: string;
  /** its short form, written along the y axis */
  axis: string;
  summary: string;
  /** sorted by step; series values are read as row[series.key] */
  data: readonly { step: number }[];
  series: Series[];
  empty: string;
  testId: string;
  yDomain?: [Bound, Bound];
  yFormat?: (v: number) => string;
  height?: number;
  /** a sentence under the summary (units, normalization) */
  note?: string;
}

const AUTO: [Bound, Bound] = ['auto', 'auto'];
// The canvas holds the chart and, before the first point, the hint over it.
const CANVAS = { position: 'relative' as const };
const OVERLAY = { position: 'absolute' as const, inset: 0, margin: 0 };
const defaultFormat = (v: number) => fmt(v);

/** The rows as recharts reads them: every series value a finite number or null. */
export function plotRows(
  data: readonly { step: number }[],
  keys: readonly string[],
): Record<string, number | null>[] {
  return data.map((row) => {
    const out: Record<string, number | null> = { step: row.step };
    for (const k of keys) {
      const v = (row as unknown as Record<string, unknown>)[k];
      out[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
    return out;
  });
}

function LineFigureImpl(p: LineFigureProps) {
  const id = useId();
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = p.height ?? 190;
  const rows = useMemo(
    () =>
      plotRows(
        p.data,
        p.series.map((s) => s.key),
      ),
    [p.data, p.series],
  );
  return (
    <figure
      className="chart"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-s`}
      data-testid={p.testId}
    >
      <figcaption id={`${id}-t`}>
        {p.title} <span className="chart-unit">({p.unit})</span>
      </figcaption>
      <div className="chart-canvas" aria-hidden="true" style={{ ...CANVAS, height }} ref={ref}>
        {rows.length === 0 && (
          <p className="chart-empty" style={OVERLAY}>
            {p.empty}
          </p>
        )}
        {/* Mounted empty, before the run: the first mount of a recharts chart is its
            costliest render, and it should not land between two training steps. */}
        {width > 0 && (
          <Suspense fallback={null}>
            <LinePlot
              data={rows}
              series={p.series}
              width={width}
              height={height}
              yDomain={p.yDomain ?? AUTO}
              yFormat={p.yFormat ?? defaultFormat}
              yLabel={p.axis}
            />
          </Suspense>
        )}
      </div>
      {p.series.length > 1 && (
        <ul className="legend" aria-hidden="true">
          {p.series.map((s) => (
            <li key={s.key}>
              <span className="swatch" style={{ background: s.color }} /> {s.name}
            </li>
          ))}
        </ul>
      )}
      <p className="chart-summary" id={`${id}-s`} data-testid={`${p.testId}-summary`}>
        {p.summary}
      </p>
      {p.note && (
        <p className="chart-note muted" data-testid={`${p.testId}-note`}>
          {p.note}
        </p>
      )}
    </figure>
  );
}

export const LineFigure = memo(LineFigureImpl);
