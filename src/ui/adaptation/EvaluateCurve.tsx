/**
 * The adaptation curve over many held-out tasks: how many tasks and steps,
 * the Evaluate button, then the chart with bands, the table with the
 * protocol, and the CSV export of the numbers the table shows.
 */
import { useDeferredValue, useMemo, useState, type FormEvent } from 'react';
import { adaptationActions, useAppStore } from '../../store';
import { adaptationBusy } from '../../store/adaptation-actions';
import { CurveChart } from './CurveChart';
import { CurveTable } from './CurveTable';
import { curveCsv, curveFileName } from './csv';
import { downloadText } from './download';
import { NumberField } from './NumberField';

/** Reads its own busy state, so a job starting re-renders the form, not the figures. */
export function EvaluateCurve() {
  const disabled = useAppStore(adaptationBusy);
  // Deferred: the chart and table render in a background transition, never one long task.
  const curve = useDeferredValue(useAppStore((s) => s.adaptation.evaluation));
  const past = useAppStore((s) => s.adaptation.past);
  const overlay = useAppStore((s) => s.adaptation.overlay);
  const overlays = useMemo(() => past.filter((p) => overlay.includes(p.id)), [past, overlay]);
  const [tasks, setTasks] = useState('600');
  const [steps, setSteps] = useState('10');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(tasks);
    const S = Number(steps);
    if (!Number.isInteger(n) || n < 1 || !Number.isInteger(S) || S < 0 || S > 100) return;
    adaptationActions().evaluate(n, S);
  };
  return (
    <div className="adapt-curve">
      <form className="adapt-task" onSubmit={submit} aria-label="Evaluate adaptation">
        <NumberField label="Held-out tasks" value={tasks} onChange={setTasks} min={1} max={10000} />
        <NumberField label="Adaptation steps" value={steps} onChange={setSteps} min={0} max={100} />
        <button type="submit" disabled={disabled}>
          Evaluate adaptation
        </button>
      </form>
      {past.length > 0 && (
        <fieldset className="adapt-overlays">
          <legend>Overlay earlier runs (their meta-learned curve, dashed)</legend>
          {past.map((p) => (
            <label key={p.id} className="check">
              <input
                type="checkbox"
                checked={overlay.includes(p.id)}
                onChange={() => adaptationActions().toggleOverlay(p.id)}
              />{' '}
              {p.label}
            </label>
          ))}
        </fieldset>
      )}
      <CurveChart curve={curve} overlays={overlays} />
      {curve && (
        <>
          <CurveTable curve={curve} />
          <button type="button" onClick={() => downloadText(curveFileName(curve), curveCsv(curve))}>
            Export CSV
          </button>
        </>
      )}
    </div>
  );
}
