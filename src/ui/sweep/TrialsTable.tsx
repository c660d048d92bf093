/**
 * Every trial of the sweep on screen, sortable by any column: each header
 * is a button, and the sorted column's header carries aria-sort. Trials
 * without a score (diverged, failed) sort last either way. Each row offers
 * "Train with these settings", which puts the sweep's configuration with the
 * trial's values into the form.
 */
import { useMemo, useState } from 'react';
import type { SweepKey, TrialRecord } from '../../core/spec/sweep-space';
import { useAppStore } from '../../store';
import { sweepActions } from '../../store/sweep-bind';
import { fmtChoice, metricName, trialValue } from './words';

type Column = 'number' | 'value' | 'state' | 'steps' | 'seconds' | `param:${SweepKey}`;

function sortValue(t: TrialRecord, c: Column): number | string | null {
  if (c.startsWith('param:')) {
    const v = t.params[c.slice(6) as SweepKey];
    return v === undefined ? null : typeof v === 'number' ? v : JSON.stringify(v);
  }
  return t[c as Exclude<Column, `param:${string}`>] ?? null;
}

export function sortTrials(trials: readonly TrialRecord[], c: Column, ascending: boolean) {
  return [...trials].sort((a, b) => {
    const x = sortValue(a, c);
    const y = sortValue(b, c);
    if (x === null || y === null) return x === y ? a.number - b.number : x === null ? 1 : -1;
    const d = x < y ? -1 : x > y ? 1 : a.number - b.number;
    return ascending ? d : -d;
  });
}

export function TrialsTable() {
  const trials = useAppStore((s) => s.sweep.trials);
  const best = useAppStore((s) => s.sweep.best);
  const metric = useAppStore((s) => s.sweep.metric);
  const space = useAppStore((s) => s.sweep.form.space);
  const [sort, setSort] = useState<{ c: Column; ascending: boolean }>({
    c: 'number',
    ascending: true,
  });
  const rows = useMemo(() => sortTrials(trials, sort.c, sort.ascending), [trials, sort]);
  const paramKeys = useMemo(
    () =>
      [
        ...new Set(trials.flatMap((t) => Object.keys(t.params)).concat(Object.keys(space ?? {}))),
      ] as SweepKey[],
    [trials, space],
  );
  if (trials.length === 0) return null;
  const header = (c: Column, label: string) => {
    const active = sort.c === c;
    return (
      <th
        scope="col"
        key={c}
        aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : 'none'}
      >
        <button
          type="button"
          className="sort-button"
          onClick={() => setSort({ c, ascending: active ? !sort.ascending : true })}
        >
          {label}
          <span aria-hidden="true">{active ? (sort.ascending ? ' ▲' : ' ▼') : ''}</span>
        </button>
      </th>
    );
  };
  return (
    <div className="table-scroll">
      <table className="sweep-trials" data-testid="sweep-trials">
        <caption>
          Trials ({trials.length}); the score is the best meta-validation {metricName(metric)}
        </caption>
        <thead>
          <tr>
            {header('number', 'trial')}
            {paramKeys.map((k) => header(`param:${k}`, k))}
            {header('value', metricName(metric))}
            {header('state', 'state')}
            {header('steps', 'meta-steps')}
            {header('seconds', 'seconds')}
            <th scope="col">
              <span className="visually-hidden">action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr
              key={t.number}
              className={t.number === best ? 'best-trial' : undefined}
              data-testid={t.number === best ? 'best-trial' : undefined}
            >
              <th scope="row">
                {t.number}
                {t.number === best && <span className="best-flag"> (best)</span>}
              </th>
              {paramKeys.map((k) => (
                <td key={k} data-key={k} data-value={JSON.stringify(t.params[k])}>
                  {fmtChoice(t.params[k])}
                </td>
              ))}
              <td data-key="score" data-value={JSON.stringify(t.value)}>
                {trialValue(t)}
              </td>
              <td title={t.message}>{t.state}</td>
              <td>{t.steps}</td>
              <td>{t.seconds.toFixed(1)}</td>
              <td>
                <button
                  type="button"
                  aria-label={`Train with the settings of trial ${t.number}`}
                  onClick={() => sweepActions().applyTrial(t.number)}
                >
                  Train with these settings
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
