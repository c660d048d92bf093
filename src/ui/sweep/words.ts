/** How the Sweep panel writes values, metrics and trial states. */
import type { ChoiceValue, TrialRecord } from '../../core/spec/sweep-space';
import { fmt } from '../format';

export function fmtChoice(v: ChoiceValue | undefined): string {
  if (v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : fmt(v, 3);
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

export function metricName(metric: 'mse' | 'accuracy'): string {
  return metric === 'mse' ? 'MSE' : 'accuracy';
}

export function trialValue(t: TrialRecord): string {
  return t.value === null ? '–' : fmt(t.value, 4);
}
