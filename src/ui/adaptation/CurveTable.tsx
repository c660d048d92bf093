/**
 * The adaptation curve's numbers as a table: per model and step the mean ±
 * 95% CI half-width and the median, with the tasks that diverged flagged,
 * under a caption that states the evaluation protocol and how many distinct
 * tasks / classes the episodes came from (with a warning below ~30, and
 * "no interval" when there is a single one). Classification adds the
 * references a person can beat (raw-feature prototypes, the untrained
 * network); the best model at each step is marked. Each cell carries its
 * full-precision values as data attributes (what the CSV export writes).
 */
import { memo } from 'react';
import type { EvaluationCurve } from '../../worker/adapt-types';
import { fewUnitsWarning, unitsSentence } from '../../core/spec/units-note';
import { fmt } from '../format';
import { metricLabel, modelLabel } from './models';
import { DIVERGED_DEFINITION, metricUnit } from '../charts/units';
import { useTargetScale } from '../charts/useTargetScale';

/** The model with the best mean at step index i (highest accuracy, lowest MSE). */
export function bestModel(curve: EvaluationCurve, i: number): string | null {
  let best: string | null = null;
  let bestV = 0;
  for (const name of curve.order) {
    const v = curve.models[name]?.mean[i];
    if (v === null || v === undefined) continue;
    const better = curve.metric === 'accuracy' ? v > bestV : v < bestV;
    if (best === null || better) {
      best = name;
      bestV = v;
    }
  }
  return best;
}

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
  const interval = (mean: number | null | undefined, ci: number | null | undefined) =>
    mean !== null && mean !== undefined && (ci === null || ci === undefined)
      ? ' (no interval)'
      : ` ± ${show(ci)}`;
  const warning = fewUnitsWarning(curve.protocol);
  const bests = curve.steps.map((_, i) => bestModel(curve, i));
  return (
    <div className="table-scroll">
      <table className="adapt-table" data-testid="adaptation-table">
        <caption>
          {metricLabel(curve.metric)} after each adaptation step, mean ± 95% CI (median below), in{' '}
          <span data-testid="adaptation-unit">{unit}</span>.{' '}
          <span data-testid="adaptation-diverged-definition">⚠ {DIVERGED_DEFINITION}</span>{' '}
          <span data-testid="adaptation-protocol">Protocol: {protocolText(curve)}</span>{' '}
          <span
            data-testid="adaptation-units"
            data-distinct={curve.protocol.distinctUnits}
            title={`95% CI: ${curve.protocol.ciMethod}`}
          >
            {unitsSentence(curve.protocol)}
          </span>{' '}
          {warning && (
            <strong className="diverged-flag" data-testid="adaptation-few-units">
              ⚠ {warning}
            </strong>
          )}{' '}
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
                      {m.mean[i] === null || m.mean[i] === undefined ? (
                        'diverged (not a finite number)'
                      ) : (
                        <>
                          {show(m.mean[i])}
                          {interval(m.mean[i], m.ci95[i])}
                        </>
                      )}
                      {bests[i] === name && curve.order.length > 1 && (
                        <strong className="best-flag" data-testid="adaptation-best">
                          {' '}
                          (best)
                        </strong>
                      )}
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
