/**
 * The Sweep panel's actions, bound on first use to the store and the worker
 * port of connectStore. Imported only by the panel, which is its own chunk:
 * the search-space code (and zod) stays out of the page's entry chunk.
 */
import { actions, useAppStore, workerPort } from './index';
import { createSweepActions, type SweepActions } from './sweep-actions';

let bound: SweepActions | null = null;

export function sweepActions(): SweepActions {
  bound ??= createSweepActions(useAppStore, workerPort(), actions().adoptConfig);
  return bound;
}
