/**
 * The network of the configuration: the backbone (an MLP on feature rows,
 * or Conv-4 on images) and what goes with it — the hidden layer sizes of the
 * MLP, or the filters per layer of Conv-4 with the sentence on its batch
 * norm (batch statistics in every forward pass, transductive). Changes go
 * through the store's setConfig, so they ask first when a run exists.
 */
import { useId } from 'react';
import {
  BATCH_NORM_NOTE,
  BACKBONES,
  CONFIG_HELP,
  FILTER_CHOICES,
  backboneOf,
  filtersOf,
  type Backbone,
} from '../../core/spec/config';
import { actions, useAppStore } from '../../store';
import { ConfigField } from './ConfigField';
import { HIDDEN_HELP, HIDDEN_LABEL } from './fields';

export const BACKBONE_LABELS: Record<Backbone, string> = {
  mlp: 'MLP (feature rows)',
  conv4: 'Conv-4 (images)',
};

export function NetworkFields({
  epoch,
  commitHidden,
}: {
  epoch: number;
  commitHidden: (text: string) => string | null;
}) {
  const config = useAppStore((s) => s.setup.config);
  const images = useAppStore((s) => s.setup.data?.imageShape !== undefined);
  const id = useId();
  const backbone = backboneOf(config);
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-net`}>Network</label>
        <select
          id={`${id}-net`}
          value={backbone}
          aria-describedby={`${id}-net-help`}
          onChange={(e) => actions().setConfig('backbone', e.target.value as Backbone)}
        >
          {BACKBONES.map((b) => (
            <option key={b} value={b}>
              {BACKBONE_LABELS[b]}
            </option>
          ))}
        </select>
        <p className="help" id={`${id}-net-help`}>
          {CONFIG_HELP.backbone}
          {images && backbone === 'mlp'
            ? ' This data is images: an MLP sees each image as a row of pixels.'
            : ''}
        </p>
      </div>
      {backbone === 'conv4' ? (
        <div className="field">
          <label htmlFor={`${id}-filters`}>Filters</label>
          <select
            id={`${id}-filters`}
            value={filtersOf(config)}
            aria-describedby={`${id}-filters-help ${id}-bn`}
            onChange={(e) => actions().setConfig('filters', Number(e.target.value) as 32 | 64)}
          >
            {FILTER_CHOICES.map((f) => (
              <option key={f} value={f}>
                {f} per layer
              </option>
            ))}
          </select>
          <p className="help" id={`${id}-filters-help`}>
            {CONFIG_HELP.filters}
          </p>
          <p className="help" id={`${id}-bn`} data-testid="batch-norm-note">
            {BATCH_NORM_NOTE}
          </p>
        </div>
      ) : (
        <ConfigField
          label={HIDDEN_LABEL}
          help={HIDDEN_HELP}
          value={config.hidden.join(',')}
          epoch={epoch}
          inputMode="text"
          commit={commitHidden}
        />
      )}
    </>
  );
}
