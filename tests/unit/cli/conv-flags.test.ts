/**
 * The CLI's conv flags: --backbone/--filters reach the config, and
 * second-order MAML on the conv net is refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { configFromFlags, type TrainFlags } from '../../../src/cli/train-command';

const base: TrainFlags = {
  data: 'builtin:omniglot',
  out: 'x.json',
  algorithm: 'fomaml',
  baseline: false,
  backend: 'cpu',
};

describe('train flags for the conv net', () => {
  it('carries --backbone and --filters into the config', () => {
    const c = configFromFlags({ ...base, backbone: 'conv4', filters: 32 });
    expect(c.backbone).toBe('conv4');
    expect(c.filters).toBe(32);
  });

  it('refuses second-order MAML on conv4 and names the alternatives', () => {
    expect(() => configFromFlags({ ...base, algorithm: 'maml', backbone: 'conv4' })).toThrow(
      /no second derivative of conv2d.*first-order MAML, ANIL/,
    );
  });
});
