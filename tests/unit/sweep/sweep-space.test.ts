/**
 * The search-space spec: sweepable keys come from the configuration, ranges
 * are checked by the configuration's own validation, and every default
 * space fits its algorithm's defaults.
 */
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, CONFIG_HELP, defaultConfig } from '../../../src/core/spec/config';
import {
  NOT_SWEPT,
  SWEEPABLE_KEYS,
  applyParams,
  defaultSweepSpace,
  parseSweepSpace,
} from '../../../src/core/spec/sweep-space';

const base = defaultConfig('maml');

describe('sweepable keys', () => {
  it('are every configuration key except the experiment-defining ones', () => {
    const all = Object.keys(CONFIG_HELP);
    expect([...SWEEPABLE_KEYS].sort()).toEqual(
      all.filter((k) => !(NOT_SWEPT as readonly string[]).includes(k)).sort(),
    );
    for (const k of ['innerLr', 'metaLr', 'innerSteps', 'metaBatch', 'hidden', 'algorithm'])
      expect(SWEEPABLE_KEYS).toContain(k);
    expect(SWEEPABLE_KEYS).not.toContain('seed');
  });
});

describe('parseSweepSpace', () => {
  it('accepts log floats, ints and categorical lists', () => {
    const json = JSON.parse(
      JSON.stringify({
        innerLr: { type: 'float', low: 0.001, high: 1, log: true },
        innerSteps: { type: 'int', low: 1, high: 5 },
        hidden: { type: 'categorical', choices: [[40, 40], [64]] },
        algorithm: { type: 'categorical', choices: ['maml', 'fomaml'] },
      }),
    );
    const space = parseSweepSpace(json, base);
    expect(Object.keys(space)).toEqual(['innerLr', 'innerSteps', 'hidden', 'algorithm']);
  });

  const bad: [string, unknown, RegExp][] = [
    [
      'unknown key',
      { learningRate: { type: 'float', low: 0, high: 1 } },
      /"learningRate".*sweepable keys: .*innerLr/,
    ],
    [
      'the seed',
      { seed: { type: 'int', low: 1, high: 5 } },
      /"seed" cannot be swept \(it defines the experiment/,
    ],
    [
      'low above high',
      { innerLr: { type: 'float', low: 1, high: 0.1 } },
      /innerLr: low \(1\) must not exceed high/,
    ],
    [
      'log with low 0',
      { innerLr: { type: 'float', low: 0, high: 1, log: true } },
      /log scale needs low > 0/,
    ],
    [
      'a value the config refuses',
      { innerLr: { type: 'float', low: 0, high: 1 } },
      /innerLr must be a positive number \(got 0\)/,
    ],
    [
      'negative inner steps',
      { innerSteps: { type: 'int', low: -1, high: 3 } },
      /innerSteps must be a whole number ≥ 0/,
    ],
    ['a non-integer int', { innerSteps: { type: 'int', low: 1.5, high: 3 } }, /innerSteps\.low/],
    [
      'an unknown algorithm',
      { algorithm: { type: 'categorical', choices: ['maml', 'sgd'] } },
      /algorithm/,
    ],
    [
      'numbers for the list key',
      { hidden: { type: 'int', low: 1, high: 5 } },
      /hidden is not a number/,
    ],
    [
      'a number choice for hidden',
      { hidden: { type: 'categorical', choices: [40] } },
      /hidden takes a list/,
    ],
    ['an empty space', {}, /at least one key/],
    ['an unknown type', { innerLr: { type: 'uniform', low: 0, high: 1 } }, /expected \{"type"/],
  ];
  it.each(bad)('refuses %s with a message that names it', (_, json, message) => {
    expect(() => parseSweepSpace(json, base)).toThrow(message);
  });

  it('a trial configuration is the base with the trial values in', () => {
    const c = applyParams(base, { innerLr: 0.3, hidden: [64] });
    expect(c).toEqual({ ...base, innerLr: 0.3, hidden: [64] });
  });
});

describe('default spaces', () => {
  it.each(ALGORITHMS)('%s: fits its defaults, and each default lies in its range', (a) => {
    const space = defaultSweepSpace(a);
    const config = defaultConfig(a);
    expect(() => parseSweepSpace(space, config)).not.toThrow();
    for (const [k, p] of Object.entries(space)) {
      const v = config[k as keyof typeof config];
      if (p.type === 'categorical') continue;
      expect(v as number, `${a}.${k}`).toBeGreaterThanOrEqual(p.low);
      expect(v as number, `${a}.${k}`).toBeLessThanOrEqual(p.high);
    }
  });
});
