/**
 * How the models of the comparison (the meta-learned one, the baselines and,
 * for classification, the references) are named and drawn, in one place
 * so the plot, the curve chart, the table and the CSV agree.
 */
import { ALGORITHM_LABELS, type AlgorithmName } from '../../core/spec/config';

export const BASELINE_LABELS: Record<string, string> = {
  pretrain: 'Pre-trained + fine-tuning',
  scratch: 'From scratch',
  untrained: 'Untrained network',
  prototypes: 'Nearest prototype (raw features)',
};

export function modelLabel(name: string): string {
  if (name in BASELINE_LABELS) return BASELINE_LABELS[name] as string;
  return ALGORITHM_LABELS[name as AlgorithmName] ?? name;
}

const COLORS: Record<string, string> = {
  pretrain: '#c2410c',
  scratch: '#4b5563',
  untrained: '#a16207',
  prototypes: '#047857',
};
export const META_COLOR = '#1d4ed8';
export const TRUTH_COLOR = '#111827';
export const SUPPORT_COLOR = '#7c3aed';

export function modelColor(name: string): string {
  return COLORS[name] ?? META_COLOR;
}

export const metricLabel = (metric: 'mse' | 'accuracy') => (metric === 'mse' ? 'MSE' : 'accuracy');
