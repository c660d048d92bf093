/**
 * The CLI as a person meets it: a real process, its exit code and its stderr.
 * Every mistake ends in exit code 1 and one line that names the file, row or
 * column; a tiny train + evaluate round trip prints the documented JSON.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli';

let dir = '';
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mlp-cli-'));
});

function regressionCsv(tasks: number, rowsPerTask: number): string {
  const lines = ['task,x,y'];
  for (let t = 0; t < tasks; t++)
    for (let i = 0; i < rowsPerTask; i++) lines.push(`t${t},${i / 10},${(t + 1) * (i / 10)}`);
  return lines.join('\n');
}

/** Episodic classification data: 4 classes of 12 examples and one class "rare" of 3. */
function classCsv(): string {
  const lines = ['x1,x2,label'];
  ['a', 'b', 'c', 'd'].forEach((c, k) => {
    for (let i = 0; i < 12; i++) lines.push(`${k + i / 100},${-k},${c}`);
  });
  for (let i = 0; i < 3; i++) lines.push(`9,9,rare`);
  return lines.join('\n');
}

describe('CLI errors: exit 1 and one clear line', () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      'unknown flag',
      () => ['train', '--data', 'builtin:sinusoid', '--out', 'x.json', '--bogus'],
      /unknown option '--bogus'/,
    ],
    [
      'missing file',
      () => ['train', '--data', path.join(dir, 'nope.csv'), '--out', 'x.json'],
      /nope\.csv: no such file/,
    ],
    [
      'meta-split fractions that leave nothing to train on',
      () => [
        'train',
        '--data',
        file('split.csv', regressionCsv(10, 5)),
        '--out',
        'x.json',
        '--val-fraction',
        '0.5',
        '--test-fraction',
        '0.6',
      ],
      /split\.csv: the meta-val and meta-test fractions \(0\.5 \+ 0\.6\) leave nothing to meta-train on/,
    ],
    [
      'malformed number flag',
      () => ['train', '--data', 'builtin:sinusoid', '--out', 'x.json', '--shots', 'ten'],
      /--shots must be a whole number/,
    ],
    [
      'unknown family',
      () => ['train', '--data', 'builtin:spiral', '--out', 'x.json'],
      /unknown built-in family "spiral"/,
    ],
    [
      'column that does not exist',
      () => [
        'train',
        '--data',
        file('ok.csv', regressionCsv(12, 30)),
        '--target',
        'price',
        '--out',
        path.join(dir, 'o.json'),
      ],
      /ok\.csv.*"price"/,
    ],
    [
      'malformed CSV (empty file)',
      () => ['train', '--data', file('empty.csv', ''), '--out', path.join(dir, 'o.json')],
      /empty\.csv/,
    ],
    [
      'task with fewer rows than K + 1',
      () => [
        'train',
        '--data',
        file('short.csv', regressionCsv(12, 6)),
        '--shots',
        '10',
        '--meta-steps',
        '2',
        '--out',
        path.join(dir, 'o.json'),
      ],
      /short\.csv|task/,
    ],
    [
      'class with fewer than K examples',
      () => [
        'train',
        '--data',
        file('classes.csv', classCsv()),
        '--mode',
        'episodic',
        '--shots',
        '5',
        '--ways',
        '3',
        '--meta-steps',
        '2',
        '--out',
        path.join(dir, 'o.json'),
      ],
      /class|"rare"/,
    ],
    [
      'ragged row',
      () => [
        'train',
        '--data',
        file('ragged.csv', 'task,x,y\nt1,1\n'),
        '--out',
        path.join(dir, 'o.json'),
      ],
      /ragged\.csv: most rows .* do not have as many cells as the header row/,
    ],
    [
      'missing session file',
      () => ['evaluate', '--session', path.join(dir, 'none.json')],
      /none\.json: no such file/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await cli(args());
      expect(r.code, r.stderr).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }
});

describe('CLI train + evaluate', () => {
  it('writes a session and evaluates it to the documented JSON, reproducibly', async () => {
    const out = path.join(dir, 'tiny.json');
    const t = await cli([
      'train',
      '--data',
      'builtin:sinusoid',
      '--meta-steps',
      '20',
      '--meta-batch',
      '4',
      '--hidden',
      '8,8',
      '--val-every',
      '10',
      '--val-tasks',
      '4',
      '--out',
      out,
      '--backend',
      'cpu',
    ]);
    expect(t.code, t.stderr).toBe(0);
    const args = [
      'evaluate',
      '--session',
      out,
      '--episodes',
      '20',
      '--steps',
      '0,1,5',
      '--json',
      '--backend',
      'cpu',
    ];
    const a = await cli(args);
    expect(a.code, a.stderr).toBe(0);
    const json = JSON.parse(a.stdout);
    expect(json.algorithm).toBe('maml');
    expect(json.metric).toBe('mse');
    expect(json.steps).toEqual([0, 1, 5]);
    expect(json.mean).toHaveLength(3);
    expect(json.ci95).toHaveLength(3);
    expect(Object.keys(json.baselines).sort()).toEqual(['pretrain', 'scratch']);
    expect(json.baselines.pretrain.mean).toHaveLength(3);
    // every generated task is new: 20 episodes, 20 distinct tasks
    expect(json.protocol).toMatchObject({ unitKind: 'tasks', distinctUnits: 20 });
    expect(json.protocol.ciMethod).toMatch(/cluster-robust/);
    const b = await cli(args);
    expect(JSON.parse(b.stdout)).toEqual(json);
  });
});

describe('CLI on a CSV', () => {
  it('trains on a CSV and evaluates from the rows stored in the session or from the file, identically', async () => {
    const csv = file('lines.csv', regressionCsv(20, 25));
    const out = path.join(dir, 'lines.json');
    const t = await cli([
      'train',
      '--data',
      csv,
      '--task-column',
      'task',
      '--target',
      'y',
      '--meta-steps',
      '10',
      '--meta-batch',
      '4',
      '--shots',
      '5',
      '--queries',
      '5',
      '--hidden',
      '8',
      '--val-every',
      '5',
      '--val-tasks',
      '4',
      '--test-fraction',
      '0.25',
      '--out',
      out,
      '--backend',
      'cpu',
    ]);
    expect(t.code, t.stderr).toBe(0);
    const args = [
      'evaluate',
      '--session',
      out,
      '--episodes',
      '10',
      '--steps',
      '0,2',
      '--json',
      '--backend',
      'cpu',
    ];
    const fromRows = await cli(args);
    expect(fromRows.code, fromRows.stderr).toBe(0);
    const fromFile = await cli([...args, '--data', csv]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toEqual(JSON.parse(fromRows.stdout));
    // --test-fraction 0.25 of 20 tasks, saved with the session: 10 episodes from 5 tasks
    expect(JSON.parse(fromRows.stdout).protocol).toMatchObject({
      unitKind: 'tasks',
      distinctUnits: 5,
    });
    const table = await cli(args.filter((a) => a !== '--json'));
    expect(table.stdout).toContain('10 episodes drawn from 5 distinct tasks');
    expect(table.stdout).toMatch(/Warning: Only 5 distinct meta-test tasks/);
    const other = file('other.csv', regressionCsv(20, 26));
    const changed = await cli([...args, '--data', other]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/other\.csv is not the CSV this session was trained on/);
  });
});
