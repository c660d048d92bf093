/**
 * A bar chart per backend: meta-steps/s of each of its cases, on one scale
 * shared by all backends so they compare at a glance. The bars are recharts
 * (BarsCanvas, loaded lazily with it, preloaded when the page opens so the
 * first finished case does not parse recharts mid-run); the text summary of
 * each chart is its caption and its accessible name.
 */
import { Suspense, lazy, memo, useEffect, useMemo } from 'react';
import type { BenchRow } from '../../bench/cases';
import type { BackendName } from '../../worker/protocol';
import { BACKEND_LABELS, formatRate } from '../header/badge';
import type { BarRow } from './BarsCanvas';
import { caseName, chartSummary } from './format';

const BarsCanvas = lazy(() => import('./BarsCanvas'));

function barRows(rows: readonly BenchRow[]): BarRow[] {
  return rows.map((r) => ({
    name: caseName(r),
    value: r.status === 'ok' ? r.stepsPerSec : 0,
    label:
      r.status === 'ok'
        ? formatRate(r.stepsPerSec)
        : r.status === 'over-budget'
          ? 'over budget'
          : r.status,
  }));
}

const Chart = memo(function Chart({
  backend,
  rows,
  max,
}: {
  backend: BackendName;
  rows: BenchRow[];
  max: number;
}) {
  const label = BACKEND_LABELS[backend];
  const id = `bench-chart-${backend}`;
  const bars = useMemo(() => barRows(rows), [rows]);
  return (
    <figure className="bench-chart" aria-labelledby={`${id}-summary`}>
      <div role="img" aria-labelledby={`${id}-summary`} data-testid={id}>
        <Suspense fallback={null}>
          <BarsCanvas rows={bars} max={max} />
        </Suspense>
      </div>
      <figcaption id={`${id}-summary`} data-testid={`${id}-summary`}>
        {chartSummary(`${label}, meta-steps/s per case`, rows)}
      </figcaption>
    </figure>
  );
});

function BenchmarkChartsImpl({ rows }: { rows: readonly BenchRow[] }) {
  useEffect(() => {
    void import('./BarsCanvas');
  }, []);
  const byBackend = useMemo(() => {
    const out = new Map<BackendName, BenchRow[]>();
    for (const r of rows) out.set(r.backend, [...(out.get(r.backend) ?? []), r]);
    return out;
  }, [rows]);
  const max = Math.max(0, ...rows.map((r) => (r.status === 'ok' ? r.stepsPerSec : 0)));
  if (byBackend.size === 0) return null;
  return (
    <div className="bench-charts">
      {[...byBackend].map(([b, list]) => (
        <Chart key={b} backend={b} rows={list} max={max} />
      ))}
    </div>
  );
}

/** Memoized: progress updates during a run re-render the page, not the finished rows. */
export const BenchmarkCharts = memo(BenchmarkChartsImpl);
