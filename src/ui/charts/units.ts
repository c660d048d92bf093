/**
 * The units every chart and table states, in one place so the live charts,
 * the adaptation figures and the evaluation table word them alike.
 *
 * Invariant (from the engine, see core/train/events.ts): the meta-train loss
 * is computed on standardized targets — a CSV regression target becomes
 * (y − mean) / SD with meta-train statistics — while meta-validation and
 * evaluation MSE are converted back to the target's original units before
 * they reach the page. Built-in families are not rescaled, so there both are
 * the same. Classification losses are cross-entropy in nats and accuracies a
 * fraction of query examples: no rescaling applies to either.
 */
import { fmt } from '../format';

export type Metric = 'mse' | 'accuracy';

/** The CSV regression target's meta-train statistics, when one is in use. */
export interface TargetScale {
  column: string;
  std: number;
}

/** The y-axis unit of the meta-train loss chart. */
export function trainLossUnit(metric: Metric, target: TargetScale | null): string {
  if (metric === 'accuracy') return 'cross-entropy, nats';
  // A built-in family is not rescaled: its loss is in the task's own units, like validation.
  return target ? `MSE, standardized units of ${target.column}` : 'MSE, original units';
}

/**
 * The short form written along the y axis: the loss says "standardized"
 * only when the target really was (a CSV regression target).
 */
export function axisUnit(
  kind: 'loss' | 'metric',
  metric: Metric,
  target: TargetScale | null = null,
): string {
  if (metric === 'accuracy') return kind === 'loss' ? 'nats' : '% correct';
  return kind === 'loss' && target ? 'MSE (standardized)' : 'MSE (original)';
}

/** The x axis of the live charts and of one task's adaptation. */
export const STEP_AXIS = 'meta-step';
export const ADAPT_STEP_AXIS = 'adaptation step';

/** The y-axis unit of meta-validation and evaluation figures. */
export function metricUnit(metric: Metric, target: TargetScale | null): string {
  if (metric === 'accuracy') return '% of query examples correct';
  return target ? `MSE, original units of ${target.column} (squared)` : 'MSE, original units';
}

/**
 * The note under the loss chart: which scale each number is on, and the one
 * conversion, stated once, so nobody rescales a figure that is already in
 * original units.
 */
export function normalizationNote(metric: Metric, target: TargetScale | null): string {
  if (metric === 'accuracy')
    return 'Units: the loss is cross-entropy in nats; accuracies are fractions of query examples. Nothing is rescaled.';
  if (!target)
    return (
      'Units: this built-in family is not rescaled, so the meta-train loss and the validation and ' +
      'evaluation MSE are all in original units; no conversion applies.'
    );
  return (
    `Units: only the meta-train loss is in standardized units (${target.column} scaled by its ` +
    `meta-train SD ${fmt(target.std)}; original MSE = standardized MSE × ${fmt(target.std * target.std)}). ` +
    'Validation and evaluation MSE are already in original units: do not rescale them.'
  );
}

/** What "diverged" means where the ⚠ appears (see core/train/evaluate.ts). */
export const DIVERGED_DEFINITION =
  'Diverged: a task whose query loss after that step is not a finite number or is more than ' +
  '10 times its loss before adaptation (step 0). Such tasks still count in the mean (a ' +
  'non-finite one leaves it undefined, shown as –); the median is robust to them.';
