/**
 * Where a recharts drawing appears on the page: a box the chart worker's
 * SVG markup is put into (one innerHTML assignment, outside React's tree),
 * with the page's own overlay (hover marks) laid over it. The caller
 * memoizes `drawing`: a new object is a new drawing.
 */
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { dropChart, newChartId, requestDrawing } from './client';
import type { Drawing } from './protocol';

export function ChartDrawing(p: {
  drawing: Drawing | null;
  /** set to the drawn <svg> after each drawing (image export) */
  svgRef?: RefObject<SVGSVGElement | null>;
  /** drawn over the chart, same size (hover marks) */
  overlay?: ReactNode;
  /**
   * Wait this long after a change before asking for the drawing (later
   * changes restart the wait): for charts that change at the moment other
   * work starts, so the worker's draw does not compete with it for the cores.
   */
  delayMs?: number;
}) {
  const [id] = useState(newChartId);
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => () => dropChart(id), [id]);
  const { drawing, svgRef, delayMs = 0 } = p;
  useEffect(() => {
    if (!drawing) return;
    const ask = () =>
      requestDrawing(id, drawing, (result) => {
        const el = host.current;
        if (!el) return;
        if ('error' in result) {
          el.innerHTML = '';
          if (svgRef) svgRef.current = null;
          setError(result.error);
          return;
        }
        setError(null);
        el.innerHTML = result.svg;
        if (svgRef) svgRef.current = el.querySelector('svg');
      });
    if (delayMs <= 0) return ask();
    const timer = window.setTimeout(ask, delayMs);
    return () => window.clearTimeout(timer);
  }, [id, drawing, svgRef, delayMs]);
  return (
    <div className="chart-drawing">
      <div ref={host} className="chart-drawing-svg" />
      {p.overlay}
      {error && <p className="chart-empty">The chart could not be drawn: {error}</p>}
    </div>
  );
}
