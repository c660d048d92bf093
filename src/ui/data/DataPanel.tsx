/**
 * The data panel: which built-in task family to meta-learn on, what it is,
 * and what the worker made of it. CSV upload arrives in its own panel later;
 * the family picker is the whole of it for now.
 */
import { useId } from 'react';
import { BUILTIN_DESCRIPTIONS, BUILTIN_FAMILIES, type BuiltinName } from '../../core/data/builtin';
import { actions, useAppStore } from '../../store';

const FAMILY_LABELS: Record<BuiltinName, string> = {
  sinusoid: 'Sinusoid regression (MAML paper)',
  linear: 'Linear regression',
  blobs: 'Gaussian blobs (classification)',
};

export function DataPanel() {
  const family = useAppStore((s) => s.setup.family);
  const data = useAppStore((s) => s.setup.data);
  const id = useId();
  const sizes = data?.splitSizes;
  const size = (n: number | null | undefined) => (n === null || n === undefined ? '∞' : String(n));
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Data</h2>
      <div className="field">
        <label htmlFor={`${id}-family`}>Task family</label>
        <select
          id={`${id}-family`}
          value={family}
          aria-describedby={`${id}-desc`}
          onChange={(e) => actions().setFamily(e.target.value as BuiltinName)}
        >
          {BUILTIN_FAMILIES.map((f) => (
            <option key={f} value={f}>
              {FAMILY_LABELS[f]}
            </option>
          ))}
        </select>
        <p className="help" id={`${id}-desc`}>
          {BUILTIN_DESCRIPTIONS[family]}
        </p>
      </div>
      <p className="data-summary" data-testid="data-summary">
        {data
          ? `${data.kind === 'regression' ? 'Regression' : 'Classification'} · ${data.inputDim} input${data.inputDim === 1 ? '' : 's'} · tasks train/val/test ${size(sizes?.train)}/${size(sizes?.val)}/${size(sizes?.test)}`
          : 'Loading the task family…'}
      </p>
      <p className="help">Your own tasks as CSV: coming in the next version.</p>
    </section>
  );
}
