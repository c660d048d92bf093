/**
 * The column roles of the staged upload, as guessed and as the person sets
 * them: task, target and split columns, the features (include / exclude each),
 * the problem type, the classification mode and the meta-split fractions. Every change goes to the
 * worker, which rebuilds the tasks or refuses with a reason (then the roles
 * shown stay those of the last build that worked). Why each guess was made is
 * listed under the controls.
 */
import { useId } from 'react';
import type { DataReport } from '../../core/data/csv/report';
import { actions, useAppStore } from '../../store';
import { SplitFractions } from './SplitFractions';

const NONE = '';

function ColumnSelect(props: {
  label: string;
  value: string | null;
  columns: readonly string[];
  allowNone: boolean;
  disabled: boolean;
  onChange: (column: string | null) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value ?? NONE}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value === NONE ? null : e.target.value)}
      >
        {props.allowNone && <option value={NONE}>(none)</option>}
        {props.columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </div>
  );
}

function FeatureList({ report, disabled }: { report: DataReport; disabled: boolean }) {
  const s = report.schema;
  const roles = new Set([s.taskColumn, s.target, s.splitColumn]);
  const candidates = report.preview.header.filter((c) => !roles.has(c));
  const used = new Set(s.features);
  const id = useId();
  return (
    <fieldset className="csv-features" aria-describedby={`${id}-help`}>
      <legend>Features</legend>
      {candidates.map((c) => (
        <label key={c} className="check">
          <input
            type="checkbox"
            checked={used.has(c)}
            disabled={disabled}
            onChange={(e) =>
              actions().editCsvRoles({ role: 'feature', column: c, include: e.target.checked })
            }
          />
          {c}
          {used.has(c)
            ? ` (${s.featureTypes[c] === 'categorical' ? 'text, one-hot' : 'numeric'})`
            : ''}
        </label>
      ))}
      <p className="help" id={`${id}-help`}>
        Model inputs: numbers are standardized with meta-train statistics, text columns are one-hot
        encoded (up to a cap; beyond it the column is left out with a note).
      </p>
    </fieldset>
  );
}

export function CsvRoles() {
  const report = useAppStore((s) => s.csv.staged?.report);
  const busy = useAppStore((s) => s.csv.phase !== 'idle');
  const id = useId();
  if (!report) return null;
  const s = report.schema;
  const header = report.preview.header;
  const edit = actions().editCsvRoles;
  return (
    <div className="csv-roles" role="group" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Column roles</h3>
      <div className="fields">
        <ColumnSelect
          label="Task column"
          value={s.taskColumn}
          columns={header}
          allowNone
          disabled={busy}
          onChange={(column) => edit({ role: 'task', column })}
        />
        <ColumnSelect
          label="Target column"
          value={s.target}
          columns={header}
          allowNone={false}
          disabled={busy}
          onChange={(column) => column !== null && edit({ role: 'target', column })}
        />
        <ColumnSelect
          label="Split column"
          value={s.splitColumn}
          columns={header}
          allowNone
          disabled={busy}
          onChange={(column) => edit({ role: 'split', column })}
        />
        <div className="field">
          <label htmlFor={`${id}-kind`}>Problem type</label>
          <select
            id={`${id}-kind`}
            value={s.kind}
            disabled={busy}
            onChange={(e) =>
              edit({ role: 'kind', kind: e.target.value as 'regression' | 'classification' })
            }
          >
            <option value="regression">Regression</option>
            <option value="classification">Classification</option>
          </select>
        </div>
        {s.kind === 'classification' && (
          <div className="field">
            <label htmlFor={`${id}-mode`}>Classification mode</label>
            <select
              id={`${id}-mode`}
              value={s.mode ?? 'episodic'}
              disabled={busy}
              onChange={(e) =>
                edit({ role: 'mode', mode: e.target.value as 'per-task' | 'episodic' })
              }
            >
              <option value="per-task">Per-task labels (each task its own N-way problem)</option>
              <option value="episodic">Episodic (N-way K-shot over classes)</option>
            </select>
          </div>
        )}
      </div>
      <FeatureList report={report} disabled={busy} />
      <SplitFractions report={report} disabled={busy} />
      <details className="csv-reasons">
        <summary>Why these roles</summary>
        <ul className="help">
          {s.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}
