/**
 * What the person can do in the adaptation panel, as plain functions over
 * the store and a port to the worker (testable with a fake port): pick the
 * task and the number of steps, move the step slider, add or remove support
 * points (each edit reruns the adaptation at once), and evaluate the
 * adaptation curve over many held-out tasks.
 */
import type { AdaptTaskChoice } from '../worker/adapt-types';
import type { TrainingPort } from '../worker/client';
import type { ImageSetting } from '../core/spec/image-protocol';
import {
  addSupportPoint,
  currentSupport,
  removeSupportPoint,
  type AdaptationSlice,
  type SupportPoints,
} from './adaptation-slice';
import type { Store } from './slices';
import { isActive, type AppState } from './slices';

/** Points of the prediction grid: smooth curves at the plot's width, small messages. */
export const GRID_SIZE = 201;

export function canAdapt(s: AppState): boolean {
  return s.adaptation.hasModel && !isActive(s.run.status) && s.run.status !== 'starting';
}

/** The panel's forms wait while training runs or a job is under way. */
export function adaptationBusy(s: AppState): boolean {
  return !canAdapt(s) || s.adaptation.pending !== null;
}

export function createAdaptationActions(store: Store, port: TrainingPort) {
  const get = store.getState;
  const patch = (f: (a: AdaptationSlice) => Partial<AdaptationSlice>) =>
    store.setState({ ...get(), adaptation: { ...get().adaptation, ...f(get().adaptation) } }, true);

  /** Adapts to the chosen task, with the edited support set if there is one. */
  function adapt(): void {
    if (!canAdapt(get())) return;
    const a = get().adaptation;
    const requestId = a.requestId + 1;
    patch(() => ({ requestId, pending: 'adapt', error: null, autoEpoch: a.modelEpoch }));
    port.send({
      type: 'adapt',
      requestId,
      task: a.task,
      steps: a.steps,
      support: a.support,
      gridSize: GRID_SIZE,
    });
  }

  /** Adapts once by itself for each new model (the view calls it when it shows). */
  function adaptIfNew(): void {
    const a = get().adaptation;
    if (a.autoEpoch !== a.modelEpoch && a.pending === null && canAdapt(get())) adapt();
  }

  /** A new task (and optionally a new number of steps) forgets the edited support points. */
  function setTask(task: AdaptTaskChoice, steps?: number): void {
    const S = steps !== undefined && Number.isInteger(steps) && steps >= 0 && steps <= 100;
    patch((a) => ({
      task,
      support: null,
      steps: S ? steps : a.steps,
      step: Math.min(a.step, S ? steps : a.steps),
    }));
    adapt();
  }

  function setSteps(steps: number): void {
    if (!Number.isInteger(steps) || steps < 0 || steps > 100) return;
    patch((a) => ({ steps, step: Math.min(a.step, steps) }));
    adapt();
  }

  function setStep(step: number): void {
    const max = get().adaptation.result?.steps ?? get().adaptation.steps;
    patch(() => ({ step: Math.max(0, Math.min(max, Math.round(step))) }));
  }

  function editSupport(f: (s: SupportPoints) => SupportPoints): void {
    const s = currentSupport(get().adaptation);
    if (!s) return;
    const next = f(s);
    if (next.x.length === 0) return;
    patch(() => ({ support: next }));
    adapt();
  }

  /** Ignored while a job runs (the plot stays clickable without re-rendering on busy changes). */
  const addPoint = (x: number, y: number) => {
    if (get().adaptation.pending !== null) return;
    if (Number.isFinite(x) && Number.isFinite(y)) editSupport((s) => addSupportPoint(s, x, y));
  };
  const removePoint = (index: number) => editSupport((s) => removeSupportPoint(s, index));

  function resetSupport(): void {
    patch(() => ({ support: null }));
    adapt();
  }

  function evaluate(episodes: number, steps: number): void {
    if (!canAdapt(get())) return;
    patch(() => ({ pending: 'evaluate', error: null, progress: null }));
    port.send({ type: 'evaluate', episodes, steps });
  }

  /** Image tasks: the kept model's confusion matrix over `episodes` held-out episodes. */
  function confusion(episodes: number): void {
    if (!canAdapt(get())) return;
    patch(() => ({ pending: 'confusion', error: null, progress: null }));
    port.send({ type: 'image-confusion', episodes, steps: get().adaptation.steps });
  }

  /** Image tasks: the papers' protocol on these settings (scored after 0 and S steps). */
  function protocol(settings: ImageSetting[], episodes: number): void {
    if (!canAdapt(get()) || settings.length === 0) return;
    const S = get().adaptation.steps;
    patch(() => ({ pending: 'protocol', error: null, progress: null }));
    port.send({ type: 'image-protocol', settings, episodes, steps: S === 0 ? [0] : [0, S] });
  }

  /** Shows or hides an earlier run's curve on the adaptation-curve chart. */
  function toggleOverlay(id: number): void {
    patch((a) => ({
      overlay: a.overlay.includes(id) ? a.overlay.filter((o) => o !== id) : [...a.overlay, id],
    }));
  }

  return {
    toggleOverlay,
    adapt,
    adaptIfNew,
    setTask,
    setSteps,
    setStep,
    addPoint,
    removePoint,
    resetSupport,
    evaluate,
    confusion,
    protocol,
  };
}

export type AdaptationActions = ReturnType<typeof createAdaptationActions>;
