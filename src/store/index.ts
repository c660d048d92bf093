/**
 * The app's one zustand store (the slices of slices.ts) and its actions,
 * bound once to the training worker by `connectStore`. Components read the
 * store through narrow selectors (`useAppStore((s) => s.run.step)`) so a
 * metrics batch re-renders the charts, not the configuration form.
 */
import { create } from 'zustand';
import type { TrainingClient } from '../worker/client';
import type { SessionStore } from '../sessions/store/index';
import { createActions, type Actions } from './actions';
import { createAdaptationActions, type AdaptationActions } from './adaptation-actions';
import { createMetricsActions, type MetricsActions } from './metrics-actions';
import { createSessionActions, type SessionActions, type SessionEnv } from './sessions-actions';
import { initialState, type AppState } from './slices';
import { createBenchActions, type BenchActions, type BenchPort } from './bench-actions';
import { keepPreview } from './preview-sync';
import { createDrawActions, type DrawActions } from './draw-actions';

export const useAppStore = create<AppState>()(() => initialState());

let bound: Actions | null = null;

let boundSessions: SessionActions | null = null;

/** Wires the store to a worker client (and the sessions to IndexedDB); returns the actions the UI calls. */
export function connectStore(
  client: TrainingClient,
  sessions?: { store: SessionStore; env: SessionEnv },
  bench?: BenchPort,
): Actions {
  boundBench = bench ? createBenchActions(useAppStore, bench, client) : null;
  const actions = createActions(
    useAppStore,
    client,
    () => performance.now(),
    boundBench ?? undefined,
  );
  const sessionActs = sessions
    ? createSessionActions(useAppStore, client, sessions.store, sessions.env, () => actions.train())
    : null;
  client.onEvents((events) => {
    actions.receive(events);
    sessionActs?.receive(events);
  });
  // The data picture follows the family, the settings and the data (preview-sync.ts).
  keepPreview(useAppStore, client);
  bound = actions;
  boundAdaptation = createAdaptationActions(useAppStore, client);
  boundMetrics = createMetricsActions(useAppStore, client);
  boundDraw = createDrawActions(useAppStore, client);
  boundSessions = sessionActs;
  boundPort = client;
  return actions;
}

let boundAdaptation: AdaptationActions | null = null;

let boundPort: TrainingClient | null = null;

/** The worker port connectStore was given (the lazily loaded Sweep panel binds its actions to it). */
export function workerPort(): TrainingClient {
  if (!boundPort) throw new Error('connectStore() has not been called');
  return boundPort;
}

let boundBench: BenchActions | null = null;

/** The Benchmark page's and the probe's actions bound by connectStore. */
export function benchActions(): BenchActions {
  if (!boundBench) throw new Error('connectStore() was called without a bench port');
  return boundBench;
}

/** The adaptation panel's actions bound by connectStore. */
export function adaptationActions(): AdaptationActions {
  if (!boundAdaptation) throw new Error('connectStore() has not been called');
  return boundAdaptation;
}

let boundMetrics: MetricsActions | null = null;

/** The three metrics' action bound by connectStore. */
export function metricsActions(): MetricsActions {
  if (!boundMetrics) throw new Error('connectStore() has not been called');
  return boundMetrics;
}

let boundDraw: DrawActions | null = null;

/** The draw-to-adapt panel's actions bound by connectStore. */
export function drawActions(): DrawActions {
  if (!boundDraw) throw new Error('connectStore() has not been called');
  return boundDraw;
}

/** The session actions bound by connectStore. */
export function sessionActions(): SessionActions {
  if (!boundSessions) throw new Error('connectStore() was called without a session store');
  return boundSessions;
}

/** The actions bound by connectStore (the UI calls them from event handlers). */
export function actions(): Actions {
  if (!bound) throw new Error('connectStore() has not been called');
  return bound;
}

/** Hides the notice about settings in the address that could not be used. */
export function dismissUrlProblems(): void {
  useAppStore.setState({ url: { problems: [] } });
}

export type { AppState } from './slices';
export { hasRun, isActive } from './slices';
