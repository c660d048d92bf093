/**
 * The adaptation curve's numbers as a table: per model and step the mean ±
 * 95% CI half-width and the median, with the tasks that diverged flagged,
 * under a caption that states the evaluation protocol. Each cell carries its
 * full-precision values as data attributes (what the CSV export writes).
 */
import { memo } from 'react';
import type { EvaluationCurve } from '../../worker/adapt-types';
import { fmt } from '../format';
import { metricLabel, modelLabel } from './models';
import { DIVERGED_DEFINITION, metricUnit } from '../charts/units';
import { useTargetScale } from '../charts/useTargetScale';

export function protocolText(curve: EvaluationCurve): string {
  const p = curve.protocol;
  return (
    `${p.episodes} held-out ${p.ways ? `${p.ways}-way ` : ''}${p.shots}-shot tasks` +
    `${p.ways ? '' : ` (K = ${p.shots})`}, ${p.queries} query examples each, ` +
    `steps 0–${p.maxSteps} of SGD at inner learning rate ${p.innerLr}, seed ${p.seed}, ` +
    `backend ${p.backend}; the same tasks for every model.`
  );
}

export const CurveTable = memo(function CurveTable({ curve }: { curve: EvaluationCurve }) {
  const accuracy = curve.metric === 'accuracy';
  const unit = metricUnit(curve.metric, useTargetScale());
  const show = (v: number | null | undefined) =>
    v === null || v === undefined ? '–' : accuracy ? `${fmt(100 * v)}%` : fmt(v);
  return (
    <div className="table-scroll">
      <table className="adapt-table" data-testid="adaptation-table">
        <caption>
          {metricLabel(curve.metric)} after each adaptation step, mean ± 95% CI (median below), in{' '}
          <span data-testid="adaptation-unit">{unit}</span>.{' '}
          <span data-testid="adaptation-diverged-definition">⚠ {DIVERGED_DEFINITION}</span>{' '}
          <span data-testid="adaptation-protocol">Protocol: {protocolText(curve)}</span>{' '}
          <span data-testid="adaptation-duration" data-seconds={curve.durationMs / 1000}>
            Evaluated in {fmt(curve.durationMs / 1000)} s.
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            {curve.steps.map((s) => (
              <th scope="col" key={s}>
                {s} step{s === 1 ? '' : 's'}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {curve.order.map((name) => {
            const m = curve.models[name];
            if (!m) return null;
            return (
              <tr key={name} data-model={name}>
                <th scope="row">{modelLabel(name)}</th>
                {curve.steps.map((s, i) => {
                  const d = m.diverged[i] ?? 0;
                  return (
                    <td
                      key={s}
                      data-step={s}
                      data-mean={m.mean[i] ?? ''}
                      data-ci95={m.ci95[i] ?? ''}
                      data-median={m.median[i] ?? ''}
                      data-diverged={d}
                      className={d ? 'diverged' : undefined}
                    >
                      {show(m.mean[i])} ± {show(m.ci95[i])}
                      <br />
                      <span className="muted">median {show(m.median[i])}</span>
                      {d > 0 && (
                        <>
                          <br />
                          <strong className="diverged-flag" title={DIVERGED_DEFINITION}>
                            ⚠ {d} diverged
                          </strong>
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});
