/**
 * The search space as a form: one row per swept setting (its range and log
 * scale, or its list of choices), a menu to add another setting, and the
 * same space as JSON to copy or paste. An edit is checked against the
 * configuration (core/spec/sweep-space.ts) when it is committed (Enter or
 * leaving the box); a refused edit stays visible with the reason.
 */
import { useId, useState } from 'react';
import { CONFIG_HELP, type TrainConfig } from '../../core/spec/config';
import {
  SWEEPABLE_KEYS,
  type ParamSpec,
  type SweepKey,
  type SweepSpace,
} from '../../core/spec/sweep-space';
import { useAppStore } from '../../store';
import { sweepActions } from '../../store/sweep-bind';

/** A first range for a newly added setting, around its value in the configuration. */
export function startingRange(key: SweepKey, config: TrainConfig): ParamSpec {
  const v = config[key];
  if (typeof v === 'number') {
    if (Number.isInteger(v) && !/Lr$/.test(key))
      return { type: 'int', low: Math.max(1, Math.floor(v / 2)), high: Math.max(2, v * 2) };
    return v > 0
      ? { type: 'float', low: v / 10, high: v * 10, log: true }
      : { type: 'float', low: 0, high: 0.1 };
  }
  return { type: 'categorical', choices: v === undefined ? [] : [v as never] };
}

/** A text box that commits on Enter or blur and shows why a commit was refused. */
function Box(props: {
  label: string;
  value: string;
  commit: (text: string) => string | null;
  disabled: boolean;
  wide?: boolean;
}) {
  const [draft, setDraft] = useState(props.value);
  const [seen, setSeen] = useState(props.value);
  const [problem, setProblem] = useState<string | null>(null);
  const errId = useId();
  if (seen !== props.value) {
    setSeen(props.value);
    setDraft(props.value);
    setProblem(null);
  }
  const submit = () => setProblem(draft === props.value ? null : props.commit(draft));
  return (
    <span className="sweep-box">
      <input
        aria-label={props.label}
        value={draft}
        size={props.wide ? 22 : 8}
        disabled={props.disabled}
        aria-invalid={problem !== null}
        aria-describedby={problem ? errId : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={submit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') submit();
          if (e.key === 'Escape') {
            setDraft(props.value);
            setProblem(null);
          }
        }}
      />
      {problem && (
        <span className="field-error" id={errId}>
          {problem}
        </span>
      )}
    </span>
  );
}

function ParamRow({ k, p, disabled }: { k: SweepKey; p: ParamSpec; disabled: boolean }) {
  const set = (next: ParamSpec) => sweepActions().setParam(k, next);
  const num = (text: string, field: 'low' | 'high') => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v)) return `${field} must be a number`;
    return set({ ...p, [field]: v } as ParamSpec);
  };
  return (
    <tr>
      <th scope="row" title={CONFIG_HELP[k]}>
        {k}
      </th>
      {p.type === 'categorical' ? (
        <td colSpan={3}>
          <Box
            label={`${k}: choices (JSON list)`}
            value={JSON.stringify(p.choices)}
            disabled={disabled}
            wide
            commit={(text) => {
              try {
                const choices: unknown = JSON.parse(text);
                if (!Array.isArray(choices)) return 'give a JSON list, e.g. [1, 4, 16]';
                return set({ type: 'categorical', choices: choices as never });
              } catch {
                return 'give a JSON list, e.g. [1, 4, 16]';
              }
            }}
          />
        </td>
      ) : (
        <>
          <td>
            <Box
              label={`${k}: low`}
              value={String(p.low)}
              disabled={disabled}
              commit={(t) => num(t, 'low')}
            />
          </td>
          <td>
            <Box
              label={`${k}: high`}
              value={String(p.high)}
              disabled={disabled}
              commit={(t) => num(t, 'high')}
            />
          </td>
          <td>
            <label>
              <input
                type="checkbox"
                checked={p.log === true}
                disabled={disabled}
                onChange={(e) => set({ ...p, log: e.target.checked })}
              />{' '}
              log scale
            </label>
          </td>
        </>
      )}
      <td>{p.type}</td>
      <td>
        <button
          type="button"
          disabled={disabled}
          aria-label={`Remove ${k} from the search space`}
          onClick={() => sweepActions().setParam(k, null)}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

function SpaceJson({ space, disabled }: { space: SweepSpace; disabled: boolean }) {
  const text = JSON.stringify(space, null, 1);
  const [draft, setDraft] = useState(text);
  const [seen, setSeen] = useState(text);
  const [problem, setProblem] = useState<string | null>(null);
  if (seen !== text) {
    setSeen(text);
    setDraft(text);
  }
  return (
    <details className="more">
      <summary>Search space as JSON</summary>
      <textarea
        aria-label="Search space (JSON)"
        rows={8}
        cols={48}
        value={draft}
        disabled={disabled}
        onChange={(e) => setDraft(e.target.value)}
      />
      <div>
        <button
          type="button"
          disabled={disabled}
          onClick={() => setProblem(sweepActions().setSpaceJson(draft))}
        >
          Use this JSON
        </button>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </details>
  );
}

export function SpaceForm({ disabled }: { disabled: boolean }) {
  const space = useAppStore((s) => s.sweep.form.space) ?? {};
  const config = useAppStore((s) => s.setup.config);
  const free = SWEEPABLE_KEYS.filter((k) => !(k in space));
  const [adding, setAdding] = useState<SweepKey | ''>('');
  const keys = Object.keys(space) as SweepKey[];
  return (
    <div className="sweep-space">
      <div className="table-scroll">
        <table className="sweep-space-table">
          <caption>Search space</caption>
          <thead>
            <tr>
              <th scope="col">setting</th>
              <th scope="col">low</th>
              <th scope="col">high</th>
              <th scope="col">scale</th>
              <th scope="col">type</th>
              <th scope="col">
                <span className="visually-hidden">remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <ParamRow key={k} k={k} p={space[k] as ParamSpec} disabled={disabled} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="controls">
        <select
          aria-label="Setting to add to the search space"
          value={adding}
          disabled={disabled || free.length === 0}
          onChange={(e) => setAdding(e.target.value as SweepKey | '')}
        >
          <option value="">Add a setting…</option>
          {free.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={disabled || adding === ''}
          onClick={() => {
            if (adding === '') return;
            sweepActions().setParam(adding, startingRange(adding, config));
            setAdding('');
          }}
        >
          Add
        </button>
        <button type="button" disabled={disabled} onClick={() => sweepActions().defaultSpace()}>
          Default space for {config.algorithm}
        </button>
      </div>
      <SpaceJson space={space} disabled={disabled} />
    </div>
  );
}
