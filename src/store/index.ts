/**
 * The app's one zustand store (the slices of slices.ts) and its actions,
 * bound once to the training worker by `connectStore`. Components read the
 * store through narrow selectors (`useAppStore((s) => s.run.step)`) so a
 * metrics batch re-renders the charts, not the configuration form.
 */
import { create } from 'zustand';
import type { TrainingClient } from '../worker/client';
import { createActions, type Actions } from './actions';
import { initialState, type AppState } from './slices';

export const useAppStore = create<AppState>()(() => initialState());

let bound: Actions | null = null;

/** Wires the store to a worker client; returns the actions the UI calls. */
export function connectStore(client: TrainingClient): Actions {
  const actions = createActions(useAppStore, client);
  client.onEvents((events) => actions.receive(events));
  bound = actions;
  return actions;
}

/** The actions bound by connectStore (the UI calls them from event handlers). */
export function actions(): Actions {
  if (!bound) throw new Error('connectStore() has not been called');
  return bound;
}

export type { AppState } from './slices';
export { hasRun, isActive } from './slices';
