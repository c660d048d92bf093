/**
 * A BenchResult as a case runner would return it, for the bench and probe
 * tests: the figures the tests look at come from the case and the rate; the
 * rest are plausible constants the assertions never read.
 */
import type { BenchCase, BenchResult } from '../../src/bench/measure';
import { tfjsBackendOf } from '../../src/core/spec/backend';

export function fakeBenchResult(
  c: BenchCase,
  stepsPerSec: number,
  rest: Partial<BenchResult> = {},
): BenchResult {
  return {
    backend: c.backend,
    algorithm: c.algorithm,
    metaBatch: c.metaBatch,
    hidden: c.hidden,
    layout: c.layout,
    family: 'sinusoid',
    innerSteps: 1,
    flags: {},
    ran: tfjsBackendOf(c.backend),
    firstStepMs: 100,
    msPerStep: 1000 / stepsPerSec,
    stepsPerSec,
    tasksPerSec: stepsPerSec * c.metaBatch,
    kernelsPerStep: 483,
    numTensors: [20, 20],
    numBytes: 1000,
    memory: null,
    ...rest,
  };
}
