/** The samplers by name, as the CLI and sessions spell them. */
import type { SamplerName, SweepSpace } from '../spec/sweep-space';
import { gridSampler } from './grid';
import { randomSampler, type Sampler } from './sampler';
import { tpeSampler } from './tpe';

export { SAMPLER_NAMES, type SamplerName } from '../spec/sweep-space';

export function createSampler(name: SamplerName, space: SweepSpace, seed: number): Sampler {
  switch (name) {
    case 'grid':
      return gridSampler(space, seed);
    case 'random':
      return randomSampler(space, seed);
    case 'tpe':
      return tpeSampler(space, seed);
  }
}
