/**
 * One row per finished case: what ran and its figures, with the PyTorch
 * reference ratio on the rows measured on the reference's settings. A case
 * that failed or overran its budget keeps its row, with the reason.
 */
import { memo } from 'react';
import { modelLabel, type BenchRow } from '../../bench/cases';
import { ENGINE_BACKEND_LABELS } from '../../core/spec/backend';
import { methodLabel, rowCells } from './format';

function BenchmarkTableImpl({ rows }: { rows: readonly BenchRow[] }) {
  return (
    <div className="table-scroll">
      <table className="bench-table" data-testid="bench-table">
        <caption>
          Benchmark results: meta-steps per second of each case, timed after its first step (which
          includes compiling kernels) and a short warm-up; one fresh worker per case. Tasks/s of an
          image case are episodes/s.
        </caption>
        <thead>
          <tr>
            <th scope="col">Backend</th>
            <th scope="col">Method</th>
            <th scope="col">B</th>
            <th scope="col">Model</th>
            <th scope="col">Meta-steps/s</th>
            <th scope="col">Tasks/s</th>
            <th scope="col">First step</th>
            <th scope="col">Kernels/step</th>
            <th scope="col">Worker memory</th>
            <th scope="col">vs PyTorch</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td className="text" colSpan={10}>
                No results yet.
              </td>
            </tr>
          )}
          {rows.map((r, i) => {
            const c = rowCells(r);
            return (
              <tr key={i} className={r.status === 'ok' ? '' : 'failed'} data-status={r.status}>
                <th scope="row">{ENGINE_BACKEND_LABELS[r.backend]}</th>
                <td className="text">{methodLabel(r.algorithm)}</td>
                <td>{r.metaBatch}</td>
                <td className="text">{modelLabel(r)}</td>
                <td title={r.status === 'ok' ? undefined : r.error}>{c.stepsPerSec}</td>
                <td>{c.tasksPerSec}</td>
                <td>{c.firstStep}</td>
                <td>{c.kernels}</td>
                <td>{c.memory}</td>
                <td className="text">{c.pytorch}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Memoized: progress updates during a run re-render the page, not the finished rows. */
export const BenchmarkTable = memo(BenchmarkTableImpl);
