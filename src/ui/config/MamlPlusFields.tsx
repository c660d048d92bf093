/**
 * The MAML++ options of second-order MAML (multi-step loss, learned
 * per-layer per-step inner rates), two checkboxes with core's help text.
 * Where they do not apply the boxes are disabled and a sentence says why:
 * another method (they are options of MAML), or the conv net (no second
 * derivative of conv2d in tfjs). A box that is on where it cannot be (a
 * pasted address) stays enabled so it can be switched off, and the
 * validation message shows.
 */
import { useId } from 'react';
import {
  CONFIG_HELP,
  MAMLPP_ALGORITHM_MESSAGE,
  MAMLPP_CONV_MESSAGE,
  backboneOf,
  validateConfig,
  type TrainConfig,
} from '../../core/spec/config';
import { actions } from '../../store';

type PlusKey = 'multiStepLoss' | 'perStepRates';

const BOXES: { key: PlusKey; label: string }[] = [
  { key: 'multiStepLoss', label: 'Multi-step loss (MAML++)' },
  { key: 'perStepRates', label: 'Learned per-layer, per-step inner rates (MAML++)' },
];

/** Why the options are off for this configuration, or null when they apply. */
export function mamlPlusUnavailable(config: TrainConfig): string | null {
  if (backboneOf(config) === 'conv4') return MAMLPP_CONV_MESSAGE;
  if (config.algorithm !== 'maml') return MAMLPP_ALGORITHM_MESSAGE;
  return null;
}

export function MamlPlusFields({ config }: { config: TrainConfig }) {
  const id = useId();
  const off = mamlPlusUnavailable(config);
  const problems = validateConfig(config).filter(
    (p) =>
      p === MAMLPP_CONV_MESSAGE || p === MAMLPP_ALGORITHM_MESSAGE || p.startsWith('perStepRates '),
  );
  return (
    <fieldset className={`field${problems.length ? ' field-invalid' : ''}`}>
      <legend>MAML++ options</legend>
      {BOXES.map(({ key, label }) => {
        const on = config[key] === true;
        return (
          <div key={key}>
            <label>
              <input
                type="checkbox"
                checked={on}
                disabled={off !== null && !on}
                aria-describedby={`${id}-${key}-help${off ? ` ${id}-off` : ''}`}
                onChange={(e) => actions().setConfig(key, e.target.checked)}
              />{' '}
              {label}
            </label>
            <p className="help" id={`${id}-${key}-help`}>
              {CONFIG_HELP[key]}
            </p>
          </div>
        );
      })}
      {problems.length ? (
        <p className="field-error" id={`${id}-off`} role="alert" data-testid="mamlpp-note">
          {problems.join(' ')}
        </p>
      ) : (
        off && (
          <p className="help" id={`${id}-off`} data-testid="mamlpp-note">
            Off here: {off}
          </p>
        )
      )}
    </fieldset>
  );
}
