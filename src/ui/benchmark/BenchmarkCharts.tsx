/**
 * A bar chart per backend: meta-steps/s of each of its cases, on one scale
 * shared by all backends so they compare at a glance. recharts draws the
 * bars in the chart worker (charts/offthread), so a finished case costs the
 * page one markup assignment; each chart has its text summary as caption.
 */
import { memo, useMemo } from 'react';
import { ChartDrawing } from '../charts/offthread/ChartDrawing';
import type { BarsDrawing } from '../charts/offthread/protocol';
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
  const drawing = useMemo<BarsDrawing>(
    () => ({
      kind: 'bars',
      width: LABEL_W + PLOT_W + 60,
      height,
      labelWidth: LABEL_W,
      max,
      color: '#1d4ed8',
      bars: rows.map((r) => ({
        label: caseName(r),
        value: r.status === 'ok' ? r.stepsPerSec : 0,
        text:
          r.status === 'ok'
            ? formatRate(r.stepsPerSec)
            : r.status === 'over-budget'
              ? 'over budget'
              : r.status,
      })),
    }),
    [rows, max, height],
  );
  return (
    <figure className="bench-chart" aria-labelledby={`${id}-summary`}>
      <div
        role="img"
        aria-labelledby={`${id}-summary`}
        data-testid={id}
        style={{ width: LABEL_W + PLOT_W + 60, height }}
      >
        {/* A case ends as the next one's worker starts (its backend set up, its
            kernels compiled): the bars follow a second later, the table at once. */}
        <ChartDrawing drawing={drawing} delayMs={1000} />
      </div>
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
