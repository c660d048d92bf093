/**
 * Which settings mattered, as the worker computed it after each trial
 * (core/sweep/importance.ts), with the method named in words: a number is
 * meaningless without it.
 */
import { useAppStore } from '../../store';

export function SweepImportance() {
  const importance = useAppStore((s) => s.sweep.importance);
  const method = useAppStore((s) => s.sweep.importanceMethod);
  const scored = useAppStore((s) => s.sweep.trials.filter((t) => t.value !== null).length);
  if (importance.length === 0) return null;
  return (
    <div className="sweep-importance" data-testid="sweep-importance">
      <h3>Parameter importance</h3>
      <p className="hint">
        Method: {method}. Computed over {scored} scored trial{scored === 1 ? '' : 's'}
        {scored < 3 ? ' (at least 3 are needed; all are 0 until then)' : ''}. Interactions are not
        credited.
      </p>
      <ul className="importance-list">
        {importance.map((p) => (
          <li key={p.key}>
            <span className="importance-key">{p.key}</span>{' '}
            <meter min={0} max={1} value={p.importance} aria-label={`importance of ${p.key}`} />{' '}
            {p.importance.toFixed(2)}
          </li>
        ))}
      </ul>
    </div>
  );
}
