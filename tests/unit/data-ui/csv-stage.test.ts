/**
 * The worker side of CSV uploads in Node: CsvStage reads Files with the
 * streaming parser, reports progress, stages the build, refuses bad files
 * without touching what was staged, and rebuilds with other roles; the
 * WorkerSession turns an accepted upload into the data trained on.
 */
import { describe, expect, it } from 'vitest';
import { CsvStage, dataLimits } from '../../../src/worker/csv-stage';
import type { WorkerEvent, WorkerMessage } from '../../../src/worker/protocol';
import { WorkerSession } from '../../../src/worker/session';
import { loadCsvTexts } from '../../../src/core/data/index';
import { regressionCsv } from './fixtures';
import { defaultConfig } from '../../../src/core/spec/config';
import { restoreSession, sha256Hex } from '../../../src/sessions/index';

const file = (text: string, name = 'tasks.csv') => new File([text], name, { type: 'text/csv' });

function stage() {
  const events: WorkerEvent[] = [];
  return { events, csv: new CsvStage((e) => events.push(e)) };
}

describe('CsvStage', () => {
  it('reads, guesses the roles and stages the build with its limits', async () => {
    const { events, csv } = stage();
    const staged = await csv.parse(1, [file(regressionCsv(6, 12, 3))], 1);
    expect(staged).not.toBeNull();
    expect(csv.staged).toBe(staged);
    expect(staged?.event.report.schema).toMatchObject({ taskColumn: 'task', target: 'y' });
    expect(staged?.event.limits).toEqual({ shots: 2, ways: null, queries: 2 });
    expect(staged?.event.fileNames).toEqual(['tasks.csv']);
    const progress = events.filter((e) => e.type === 'csv-progress');
    expect(progress.at(-1)).toMatchObject({ uploadId: 1, fraction: 1, fileName: 'tasks.csv' });
    expect(events.some((e) => e.type === 'csv-refused')).toBe(false);
  });

  it('a refused upload is reported with its place and leaves the stage as it was', async () => {
    const { events, csv } = stage();
    const good = await csv.parse(1, [file(regressionCsv())], 1);
    expect(await csv.parse(2, [file('task,x,x,y\nt1,1,2,3\n', 'dup.csv')], 1)).toBeNull();
    expect(csv.staged).toBe(good);
    expect(events.at(-1)).toEqual({
      type: 'csv-refused',
      uploadId: 2,
      stage: 'parse',
      message: expect.stringMatching(/^dup\.csv, row 1, column "x": the header name is used twice/),
      where: { file: 'dup.csv', row: 1, column: 'x' },
    });
    expect(await csv.parse(3, [file('', 'empty.csv')], 1)).toBeNull();
    expect(events.at(-1)).toMatchObject({
      message: 'empty.csv: the file is empty; there is nothing to load.',
    });
    expect(await csv.parse(4, [], 1)).toBeNull();
    expect(csv.staged).toBe(good);
  });

  it('several files: one task each', async () => {
    const { csv } = stage();
    const one = (i: number) =>
      file(
        `x,y\n${Array.from({ length: 8 }, (_, r) => `${r},${r * i}`).join('\n')}\n`,
        `f${i}.csv`,
      );
    const staged = await csv.parse(1, [one(1), one(2), one(3), one(4)], 1);
    expect(staged?.event.report.tasks).toBe(4);
    expect(staged?.event.report.schema.taskPerFile).toBe(true);
  });

  it('rebuilds with other roles, and a refused change keeps the stage', async () => {
    const { events, csv } = stage();
    const first = await csv.parse(1, [file(regressionCsv())], 1);
    const rebuilt = await csv.rebuild(2, { features: [] }, 1);
    expect(rebuilt).toBeNull();
    expect(csv.staged).toBe(first);
    expect(events.at(-1)).toMatchObject({ type: 'csv-refused', stage: 'roles', uploadId: 2 });
    const kind = await csv.rebuild(3, { kind: 'classification', mode: 'per-task' }, 1);
    // y has many distinct values: as classification most classes are too small, so it is refused
    // or kept with repairs; either way the stage only changes on success.
    expect(csv.staged).toBe(kind ?? first);
  });

  it('limits are the smallest over the non-empty splits', () => {
    const built = loadCsvTexts(
      [{ fileName: 'a.csv', text: regressionCsv(10, 9, 4) }],
      {},
      { seed: 3 },
    );
    expect(dataLimits(built.source).shots).toBe(3);
  });
});

