/**
 * `adapt` and `monitor` as a person runs them (the real process): adapt's
 * predictions equal the embeddable adapter's on the TensorFlow.js export of
 * the same session to 1e-6; monitor flags a task far outside the
 * meta-training distribution (amplitude 40 where training drew 0.1–5) and not
 * the ones inside it; a missing column is named.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { cli } from './run-cli';
import { loadAdapter } from '../../../src/adapter/adapter';
import type { AdapterCard } from '../../../src/core/export/card-types';
import { tfjsExportFiles } from '../../../src/core/export/tfjs-bundle';
import { memoryHandler } from '../../../src/core/export/tfjs-layers';
import { parseSessionBytes, tfjsExportInput } from '../../../src/sessions/index';
import type { MonitorReport } from '../../../src/cli/monitor-command';

let dir = '';
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'mlp-adapt-'));
  const train = await cli([
    'train',
    '--data',
    'builtin:sinusoid',
    '--algorithm',
    'maml',
    '--meta-steps',
    '10',
    '--val-every',
    '10',
    '--val-tasks',
    '5',
    '--no-baseline',
    '--backend',
    'cpu',
    '--out',
    file('s.json'),
  ]);
  expect(train.stderr).not.toMatch(/error/);
  await writeFile(file('support.csv'), 'x,y\n-3,0.5\n-1,1.2\n0,0.1\n2,-0.9\n4,-1.5\n');
  await writeFile(file('queries.csv'), 'x\n-2\n0.5\n3\n');
  const rows = ['task,x,y'];
  const tasks: [string, number, number][] = [
    ['near', 1, 0.5],
    ['also-near', 3, 2],
    ['far', 40, 1],
  ];
  for (const [name, A, phase] of tasks)
    for (let i = 0; i < 15; i++) {
      const x = -5 + (10 * ((i * 7) % 15)) / 14;
      rows.push(`${name},${x},${A * Math.sin(x - phase)}`);
    }
  await writeFile(file('tasks.csv'), rows.join('\n') + '\n');
}, 120_000);

it('adapt prints predictions equal to the embeddable adapter on the exported model (1e-6)', async () => {
  const res = await cli([
    'adapt',
    '--session',
    file('s.json'),
    '--support',
    file('support.csv'),
    '--predict',
    file('queries.csv'),
    '--steps',
    '3',
    '--backend',
    'cpu',
  ]);
  expect(res.code).toBe(0);
  const lines = res.stdout.trim().split('\n');
  expect(lines[0]).toBe('x,prediction');
  const got = lines.slice(1).map((l) => Number(l.split(',')[1]));

  const parsed = parseSessionBytes(new Uint8Array(await readFile(file('s.json'))));
  if (!parsed.ok) throw new Error(parsed.error);
  const files = await tfjsExportFiles(tfjsExportInput(parsed.session));
  const dec = (n: string) => JSON.parse(new TextDecoder().decode(files[n]));
  const adapter = await loadAdapter({
    model: memoryHandler({
      modelJson: dec('model.json'),
      weights: files['model.weights.bin'] as Uint8Array,
    }),
    card: dec('adaptation.json') as AdapterCard,
  });
  const task = adapter.adapt(
    { x: [[-3], [-1], [0], [2], [4]], y: [0.5, 1.2, 0.1, -0.9, -1.5] },
    { steps: 3 },
  );
  const want = task.predict([[-2], [0.5], [3]]) as number[];
  got.forEach((g, i) => expect(Math.abs(g - (want[i] as number))).toBeLessThan(1e-6));
  // three steps moved the predictions away from the initialization's
  const still = adapter.adapt({ x: [[0]], y: [0] }, { steps: 0 }).predict([[-2]]) as number[];
  expect(Math.abs((still[0] as number) - (got[0] as number))).toBeGreaterThan(1e-3);
}, 120_000);

it('monitor flags the task beyond the 95th percentile of meta-test losses', async () => {
  const res = await cli([
    'monitor',
    '--session',
    file('s.json'),
    '--tasks',
    file('tasks.csv'),
    '--episodes',
    '100',
    '--json',
    '--backend',
    'cpu',
  ]);
  expect(res.code).toBe(0);
  const report = JSON.parse(res.stdout) as MonitorReport;
  expect(report.reference.episodes).toBe(100);
  expect(report.reference.p95).toBeGreaterThan(report.reference.p50);
  const byName = Object.fromEntries(report.tasks.map((t) => [t.task, t]));
  expect(byName.far?.flagged).toBe(true);
  expect(byName.near?.flagged).toBe(false);
  expect(byName['also-near']?.flagged).toBe(false);
  expect(byName.near?.support).toBe(10);
  expect(byName.near?.queries).toBe(5);
}, 120_000);

it('names a missing column', async () => {
  await writeFile(file('bad.csv'), 'z,y\n1,2\n');
  const res = await cli([
    'adapt',
    '--session',
    file('s.json'),
    '--support',
    file('bad.csv'),
    '--predict',
    file('queries.csv'),
    '--backend',
    'cpu',
  ]);
  expect(res.code).toBe(1);
  expect(res.stderr).toMatch(/bad\.csv: no column "x"/);
}, 120_000);
