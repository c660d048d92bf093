/**
 * What the person can do in the Sweep panel, as plain functions over the
 * store and a port to the worker (testable with a fake port): edit the
 * search space (one setting at a time, or as JSON checked against the
 * configuration), the sampler and budget, start and stop a sweep, and put a
 * trial's settings into the configuration ("Train with these settings").
 */
import type { TrainConfig } from '../core/spec/config';
import {
  applyParams,
  defaultSweepSpace,
  parseSweepSpace,
  type ParamSpec,
  type SweepKey,
} from '../core/spec/sweep-space';
import type { TrainingPort } from '../worker/client';
import { isActive, type AppState, type Store } from './slices';
import type { SweepForm, SweepSlice } from './sweep-slice';

export function sweepRunning(s: AppState): boolean {
  return s.sweep.status === 'running' || s.sweep.status === 'stopping';
}

/** Why a sweep cannot start now, or null. */
export function sweepBlocked(s: AppState): string | null {
  if (sweepRunning(s)) return 'A sweep is running.';
  if (s.run.status === 'starting' || s.setup.data === null) return 'Waiting for the data to load.';
  if (isActive(s.run.status)) return 'Stop training to start a sweep.';
  if (s.setup.data.imageShape) return 'Sweeps over image data are not supported yet.';
  if (Object.keys(s.sweep.form.space ?? {}).length === 0)
    return 'Add at least one setting to search.';
  return null;
}

export function createSweepActions(
  store: Store,
  port: TrainingPort,
  /** puts a whole configuration in the form (asking first when a run exists) */
  adoptConfig: (config: TrainConfig) => void,
) {
  const get = store.getState;
  const patch = (f: (w: SweepSlice) => Partial<SweepSlice>) =>
    store.setState({ ...get(), sweep: { ...get().sweep, ...f(get().sweep) } }, true);
  const patchForm = (f: Partial<SweepForm>) => patch((w) => ({ form: { ...w.form, ...f } }));

  /**
   * Sets one setting's range (null removes it from the space); returns why
   * the range does not fit the configuration, or null when it was taken.
   */
  function setParam(key: SweepKey, spec: ParamSpec | null): string | null {
    const space = { ...(get().sweep.form.space ?? {}) };
    if (!spec) {
      delete space[key];
      patchForm({ space });
      return null;
    }
    try {
      parseSweepSpace({ [key]: spec }, get().setup.config);
    } catch (e) {
      return (e as Error).message.replace(/^search space: /, '');
    }
    space[key] = spec;
    patchForm({ space });
    return null;
  }

  /** The space searched when none is given, for the algorithm in the configuration. */
  function defaultSpace(): void {
    patchForm({ space: defaultSweepSpace(get().setup.config.algorithm) });
  }

  /** The panel shows for the first time: start from the algorithm's default space. */
  function fillSpace(): void {
    if (get().sweep.form.space === null) defaultSpace();
  }

  /** Replaces the space with pasted JSON; returns the problem, or null when it was taken. */
  function setSpaceJson(text: string): string | null {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return `not JSON: ${(e as Error).message}`;
    }
    try {
      patchForm({ space: parseSweepSpace(json, get().setup.config) });
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }

  function start(): void {
    const s = get();
    if (sweepBlocked(s) !== null) return;
    const f = s.sweep.form;
    if (!f.space) return;
    const base = s.setup.config;
    patch(() => ({
      status: 'running',
      base,
      trials: [],
      best: null,
      importance: [],
      message: null,
    }));
    port.send({
      type: 'sweep-start',
      base,
      space: f.space,
      sampler: f.sampler,
      trials: f.trials,
      workers: f.workers,
      pruning: f.pruning ? { gracePeriod: f.gracePeriod, reductionFactor: 3 } : null,
    });
  }

  function stop(): void {
    if (get().sweep.status !== 'running') return;
    patch(() => ({ status: 'stopping' }));
    port.send({ type: 'sweep-stop' });
  }

  /** "Train with these settings": the sweep's base configuration with the trial's values. */
  function applyTrial(number: number): void {
    const w = get().sweep;
    const trial = w.trials.find((t) => t.number === number);
    if (!trial || !w.base) return;
    adoptConfig(applyParams(w.base, trial.params));
  }

  return {
    setForm: patchForm,
    setParam,
    defaultSpace,
    fillSpace,
    setSpaceJson,
    start,
    stop,
    applyTrial,
  };
}

export type SweepActions = ReturnType<typeof createSweepActions>;
