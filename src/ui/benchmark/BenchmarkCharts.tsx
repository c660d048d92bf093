/**
 * A bar chart per backend: meta-steps/s of each of its cases, on one scale
 * shared by all backends so they compare at a glance. Plain SVG (a handful
 * of rects), cheap enough to redraw after every case without a long task on
 * the main thread; each chart has its text summary as caption.
 */
import { memo } from 'react';
import type { BenchRow } from '../../bench/cases';
import { ENGINE_BACKEND_LABELS, type EngineBackendName } from '../../core/spec/backend';
import { formatRate } from '../header/badge';
import { caseName, chartSummary } from './format';

const BAR = 18;
const GAP = 6;
const LABEL_W = 190;
const PLOT_W = 220;

function Chart({
  backend,
  rows,
  max,
}: {
  backend: EngineBackendName;
  rows: BenchRow[];
  max: number;
}) {
  const label = ENGINE_BACKEND_LABELS[backend];
  const id = `bench-chart-${backend}`;
  const height = rows.length * (BAR + GAP) + GAP;
  return (
    <figure className="bench-chart" aria-labelledby={`${id}-summary`}>
      <svg
        width={LABEL_W + PLOT_W + 60}
        height={height}
        role="img"
        aria-labelledby={`${id}-summary`}
        data-testid={id}
      >
        {rows.map((r, i) => {
          const y = GAP + i * (BAR + GAP);
          const w = r.status === 'ok' && max > 0 ? Math.max(1, (r.stepsPerSec / max) * PLOT_W) : 0;
          return (
            <g key={i}>
              <text x={LABEL_W - 6} y={y + BAR * 0.72} textAnchor="end" fontSize="12">
                {caseName(r)}
              </text>
              <rect x={LABEL_W} y={y} width={w} height={BAR} fill="#1d4ed8" rx="2" />
              <text x={LABEL_W + w + 4} y={y + BAR * 0.72} fontSize="12">
                {r.status === 'ok'
                  ? formatRate(r.stepsPerSec)
                  : r.status === 'over-budget'
                    ? 'over budget'
                    : r.status}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id={`${id}-summary`} data-testid={`${id}-summary`}>
        {chartSummary(`${label}, meta-steps/s per case`, rows)}
      </figcaption>
    </figure>
  );
}

function BenchmarkChartsImpl({ rows }: { rows: readonly BenchRow[] }) {
  const backends = [...new Set(rows.map((r) => r.backend))];
  const max = Math.max(0, ...rows.map((r) => (r.status === 'ok' ? r.stepsPerSec : 0)));
  if (backends.length === 0) return null;
  return (
    <div className="bench-charts">
      {backends.map((b) => (
        <Chart key={b} backend={b} rows={rows.filter((r) => r.backend === b)} max={max} />
      ))}
    </div>
  );
}

/** Memoized: progress updates during a run re-render the page, not the finished rows. */
export const BenchmarkCharts = memo(BenchmarkChartsImpl);
