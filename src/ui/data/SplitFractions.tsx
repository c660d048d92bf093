/**
 * The meta-split as the person sets it (issue 12): the shares of tasks (or
 * classes, episodic) for meta-validation and meta-testing, used when there
 * is no split column. A field commits on blur or Enter; an empty field goes
 * back to the default. The worker rebuilds the split and the counts shown
 * below come from that build; a bad value is refused with the field's name.
 */
import { useId, useState } from 'react';
import type { DataReport } from '../../core/data/csv/report';
import { actions } from '../../store';
import { splitText } from './csv-words';

function FractionField(props: {
  label: string;
  value: number | undefined;
  disabled: boolean;
  onCommit: (v: number | null) => void;
}) {
  const id = useId();
  const shown = props.value === undefined ? '' : String(props.value);
  const [text, setText] = useState<string | null>(null);
  const commit = () => {
    if (text === null) return;
    const t = text.trim();
    setText(null);
    if (t === shown) return;
    props.onCommit(t === '' ? null : Number(t));
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        min={0}
        max={0.9}
        step={0.05}
        placeholder="0.15 (default)"
        value={text ?? shown}
        disabled={props.disabled}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </div>
  );
}

export function SplitFractions({ report, disabled }: { report: DataReport; disabled: boolean }) {
  const s = report.schema;
  if (s.splitColumn !== null) return null;
  const edit = actions().editCsvRoles;
  const unit = s.kind === 'classification' && s.mode === 'episodic' ? 'classes' : 'tasks';
  return (
    <fieldset className="csv-split" data-testid="csv-split-fractions">
      <legend>Meta-split</legend>
      <div className="fields">
        <FractionField
          label="Meta-val fraction"
          value={s.valFraction}
          disabled={disabled}
          onCommit={(v) => edit({ role: 'fractions', val: v, test: s.testFraction ?? null })}
        />
        <FractionField
          label="Meta-test fraction"
          value={s.testFraction}
          disabled={disabled}
          onCommit={(v) => edit({ role: 'fractions', val: s.valFraction ?? null, test: v })}
        />
      </div>
      <p className="help" data-testid="csv-split-counts">
        Split now: {splitText(report)} (meta-train / meta-val / meta-test).{' '}
        {s.minSplitUnits !== undefined
          ? `The default keeps at least ${s.minSplitUnits} ${unit} (N of N-way) in meta-val and meta-test.`
          : `Shares of the ${unit}, rounded, at least one each.`}
      </p>
    </fieldset>
  );
}
