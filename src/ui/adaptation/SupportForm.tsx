/**
 * The keyboard route to editing the support set (the plot takes clicks):
 * add a point by typing x and y, remove one from the list, or go back to the
 * task's own points. Every edit reruns the adaptation at once.
 */
import { useState, type FormEvent } from 'react';
import { adaptationActions, useAppStore } from '../../store';
import { adaptationBusy } from '../../store/adaptation-actions';
import { currentSupport } from '../../store/adaptation-slice';
import { fmt } from '../format';

/** Reads its own busy state, so a job starting re-renders the form, not the figures. */
export function SupportForm() {
  const disabled = useAppStore(adaptationBusy);
  const support = useAppStore((s) => s.adaptation.support);
  const result = useAppStore((s) => s.adaptation.result);
  const edited = support !== null;
  const list = currentSupport({ support, result });
  const [x, setX] = useState('');
  const [y, setY] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const xv = Number(x);
    const yv = Number(y);
    if (x.trim() === '' || y.trim() === '' || !Number.isFinite(xv) || !Number.isFinite(yv)) return;
    adaptationActions().addPoint(xv, yv);
  };
  return (
    <div className="adapt-support">
      <form onSubmit={submit} aria-label="Add support point" className="adapt-add">
        <label className="field">
          <span>x</span>
          <input type="number" step="any" value={x} onChange={(e) => setX(e.target.value)} />
        </label>
        <label className="field">
          <span>y</span>
          <input type="number" step="any" value={y} onChange={(e) => setY(e.target.value)} />
        </label>
        <button type="submit" disabled={disabled}>
          Add support point
        </button>
        <button
          type="button"
          disabled={disabled || !edited}
          onClick={() => adaptationActions().resetSupport()}
        >
          Use the task&apos;s own points
        </button>
      </form>
      {list && (
        <details>
          <summary>
            {list.x.length} support point{list.x.length === 1 ? '' : 's'}
            {edited ? ' (edited)' : ''}
          </summary>
          <ul className="adapt-points">
            {list.x.map((xv, i) => (
              <li key={`${xv}-${i}`}>
                ({fmt(xv)}, {fmt(list.y[i])}){' '}
                <button
                  type="button"
                  className="link"
                  disabled={disabled || list.x.length < 2}
                  onClick={() => adaptationActions().removePoint(i)}
                  aria-label={`Remove support point ${i + 1} at x = ${fmt(xv)}`}
                >
                  remove
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
