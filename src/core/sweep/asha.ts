/**
 * Successive halving, asynchronous (ASHA, Li et al. 2020), on the
 * meta-validation score: rungs at grace · η^k meta-steps (η = 3 by default,
 * below the run's last step). When a trial first reaches a rung, its score
 * there is compared with every score recorded at that rung so far; it goes on
 * only if it ranks within the best ⌊n / η⌋ of those n (the best one when
 * n < η, as in Optuna's SuccessiveHalvingPruner), otherwise it is pruned.
 * Trials never wait for each other, so this works for trials run one after
 * another as well as in parallel.
 *
 * A score that is not finite means the run diverged: the trial ends as
 * `diverged`, and nothing is recorded at the rung (a NaN must not count as
 * a competitor). Pure bookkeeping: no training, no tfjs.
 */

export interface AshaOptions {
  /** meta-steps before the first rung */
  gracePeriod: number;
  /** keep the best 1/η at each rung */
  reductionFactor: number;
  /** the run's last meta-step: no rung at or beyond it */
  maxSteps: number;
  /** lower is better (MSE) or higher (accuracy) */
  direction: 'minimize' | 'maximize';
}

export type AshaDecision = 'continue' | 'prune' | 'diverged';

export function rungSteps(
  o: Pick<AshaOptions, 'gracePeriod' | 'reductionFactor' | 'maxSteps'>,
): number[] {
  if (!(o.gracePeriod >= 1)) throw new RangeError('the grace period must be at least 1 meta-step');
  if (!(o.reductionFactor >= 2)) throw new RangeError('the reduction factor must be at least 2');
  const out: number[] = [];
  for (let r = o.gracePeriod; r < o.maxSteps; r *= o.reductionFactor) out.push(r);
  return out;
}

export class SuccessiveHalving {
  readonly rungs: number[];
  /** losses (lower is better) recorded at each rung */
  private readonly recorded: number[][];
  /** per trial, the index of the next rung it has not yet passed */
  private readonly nextRung = new Map<number, number>();

  constructor(private readonly o: AshaOptions) {
    this.rungs = rungSteps(o);
    this.recorded = this.rungs.map(() => []);
  }

  /** A validation score of `trial` at meta-step `step`: go on, stop (pruned), or diverged. */
  report(trial: number, step: number, value: number): AshaDecision {
    if (!Number.isFinite(value)) return 'diverged';
    const loss = this.o.direction === 'minimize' ? value : -value;
    let r = this.nextRung.get(trial) ?? 0;
    while (r < this.rungs.length && step >= (this.rungs[r] as number)) {
      const atRung = this.recorded[r] as number[];
      atRung.push(loss);
      r++;
      this.nextRung.set(trial, r);
      if (!promotable(loss, atRung, this.o.reductionFactor)) return 'prune';
    }
    return 'continue';
  }

  /** Scores recorded at each rung so far (in the caller's direction), for reports and tests. */
  recordedAt(rung: number): number[] {
    const values = this.recorded[rung] ?? [];
    return this.o.direction === 'minimize' ? [...values] : values.map((v) => -v);
  }
}

/** Within the best ⌊n/η⌋ of the n losses at the rung (the best one while n < η). */
function promotable(loss: number, atRung: number[], eta: number): boolean {
  const sorted = [...atRung].sort((a, b) => a - b);
  const keep = Math.max(1, Math.floor(sorted.length / eta));
  return loss <= (sorted[keep - 1] as number);
}
