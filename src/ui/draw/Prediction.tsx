/**
 * The answer for the drawn query: the predicted symbol and the probability
 * of each symbol, as a sentence (read out by screen readers as it changes)
 * and as bars, next to the query image the model saw.
 */
import { useAppStore } from '../../store';
import { Thumbnail } from './Thumbnail';

const pct = (p: number) => `${(100 * p).toFixed(p >= 0.995 || p < 0.005 ? 0 : 1)}%`;

export function Prediction({ size }: { size: number }) {
  const prediction = useAppStore((s) => s.draw.prediction);
  const query = useAppStore((s) => s.draw.predictedQuery);
  const pending = useAppStore((s) => s.draw.pending);
  const error = useAppStore((s) => s.draw.error);
  const p = prediction;
  const sentence = p
    ? `Predicted: symbol ${p.predicted + 1} (${pct(p.probabilities[p.predicted] ?? 0)}). ` +
      `Probabilities: ${p.probabilities.map((v, k) => `symbol ${k + 1} ${pct(v)}`).join(', ')}.`
    : '';
  return (
    <div className="draw-prediction">
      <p
        role="status"
        aria-live="polite"
        data-testid="draw-prediction"
        data-request={p && !pending ? p.requestId : undefined}
      >
        {pending ? 'Classifying…' : sentence}
      </p>
      {error && (
        <p className="notice notice-error" role="alert" data-testid="draw-error">
          {error}
        </p>
      )}
      {p && query && (
        <div className="draw-result" aria-hidden="true">
          <Thumbnail image={query} size={size} label="The query as the model saw it" />
          <ul className="draw-bars">
            {p.probabilities.map((v, k) => (
              <li key={k} className={k === p.predicted ? 'predicted' : undefined}>
                <span className="draw-bar-label">Symbol {k + 1}</span>
                <span className="draw-bar" style={{ width: `${Math.max(1, 100 * v)}%` }} />
                <span>{pct(v)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {p && (
        <p className="hint">
          {p.adaptation.kind === 'prototypes'
            ? 'Adapted by prototypes: no gradient step'
            : `Adapted by ${p.adaptation.steps} gradient step${p.adaptation.steps === 1 ? '' : 's'} ` +
              `at α = ${p.adaptation.lr} on ${p.adaptation.kind === 'head' ? 'the head only' : 'every weight'}`}
          , in {Math.round(p.ms)} ms.
        </p>
      )}
    </div>
  );
}
