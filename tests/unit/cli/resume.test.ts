/**
 * `train --resume`: a run stopped at step 20 and continued to 40 ends on the
 * same weights and curve as one run of 40 steps (the checkpoint carries the
 * weights, Adam's slots and the task stream), and the mistakes a person can
 * make name what is wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli';
import { readSessionFile } from '../../../src/cli/session-file';
import { decodeWeights } from '../../../src/sessions/index';

const dir = mkdtempSync(path.join(tmpdir(), 'mlp-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, name);
const common = [
  '--algorithm',
  'maml',
  '--hidden',
  '8',
  '--meta-batch',
  '3',
  '--shots',
  '5',
  '--inner-steps',
  '1',
  '--val-every',
  '10',
  '--val-tasks',
  '4',
  '--patience',
  '0',
  '--seed',
  '7',
  '--no-baseline',
  '--backend',
  'cpu',
];

/** `train` of a fresh sinusoid run with the common flags. */
const fresh = (steps: number, out: string) =>
  cli([
    'train',
    '--data',
    'builtin:sinusoid',
    ...common,
    '--meta-steps',
    String(steps),
    '--out',
    file(out),
  ]);
/** `train --resume first.json` with more flags, on the CPU backend. */
const resumeFirst = (out: string, ...more: string[]) =>
  cli(['train', '--resume', file('first.json'), ...more, '--backend', 'cpu', '--out', file(out)]);

describe('train --resume', () => {
  it('continues a 20-step run to 40 steps exactly as one 40-step run', async () => {
    const whole = await fresh(40, 'whole.json');
    expect(whole.code, whole.stderr).toBe(0);
    const first = await fresh(20, 'first.json');
    expect(first.code, first.stderr).toBe(0);
    // No --data, no --algorithm: both come from the session.
    const rest = await resumeFirst('rest.json', '--meta-steps', '40', '--no-baseline');
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stderr).toMatch(/trained 20 meta-steps \(20 → 40\) in/);

    const a = await readSessionFile(file('whole.json'));
    const b = await readSessionFile(file('rest.json'));
    expect(b.config.metaSteps).toBe(40);
    expect(b.checkpoint?.step).toBe(40);
    const wa = decodeWeights(a.checkpoint!.weights);
    const wb = decodeWeights(b.checkpoint!.weights);
    let worst = 0;
    wa.forEach((arr, i) =>
      arr.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - wb[i]![j]!)))),
    );
    expect(worst).toBeLessThan(1e-6);
    expect(b.history.train.map((p) => p.step)).toEqual(a.history.train.map((p) => p.step));
    expect(b.history.validation.map((p) => p.step)).toEqual(
      a.history.validation.map((p) => p.step),
    );
  }, 120_000);

  it('names the mistake: another method, too few steps, another dataset', async () => {
    const method = await resumeFirst('x.json', '--algorithm', 'reptile', '--meta-steps', '40');
    expect(method.code).toBe(1);
    expect(method.stderr).toMatch(/trained with maml; --algorithm reptile cannot continue it/);
    const steps = await resumeFirst('x.json', '--meta-steps', '20');
    expect(steps.code).toBe(1);
    expect(steps.stderr).toMatch(/stopped at meta-step 20; give --meta-steps above it/);
    const other = await resumeFirst('x.json', '--data', 'builtin:linear', '--meta-steps', '40');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/not the dataset "sinusoid"/);
    const none = await cli([
      'train',
      '--meta-steps',
      '40',
      '--out',
      file('x.json'),
      '--backend',
      'cpu',
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/--data is required/);
  }, 120_000);
});
