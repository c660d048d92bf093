/**
 * `sweep` as a person meets it, on a tiny budget: the JSON lists every trial
 * and the best, the same seed gives the same trials, no --space searches (and
 * prints) the default space, a bad space file ends in one line and exit 1,
 * and --out writes a session that carries the sweep.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mlp-sweep-'));
});

const tiny = [
  '--data',
  'builtin:sinusoid',
  '--meta-steps',
  '4',
  '--meta-batch',
  '2',
  '--val-every',
  '2',
  '--val-tasks',
  '4',
  '--hidden',
  '8',
  '--eval-inner-steps',
  '1',
  '--backend',
  'cpu',
];

describe('CLI sweep', () => {
  it('prints every trial and the best as JSON, reproducibly from the seed', async () => {
    const space = path.join(dir, 'space.json');
    writeFileSync(
      space,
      JSON.stringify({
        innerLr: { type: 'float', low: 0.001, high: 0.5, log: true },
        innerSteps: { type: 'int', low: 1, high: 2 },
      }),
    );
    const args = [
      'sweep',
      ...tiny,
      '--space',
      space,
      '--trials',
      '3',
      '--sampler',
      'tpe',
      '--seed',
      '1',
      '--json',
    ];
    const a = await cli(args);
    expect(a.stderr).not.toMatch(/error/i);
    expect(a.code).toBe(0);
    const json = JSON.parse(a.stdout);
    expect(json.trials).toHaveLength(3);
    expect(json.defaultSpace).toBe(false);
    expect(json.metric).toBe('mse');
    for (const t of json.trials) {
      expect(t.params.innerLr).toBeGreaterThanOrEqual(0.001);
      expect(['complete', 'pruned', 'diverged', 'failed']).toContain(t.state);
    }
    const complete = json.trials.filter((t: { state: string }) => t.state === 'complete');
    expect(json.best.value).toBe(Math.min(...complete.map((t: { value: number }) => t.value)));
    expect(json.importance.method).toMatch(/ε²/);
    expect(a.stderr).toMatch(/trial 2: innerLr=/);
    const b = await cli(args);
    const strip = (j: { trials: { seconds: number }[] }) =>
      j.trials.map((t) => ({ ...t, seconds: 0 }));
    expect(strip(JSON.parse(b.stdout))).toEqual(strip(json));
  });

  it('without --space searches and prints the default space; compares with the default; --out writes a session with the sweep', async () => {
    const out = path.join(dir, 'best.json');
    const r = await cli([
      'sweep',
      ...tiny,
      '--trials',
      '2',
      '--sampler',
      'random',
      '--out',
      out,
      '--compare-default',
      '--episodes',
      '8',
      '--eval-step',
      '1',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^MSE after 1 step on 8 meta-test episodes \(8 distinct units, seed 1\): best [\d.]+ ± [\d.]+, default [\d.]+ ± [\d.]+; paired difference -?[\d.]+ ± [\d.]+; 95% intervals (apart|overlap)$/m,
    );
    expect(r.stdout).toMatch(/^searching the default space of maml: \{"innerLr":\{"type":"float"/);
    expect(r.stdout).toMatch(/^best: trial \d/m);
    const ev = await cli([
      'evaluate',
      '--session',
      out,
      '--episodes',
      '4',
      '--steps',
      '0,1',
      '--json',
      '--backend',
      'cpu',
    ]);
    expect(ev.code).toBe(0);
    const doc = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8'));
    expect(doc.sweep.trials).toHaveLength(2);
    expect(doc.sweep.sampler).toBe('random');
    expect(doc.sweep.space.innerLr.log).toBe(true);
  });

  it('refuses a bad space in one line with exit 1', async () => {
    const space = path.join(dir, 'bad.json');
    writeFileSync(space, JSON.stringify({ seed: { type: 'int', low: 1, high: 3 } }));
    const r = await cli(['sweep', ...tiny, '--space', space]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.json: search space: "seed" cannot be swept/);
  });
});
