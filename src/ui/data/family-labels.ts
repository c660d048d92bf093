/** The built-in families' names as the page shows them (the Task family selector, the data picture). */
import type { BuiltinName } from '../../core/spec/builtin';

export const FAMILY_LABELS: Record<BuiltinName, string> = {
  sinusoid: 'Sinusoid regression (MAML paper)',
  linear: 'Linear regression',
  blobs: 'Gaussian blobs (classification)',
  omniglot: 'Omniglot characters (images)',
};
