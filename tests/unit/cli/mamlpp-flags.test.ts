/**
 * The CLI's MAML++ flags: --multi-step-loss and --per-step-rates reach the
 * config of MAML, are absent (off) unless given, and are refused with the
 * reason for another method, the conv net, or no inner step.
 */
import { describe, expect, it } from 'vitest';
import { configFromFlags, type TrainFlags } from '../../../src/cli/train-command';

const base: TrainFlags = {
  data: 'builtin:sinusoid',
  out: 'x.json',
  algorithm: 'maml',
  baseline: false,
  backend: 'cpu',
};

describe('train flags for the MAML++ options', () => {
  it('carry --multi-step-loss and --per-step-rates into the config, absent by default', () => {
    const c = configFromFlags({ ...base, multiStepLoss: true, perStepRates: true, innerSteps: 5 });
    expect(c).toMatchObject({ multiStepLoss: true, perStepRates: true, innerSteps: 5 });
    const plain = configFromFlags(base);
    expect('multiStepLoss' in plain || 'perStepRates' in plain).toBe(false);
  });

  it('refuse them off second-order MAML on the MLP, and per-step rates without inner steps', () => {
    expect(() => configFromFlags({ ...base, algorithm: 'fomaml', multiStepLoss: true })).toThrow(
      /belong to second-order MAML: pick the algorithm MAML/,
    );
    expect(() => configFromFlags({ ...base, backbone: 'conv4', perStepRates: true })).toThrow(
      /no second derivative of conv2d/,
    );
    expect(() => configFromFlags({ ...base, perStepRates: true, innerSteps: 0 })).toThrow(
      /perStepRates needs at least one inner step/,
    );
  });
});
