/**
 * The "Compute the three metrics" action: asks the worker for adaptation
 * speed, generalization and robustness of the kept model and both
 * baselines, on `episodes` held-out tasks with the support labels corrupted
 * at `fraction`. A plain function over the store and a port (testable with a
 * fake port); it waits while training runs or another job is under way.
 */
import type { TrainingPort } from '../worker/client';
import { adaptationBusy } from './adaptation-actions';
import type { AppState, Store } from './slices';

export function metricsBusy(s: AppState): boolean {
  return adaptationBusy(s) || s.metrics.pending;
}

export function createMetricsActions(store: Store, port: TrainingPort) {
  const get = store.getState;
  function compute(episodes: number, fraction: number): void {
    if (metricsBusy(get())) return;
    if (!(Number.isInteger(episodes) && episodes >= 1 && fraction >= 0 && fraction <= 1)) return;
    store.setState(
      {
        ...get(),
        metrics: { ...get().metrics, pending: true, progress: null, baseline: null, error: null },
      },
      true,
    );
    port.send({ type: 'three-metrics', episodes, fraction });
  }
  return { compute };
}

export type MetricsActions = ReturnType<typeof createMetricsActions>;
