/**
 * The optimize step's settings, folded under their own heading: the
 * meta-optimizer, the cosine schedule of the meta learning rate, L2 weight
 * decay and dropout, each with the help text of core's CONFIG_HELP (which
 * says where a setting does not apply and why), and MAML's MAML++ options
 * (MamlPlusFields.tsx). Numeric knobs are the panel's ordinary fields,
 * passed in as `field`.
 */
import { useId, type ReactNode } from 'react';
import {
  CONFIG_HELP,
  META_OPTIMIZERS,
  META_OPTIMIZER_LABELS,
  type MetaOptimizerName,
  type TrainConfig,
} from '../../core/spec/config';
import { actions } from '../../store';
import { OPTIMIZE_FIELDS, type FieldDef } from './fields';
import { MamlPlusFields } from './MamlPlusFields';

export function OptimizeFields({
  config,
  field,
}: {
  config: TrainConfig;
  field: (d: FieldDef) => ReactNode;
}) {
  const id = useId();
  return (
    <details className="more">
      <summary>Optimization (meta-optimizer, schedule, regularization, MAML++)</summary>
      <div className="field">
        <label htmlFor={`${id}-opt`}>Meta-optimizer</label>
        <select
          id={`${id}-opt`}
          value={config.metaOptimizer}
          aria-describedby={`${id}-opt-help`}
          onChange={(e) =>
            actions().setConfig('metaOptimizer', e.target.value as MetaOptimizerName)
          }
        >
          {META_OPTIMIZERS.map((o) => (
            <option key={o} value={o}>
              {META_OPTIMIZER_LABELS[o]}
            </option>
          ))}
        </select>
        <p className="help" id={`${id}-opt-help`}>
          {CONFIG_HELP.metaOptimizer}
        </p>
      </div>
      <div className="field">
        <label>
          <input
            type="checkbox"
            checked={config.cosineSchedule}
            aria-describedby={`${id}-cos-help`}
            onChange={(e) => actions().setConfig('cosineSchedule', e.target.checked)}
          />{' '}
          Cosine schedule of the meta learning rate
        </label>
        <p className="help" id={`${id}-cos-help`}>
          {CONFIG_HELP.cosineSchedule}
        </p>
      </div>
      <div className="fields">{OPTIMIZE_FIELDS.map(field)}</div>
      <MamlPlusFields config={config} />
    </details>
  );
}
