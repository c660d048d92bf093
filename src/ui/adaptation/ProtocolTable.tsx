/**
 * The papers' evaluation protocol in the app (issue 13, item 6): 600 test
 * episodes per setting (5-way 1-shot, 5-way 5-shot, 20-way 1-shot; the
 * run's own setting checked by default), mean accuracy and 95% CI of the
 * meta-learned model and the baselines, next to the published Omniglot
 * figures. The worker computes it (the CLI's `evaluate --json` object, so
 * the numbers are the CLI's for the same session, seed and backend); the
 * panel's progress bar follows it. The Episodes field also lets a quick
 * check run fewer episodes; the table says how many it used.
 */
import { useState } from 'react';
import { adaptationActions, useAppStore } from '../../store';
import { adaptationBusy } from '../../store/adaptation-actions';
import {
  PAPER_EPISODES,
  PAPER_OMNIGLOT,
  PAPER_SETTINGS,
  settingLabel,
  type ImageProtocolJson,
} from '../../core/spec/image-protocol';
import { ALGORITHM_LABELS, type AlgorithmName } from '../../core/spec/config';
import { modelLabel } from './models';
import { NumberField } from './NumberField';

const PAPERS: AlgorithmName[] = ['protonet', 'maml', 'fomaml'];

const pct = (m: number | null | undefined, c: number | null | undefined) =>
  m === null || m === undefined
    ? '—'
    : `${(100 * m).toFixed(1)} ± ${(100 * (c ?? NaN)).toFixed(1)}`;

/** The text summary: the meta-learned model per setting against its paper figure. */
export function protocolSentence(r: ImageProtocolJson): string {
  const last = r.steps.length - 1;
  const parts = r.settings.map((s) => {
    const m = s.models[r.algorithm];
    const ours = m ? `${pct(m.mean[last], m.ci95[last])}%` : 'left out';
    const paper = s.paperPercent !== null ? ` (paper ${s.paperPercent}%)` : '';
    return `${settingLabel(s)} ${ours}${paper}`;
  });
  return `${modelLabel(r.algorithm)} after ${r.steps[last]} step${r.steps[last] === 1 ? '' : 's'}, ${r.protocol.episodes} episodes per setting, ${r.protocol.queries} queries a class, seed ${r.protocol.seed}, ${r.protocol.backend}: ${parts.join('; ')}.`;
}

function Results({ r }: { r: ImageProtocolJson }) {
  const last = r.steps.length - 1;
  const names = [...new Set(r.settings.flatMap((s) => Object.keys(s.models)))];
  return (
    <>
      <p className="chart-summary" data-testid="protocol-summary">
        {protocolSentence(r)}
      </p>
      <table className="adapt-table" data-testid="protocol-table">
        <caption>
          Accuracy % (mean ± 95% CI) on {r.protocol.episodes} held-out episodes per setting after{' '}
          {r.steps[last]} adaptation steps, and the published Omniglot figures ({r.protocol.seconds}{' '}
          s). The CLI gives the same numbers: evaluate --episodes {r.protocol.episodes} --steps{' '}
          {r.steps.join(',')} --json
        </caption>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            {names.map((n) => (
              <th scope="col" key={n}>
                {modelLabel(n)}
              </th>
            ))}
            {PAPERS.map((a) => (
              <th scope="col" key={a}>
                Paper: {ALGORITHM_LABELS[a]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.settings.map((s) => {
            const idx = PAPER_SETTINGS.findIndex((p) => p.ways === s.ways && p.shots === s.shots);
            return (
              <tr key={settingLabel(s)}>
                <th scope="row">{settingLabel(s)}</th>
                {names.map((n) => {
                  const row = s.models[n];
                  const why = s.skipped[n];
                  return (
                    <td key={n} title={why}>
                      {row ? pct(row.mean[last], row.ci95[last]) : why ? 'left out' : '—'}
                    </td>
                  );
                })}
                {PAPERS.map((a) => (
                  <td key={a} className="muted">
                    {idx >= 0 ? (PAPER_OMNIGLOT[a]?.[idx]?.toFixed(1) ?? '—') : '—'}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {r.settings.some((s) => Object.keys(s.skipped).length > 0) && (
        <ul className="hint">
          {r.settings.flatMap((s) =>
            Object.entries(s.skipped).map(([n, why]) => (
              <li key={`${settingLabel(s)} ${n}`}>
                {settingLabel(s)}, {modelLabel(n)} left out: {why}.
              </li>
            )),
          )}
        </ul>
      )}
    </>
  );
}

export function ProtocolTable() {
  const busy = useAppStore(adaptationBusy);
  const result = useAppStore((s) => s.adaptation.protocol);
  const trained = useAppStore((s) => s.setup.runConfig ?? s.setup.config);
  const own = PAPER_SETTINGS.findIndex((p) => p.ways === trained.ways && p.shots === trained.shots);
  const [picked, setPicked] = useState<boolean[]>(() =>
    PAPER_SETTINGS.map((_, i) => i === (own >= 0 ? own : 0)),
  );
  const [episodes, setEpisodes] = useState(String(PAPER_EPISODES));
  const settings = PAPER_SETTINGS.filter((_, i) => picked[i]);
  return (
    <div className="image-protocol">
      <form
        className="adapt-task"
        aria-label="Papers' evaluation protocol"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Math.floor(Number(episodes));
          if (n >= 1) adaptationActions().protocol([...settings], n);
        }}
      >
        <fieldset className="field">
          <legend>Settings</legend>
          {PAPER_SETTINGS.map((s, i) => (
            <label key={settingLabel(s)}>
              <input
                type="checkbox"
                checked={picked[i] ?? false}
                disabled={busy}
                onChange={(e) => setPicked(picked.map((v, j) => (j === i ? e.target.checked : v)))}
              />{' '}
              {settingLabel(s)}
              {i === own ? ' (trained)' : ''}
            </label>
          ))}
        </fieldset>
        <NumberField
          label="Episodes per setting"
          value={episodes}
          onChange={setEpisodes}
          min={1}
          max={2000}
          disabled={busy}
        />
        <button type="submit" disabled={busy || settings.length === 0}>
          Evaluate with the papers&apos; protocol
        </button>
      </form>
      <p className="hint">
        The papers report {PAPER_EPISODES} test episodes per setting; a method with a fixed N-way
        head (MAML-style, ANIL) answers only the N it was trained for.
      </p>
      {result && <Results r={result} />}
    </div>
  );
}
