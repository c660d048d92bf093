/**
 * The configuration panel: the algorithm (picking one loads its defaults),
 * the episode shape, learning rates, steps, network and seed, each with its
 * one-line explanation; the less common knobs fold away under "More".
 * Changes during a run go through the store's confirmation (see actions.ts).
 * "Restore defaults" and "New random seed" sit at the top; the help of K, N
 * and queries says when and why the data in use limits them (train/fit.ts).
 */
import { useId } from 'react';
import {
  ALGORITHMS,
  ALGORITHM_LABELS,
  CONFIG_HELP,
  CONV_MAML_MESSAGE,
  backboneOf,
  type AlgorithmName,
} from '../../core/spec/config';
import { actions, useAppStore } from '../../store';
import { capProblem, type CappedKey } from '../../store/data-slice';
import { fitProblemsByKey, limitNote } from '../train/fit';
import { ConfigField } from './ConfigField';
import { OptimizeFields } from './OptimizeFields';
import { MAIN_FIELDS, MORE_FIELDS, withField, type FieldDef } from './fields';
import { NetworkFields } from './NetworkFields';

/** "From scratch" has nothing to meta-train: it is a baseline of the evaluation, not a method here. */
const TRAINABLE = ALGORITHMS.filter((a) => a !== 'scratch');

const CAPPED: readonly string[] = ['shots', 'ways', 'queries'] satisfies CappedKey[];

function commitField(key: FieldDef['key'] | 'hidden', text: string): string | null {
  const { config, data } = useAppStore.getState().setup;
  const r = withField(config, key, text);
  if ('problem' in r) return r.problem;
  const next = r.config;
  if (CAPPED.includes(key)) {
    // K, N and queries cannot exceed what the data allows (an uploaded CSV has limits).
    const k = key as CappedKey;
    const label = MAIN_FIELDS.find((d) => d.key === k)?.label ?? k;
    const problem = capProblem(k, next[k], data?.limits, next, label);
    if (problem) return problem;
  }
  if (key === 'hidden') actions().setConfig('hidden', next.hidden);
  else actions().setConfig(key, next[key]);
  return null;
}

/** A whole number in [1, 2^31): the page may use the browser's randomness (src/core may not). */
function randomSeed(): number {
  const v = crypto.getRandomValues(new Uint32Array(1))[0] ?? 1;
  return (v % 2_147_483_646) + 1;
}

export function ConfigPanel() {
  const config = useAppStore((s) => s.setup.config);
  const epoch = useAppStore((s) => s.setup.epoch);
  const kind = useAppStore((s) => s.setup.data?.kind ?? 'regression');
  const data = useAppStore((s) => s.setup.data);
  const note = useAppStore((s) => s.setup.configNote);
  const id = useId();
  const conv = backboneOf(config) === 'conv4';
  // Second-order MAML cannot differentiate through convolutions (CONV_MAML_MESSAGE).
  const mamlRefused = conv && config.algorithm === 'maml';
  const misfits = fitProblemsByKey(config, data);
  const misfitOf = (key: string) => misfits.find((m) => m.key === key)?.text;
  const capNote = (d: FieldDef) =>
    CAPPED.includes(d.key) ? limitNote(d.key as CappedKey, config, data) : '';
  const field = (d: FieldDef) => (
    <ConfigField
      key={d.key}
      label={d.label}
      help={
        d.classificationOnly && kind === 'regression'
          ? `${d.help} (Not used by regression tasks.)`
          : `${d.help}${capNote(d)}`
      }
      value={String(config[d.key])}
      epoch={epoch}
      inputMode={d.integer ? 'numeric' : 'decimal'}
      commit={(t) => commitField(d.key, t)}
      misfit={misfitOf(d.key)}
    />
  );
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Configuration</h2>
      <div className="controls config-buttons" role="group" aria-label="Configuration shortcuts">
        <button
          type="button"
          onClick={() => actions().restoreDefaults()}
          title="The selected algorithm's default settings (lowered to what the data allows)"
        >
          Restore defaults
        </button>
        <button type="button" onClick={() => actions().newSeed(randomSeed)}>
          New random seed
        </button>
      </div>
      {note && (
        <p className="notice" role="status" data-testid="config-note">
          {note}{' '}
          <button type="button" onClick={() => actions().dismissConfigNote()}>
            Dismiss
          </button>
        </p>
      )}
      <div className={`field${mamlRefused ? ' field-invalid' : ''}`}>
        <label htmlFor={`${id}-alg`}>Algorithm</label>
        <select
          id={`${id}-alg`}
          value={config.algorithm}
          aria-invalid={mamlRefused ? true : undefined}
          aria-describedby={`${id}-alg-help${conv ? ` ${id}-alg-conv` : ''}`}
          onChange={(e) => actions().setAlgorithm(e.target.value as AlgorithmName)}
        >
          {TRAINABLE.map((a) => (
            <option key={a} value={a} disabled={conv && a === 'maml' && !mamlRefused}>
              {conv && a === 'maml'
                ? `${ALGORITHM_LABELS[a]} — not for Conv-4`
                : ALGORITHM_LABELS[a]}
            </option>
          ))}
        </select>
        {conv && (
          <p
            className={mamlRefused ? 'field-error' : 'help'}
            id={`${id}-alg-conv`}
            data-testid="conv-maml-note"
          >
            {CONV_MAML_MESSAGE}
          </p>
        )}
        <p className="help" id={`${id}-alg-help`}>
          {CONFIG_HELP.algorithm}
        </p>
      </div>
      <div className="fields">{MAIN_FIELDS.map(field)}</div>
      <NetworkFields epoch={epoch} commitHidden={(t) => commitField('hidden', t)} />
      <details className="more">
        <summary>More settings (validation, early stopping)</summary>
        <div className="fields">{MORE_FIELDS.map(field)}</div>
      </details>
      <OptimizeFields config={config} field={field} />
    </section>
  );
}
