/**
 * The configuration form as data: every numeric knob with its label (the
 * accessible name), input rules, and the one-line help from core's
 * CONFIG_HELP, plus the parsing and checking of what the person typed.
 * Checking reuses core's validateConfig, so the form and the worker agree.
 */
import { CONFIG_HELP, validateConfig, type TrainConfig } from '../../core/spec/config';

export type NumericKey = {
  [K in keyof TrainConfig]-?: TrainConfig[K] extends number ? K : never;
}[keyof TrainConfig];

export interface FieldDef {
  key: NumericKey;
  label: string;
  integer: boolean;
  step: string;
  help: string;
  /** only meaningful for classification data */
  classificationOnly?: boolean;
}

const f = (
  key: NumericKey,
  label: string,
  integer: boolean,
  step: string,
  extra: Partial<FieldDef> = {},
): FieldDef => ({ key, label, integer, step, help: CONFIG_HELP[key], ...extra });

export const MAIN_FIELDS: FieldDef[] = [
  f('ways', 'Ways (N)', true, '1', { classificationOnly: true }),
  f('shots', 'Shots (K)', true, '1'),
  f('queries', 'Queries', true, '1'),
  f('innerLr', 'Inner learning rate (α)', false, 'any'),
  f('innerSteps', 'Inner steps', true, '1'),
  f('metaLr', 'Meta learning rate (β)', false, 'any'),
  f('metaBatch', 'Meta-batch', true, '1'),
  f('metaSteps', 'Meta-steps', true, '1'),
  f('seed', 'Seed', true, '1'),
];

export const MORE_FIELDS: FieldDef[] = [
  f('evalInnerSteps', 'Evaluation inner steps', true, '1'),
  f('valEvery', 'Validate every', true, '1'),
  f('valTasks', 'Validation tasks', true, '1'),
  f('patience', 'Patience', true, '1'),
];

/** The numeric knobs of the optimize step (OptimizeFields.tsx adds the optimizer and schedule). */
export const OPTIMIZE_FIELDS: FieldDef[] = [
  f('weightDecay', 'Weight decay (L2)', false, 'any'),
  f('dropout', 'Dropout rate', false, 'any'),
];

export const HIDDEN_LABEL = 'Hidden sizes';
export const HIDDEN_HELP = `${CONFIG_HELP.hidden} Comma-separated, e.g. 40,40.`;

const LABELS: Record<string, string> = Object.fromEntries(
  [...MAIN_FIELDS, ...MORE_FIELDS, ...OPTIMIZE_FIELDS].map((d) => [d.key, d.label]),
);
LABELS.hidden = HIDDEN_LABEL;

/** The problems validateConfig finds with `key`, worded with the form's label. */
export function problemsFor(config: TrainConfig, key: keyof TrainConfig): string[] {
  return validateConfig(config)
    .filter((p) => p.startsWith(`${key} `))
    .map((p) => `${LABELS[key] ?? key}${p.slice(key.length)}`);
}

/** Parses a typed number; null when it is not one. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

export function parseHidden(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return null;
  const sizes = parts.map(Number);
  return sizes.every((n) => Number.isFinite(n)) ? sizes : null;
}

/** The config with one field set from text, or the reason it cannot be. */
export function withField(
  config: TrainConfig,
  key: NumericKey | 'hidden',
  text: string,
): { config: TrainConfig } | { problem: string } {
  const label = LABELS[key] ?? key;
  if (key === 'hidden') {
    const hidden = parseHidden(text);
    if (!hidden) return { problem: `${label}: type layer sizes separated by commas.` };
    const next = { ...config, hidden };
    const problems = problemsFor(next, 'hidden');
    return problems.length ? { problem: problems[0] as string } : { config: next };
  }
  const v = parseNumber(text);
  if (v === null) return { problem: `${label}: type a number.` };
  const next = { ...config, [key]: v };
  const problems = problemsFor(next, key);
  return problems.length ? { problem: problems[0] as string } : { config: next };
}
