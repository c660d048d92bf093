/**
 * A built-in family's asset on its way (Omniglot, 4 MB on first use): a
 * progress bar with an accessible name and the bytes so far, driven by the
 * worker's data-progress events; and, when the load failed, what failed —
 * the data in use, the family selected and the configuration are those of
 * before the pick (the store restored them).
 */
import { useAppStore } from '../../store';
import { FAMILY_LABELS } from './family-labels';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function DataLoad() {
  const load = useAppStore((s) => s.setup.load);
  const error = useAppStore((s) => s.setup.loadError);
  if (load) {
    const label = `Loading ${FAMILY_LABELS[load.family]}`;
    const done = load.total !== null && load.loaded >= load.total;
    const text = done
      ? `${mb(load.loaded)} downloaded; preparing the images…`
      : load.total !== null
        ? `${mb(load.loaded)} of ${mb(load.total)}`
        : `${mb(load.loaded)} so far`;
    return (
      <div className="data-load" data-testid="data-load">
        <div
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={
            load.total !== null ? Math.round((100 * load.loaded) / load.total) : undefined
          }
          aria-valuetext={text}
          className="data-load-bar"
        >
          <div
            className="data-load-fill"
            style={{
              width: load.total !== null ? `${(100 * load.loaded) / load.total}%` : '100%',
            }}
          />
        </div>
        <p className="help" aria-live="polite">
          {label}: {text}
        </p>
      </div>
    );
  }
  if (error)
    return (
      <p className="notice notice-error" role="alert" data-testid="data-load-error">
        {FAMILY_LABELS[error.name]} could not be loaded: {error.message} The data in use and the
        configuration did not change.
      </p>
    );
  return null;
}