describe('WorkerSession with a CSV upload', () => {
  it('uses an accepted upload: staged, then data-loaded with the limits; a refusal keeps it', async () => {
    const events: WorkerEvent[] = [];
    const session = new WorkerSession((m: WorkerMessage) => events.push(...m));
    const settled = async (type: WorkerEvent['type']) => {
      for (let i = 0; i < 200 && !events.some((e) => e.type === type); i++)
        await new Promise((r) => setTimeout(r, 10));
    };
    session.handle({
      type: 'csv-parse',
      uploadId: 1,
      files: [file(regressionCsv(6, 12))],
      use: true,
      splitSeed: 1,
    });
    await settled('data-loaded');
    const loaded = events.find((e) => e.type === 'data-loaded');
    expect(loaded).toMatchObject({
      summary: { kind: 'regression', inputDim: 1, limits: { shots: 11, ways: null } },
    });
    expect(events.find((e) => e.type === 'csv-staged')).toMatchObject({ inUse: true });
    events.length = 0;
    session.handle({
      type: 'csv-parse',
      uploadId: 2,
      files: [file('a,b\n', 'head.csv')],
      use: true,
      splitSeed: 1,
    });
    await settled('csv-refused');
    expect(events.filter((e) => e.type !== 'csv-progress').map((e) => e.type)).toEqual([
      'csv-refused',
    ]);
    events.length = 0;
    session.handle({ type: 'load-data', data: { kind: 'csv' } });
    await settled('data-loaded');
    expect(events.find((e) => e.type === 'data-loaded')).toMatchObject({
      summary: { limits: { shots: 11 } },
    });
  });
});

describe('a run on an uploaded CSV', () => {
  it('is checkpointed with the CSV dataset record: hash of the bytes, roles, rows', async () => {
    const events: WorkerEvent[] = [];
    const session = new WorkerSession((m: WorkerMessage) => events.push(...m));
    const until = async (pred: (e: WorkerEvent) => boolean) => {
      for (let i = 0; i < 3000 && !events.some(pred); i++)
        await new Promise((r) => setTimeout(r, 10));
      return events.find(pred);
    };
    const text = regressionCsv(6, 12);
    session.handle({ type: 'init', backend: 'cpu', hideWebgpu: false });
    session.handle({ type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } });
    session.handle({
      type: 'csv-parse',
      uploadId: 1,
      files: [file(text)],
      use: true,
      splitSeed: 1,
    });
    await until((e) => e.type === 'csv-staged');
    session.handle({
      type: 'train',
      config: {
        ...defaultConfig('maml'),
        metaSteps: 5,
        metaBatch: 2,
        shots: 2,
        queries: 2,
        valEvery: 5,
        valTasks: 2,
        evalInnerSteps: 1,
        hidden: [4],
      },
      continueRun: false,
    });
    const saved = await until((e) => e.type === 'checkpoint' && e.final);
    expect(saved?.type).toBe('checkpoint');
    if (saved?.type !== 'checkpoint') return;
    const restored = restoreSession(saved.doc);
    if (!restored.ok) throw new Error('the checkpoint does not restore');
    const doc = restored.session;
    expect(doc.dataset).toMatchObject({
      source: 'csv',
      name: 'tasks.csv',
      sha256: await sha256Hex(new TextEncoder().encode(text)),
      schema: { taskColumn: 'task', target: 'y' },
    });
    expect(doc.dataset.rows?.[0]?.rows).toHaveLength(text.trim().split('\n').length - 1);
  });
});
