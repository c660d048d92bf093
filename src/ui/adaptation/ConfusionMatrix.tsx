/**
 * The meta-learned model's confusion matrix over many held-out image
 * episodes (issue 13, item 5): a table of counts (rows: true label, columns:
 * predicted label), shaded by the share of its row, with a text summary.
 * Each episode draws new classes, so labels are the episode's positions
 * 1..N, and the page says so.
 */
import { memo, useState } from 'react';
import { adaptationActions, useAppStore } from '../../store';
import { adaptationBusy } from '../../store/adaptation-actions';
import type { ConfusionResult } from '../../worker/adapt-types';
import { confusionSentence } from './image-summary';
import { NumberField } from './NumberField';

const Matrix = memo(function Matrix({ c }: { c: ConfusionResult }) {
  const N = c.ways;
  const labels = Array.from({ length: N }, (_, k) => k);
  return (
    <table className="adapt-table confusion-table" data-testid="confusion-matrix">
      <caption>Queries by true label (rows) and predicted label (columns)</caption>
      <thead>
        <tr>
          <th scope="col">True \ predicted</th>
          {labels.map((p) => (
            <th scope="col" key={p}>
              {p + 1}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {labels.map((t) => {
          const row = labels.reduce((s, p) => s + (c.counts[t * N + p] as number), 0);
          return (
            <tr key={t}>
              <th scope="row">{t + 1}</th>
              {labels.map((p) => {
                const n = c.counts[t * N + p] as number;
                const share = row ? n / row : 0;
                const tint = p === t ? '22, 101, 52' : '185, 28, 28';
                return (
                  <td
                    key={p}
                    style={{ background: `rgba(${tint}, ${(0.6 * share).toFixed(3)})` }}
                    className={p === t ? 'diagonal' : undefined}
                  >
                    {n}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
});

export function ConfusionMatrix() {
  const busy = useAppStore(adaptationBusy);
  const confusion = useAppStore((s) => s.adaptation.confusion);
  const [episodes, setEpisodes] = useState('100');
  return (
    <div className="image-confusion">
      <form
        className="adapt-task"
        aria-label="Confusion matrix"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Math.floor(Number(episodes));
          if (n >= 1) adaptationActions().confusion(n);
        }}
      >
        <NumberField
          label="Episodes"
          value={episodes}
          onChange={setEpisodes}
          min={1}
          max={1000}
          disabled={busy}
        />
        <button type="submit" disabled={busy}>
          Compute confusion matrix
        </button>
      </form>
      <p className="hint">
        Every episode draws new classes and numbers them 1…N, so the matrix shows how often and how
        evenly the model errs, not which characters it mixes up.
      </p>
      {confusion && (
        <>
          <p className="chart-summary" data-testid="confusion-summary">
            {confusionSentence(confusion)}
          </p>
          <Matrix c={confusion} />
        </>
      )}
    </div>
  );
}
