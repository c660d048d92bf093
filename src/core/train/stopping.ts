/**
 * When a run stops early, and which weights it keeps: the divergence check
 * (a non-finite meta-train loss ends the run with a message that says what
 * to change), the validation schedule (step 0, every valEvery steps, and
 * the last step), the best-on-validation weights, and early stopping after
 * `patience` validations without improvement (0: never).
 *
 * Validation runs at step 0 too: with few training classes, meta-training
 * can make held-out accuracy worse than no training at all, and then the
 * best weights are the initial ones and bestStep says so.
 *
 * It keeps no state of its own: best and sinceImprovement live in the
 * run's TrainState (they are saved with checkpoints), and it updates them.
 */
import { DataError, type ProblemKind } from '../data/types';
import type { StepMetric, ValidationMetric } from '../spec/events';

/** The run diverged (a non-finite meta-train loss): a sweep records the trial as such. */
export class DivergenceError extends DataError {}

export interface StoppingState {
  best: { step: number; value: number; arrays: Float32Array[] };
  sinceImprovement: number;
  history: { validation: ValidationMetric[] };
}

/** Lower is better for MSE and loss, higher for accuracy. */
export function betterThan(kind: ProblemKind, a: number, b: number): boolean {
  if (!Number.isFinite(a)) return false;
  if (!Number.isFinite(b)) return true;
  return kind === 'regression' ? a < b : a > b;
}

export class StoppingPolicy {
  constructor(
    private readonly kind: ProblemKind,
    private readonly c: { valEvery: number; metaSteps: number; patience: number },
  ) {}

  isValidationStep(step: number): boolean {
    return step % this.c.valEvery === 0 || step === this.c.metaSteps;
  }

  /** Throws when the newest meta-train loss is not finite. */
  checkDivergence(last: StepMetric | undefined): void {
    if (last && !Number.isFinite(last.trainLoss))
      throw new DivergenceError(
        `The meta-train loss became ${last.trainLoss} at step ${last.step}: training diverged. Lower the inner or meta learning rate.`,
      );
  }

  /** Records a validation point; true when its weights become the best (the first always does). */
  record(state: StoppingState, point: ValidationMetric, arrays: Float32Array[]): boolean {
    state.history.validation.push(point);
    const improved =
      betterThan(this.kind, point.metric, state.best.value) ||
      state.history.validation.length === 1;
    if (improved) {
      state.best = { step: point.step, value: point.metric, arrays };
      state.sinceImprovement = 0;
    } else {
      state.sinceImprovement++;
    }
    return improved;
  }

  /** Patience exhausted: stop after this validation. */
  shouldStop(state: StoppingState): boolean {
    return this.c.patience > 0 && state.sinceImprovement >= this.c.patience;
  }
}
