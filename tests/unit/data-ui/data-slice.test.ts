/**
 * The CSV part of the store without React or a worker: the reducer of the
 * upload events, the role edits, the K / N / queries caps, and the actions
 * (upload, change roles, use the upload) with a fake port.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { defaultConfig } from '../../../src/core/spec/config';
import { createActions, type Actions } from '../../../src/store/actions';
import {
  capFor,
  capProblem,
  clampToLimits,
  editRoles,
  initialCsv,
  reduceCsv,
  type CsvSlice,
} from '../../../src/store/data-slice';
import { initialState, type AppState } from '../../../src/store/slices';
import type { Command, DataLimits, WorkerEvent } from '../../../src/worker/protocol';
import { regressionCsv, stagedFrom } from './fixtures';

const built = { taskColumn: 'task', target: 'y', splitColumn: null, features: ['x', 'z'] };

describe('editRoles', () => {
  it('a new target drops the chosen kind and mode and leaves the features', () => {
    const next = editRoles(
      { kind: 'classification', mode: 'episodic', features: ['x', 'z'] },
      built,
      { role: 'target', column: 'z' },
    );
    expect(next).toEqual({ target: 'z', features: ['x', 'y'] });
  });

  it('without chosen features, a role change leaves them to the guess', () => {
    expect(editRoles({}, built, { role: 'task', column: 'x' })).toEqual({ taskColumn: 'x' });
    expect(editRoles({}, built, { role: 'split', column: null })).toEqual({ splitColumn: null });
  });

  it('taking the target as task column lets the target be guessed again', () => {
    expect(editRoles({ target: 'y' }, built, { role: 'task', column: 'y' })).toEqual({
      taskColumn: 'y',
    });
  });

  it('a target that was the task column leaves the task column empty', () => {
    expect(editRoles({}, built, { role: 'target', column: 'task' })).toEqual({
      target: 'task',
      taskColumn: null,
    });
  });

  it('includes and excludes features starting from those built', () => {
    const off = editRoles({}, built, { role: 'feature', column: 'z', include: false });
    expect(off).toEqual({ features: ['x'] });
    expect(editRoles(off, built, { role: 'feature', column: 'z', include: true })).toEqual({
      features: ['x', 'z'],
    });
  });

  it('regression forgets the classification mode', () => {
    expect(editRoles({ mode: 'per-task' }, built, { role: 'kind', kind: 'regression' })).toEqual({
      kind: 'regression',
    });
    expect(editRoles({}, built, { role: 'mode', mode: 'episodic' })).toEqual({ mode: 'episodic' });
  });
});

describe('caps of K, N and queries', () => {
  const limits: DataLimits = { shots: 4, ways: 3, queries: 4 };
  const config = { ...defaultConfig('maml'), shots: 2 };

  it('queries depend on K: the smallest unit minus K', () => {
    expect(capFor('shots', limits, config)).toBe(4);
    expect(capFor('ways', limits, config)).toBe(3);
    expect(capFor('queries', limits, config)).toBe(3);
    expect(capFor('shots', undefined, config)).toBeNull();
    expect(capFor('ways', { ...limits, ways: null }, config)).toBeNull();
  });

  it('says why a value is too large', () => {
    expect(capProblem('shots', 4, limits, config, 'Shots (K)')).toBeNull();
    expect(capProblem('shots', 5, limits, config, 'Shots (K)')).toMatch(
      /^Shots \(K\): this data allows at most 4 \(/,
    );
    expect(capProblem('queries', 9, limits, config, 'Queries')).toMatch(/at most 3 \(with K = 2/);
  });

  it('lowers K first, then the queries with that K, then N', () => {
    const c = { ...defaultConfig('maml'), shots: 10, queries: 10, ways: 5 };
    const r = clampToLimits(c, limits);
    expect(r.config).toMatchObject({ shots: 4, queries: 1, ways: 3 });
    expect(r.lowered).toEqual(['shots', 'queries', 'ways']);
    expect(clampToLimits(c, undefined)).toEqual({ config: c, lowered: [] });
  });
});

describe('reduceCsv', () => {
  const staged = stagedFrom(regressionCsv());

  it('ignores the events of an older upload', () => {
    const s = { ...initialCsv, uploadId: 2, phase: 'reading' as const };
    expect(reduceCsv(s, { type: 'csv-staged', ...staged, uploadId: 1 })).toBe(s);
  });

  it('a refusal keeps what was staged and in use', () => {
    const s = {
      ...initialCsv,
      uploadId: 2,
      phase: 'reading' as const,
      reading: ['empty.csv'],
      staged,
      inUse: true,
    };
    const next = reduceCsv(s, {
      type: 'csv-refused',
      uploadId: 2,
      stage: 'parse',
      message: 'empty.csv: the file is empty; there is nothing to load.',
      where: { file: 'empty.csv' },
    });
    expect(next.staged).toBe(staged);
    expect(next.inUse).toBe(true);
    expect(next.phase).toBe('idle');
    expect(next.refusal?.message).toMatch(/^empty\.csv: /);
    // The refusal is about the file read, not the one staged before.
    expect(next.refusedNames).toEqual(['empty.csv']);
    expect(staged.fileNames).not.toContain('empty.csv');
  });

  it('progress, then the staged upload', () => {
    let s: CsvSlice = { ...initialCsv, uploadId: 1, phase: 'reading' };
    s = reduceCsv(s, {
      type: 'csv-progress',
      uploadId: 1,
      fraction: 0.5,
      rows: 10,
      fileName: 'a.csv',
    });
    expect(s.progress).toEqual({ fraction: 0.5, rows: 10, fileName: 'a.csv' });
    s = reduceCsv(s, { type: 'csv-staged', ...staged, inUse: false });
    expect(s).toMatchObject({ phase: 'idle', progress: null, inUse: false, refusal: null });
    expect(s.staged?.report.tasks).toBe(6);
  });
});

describe('upload actions', () => {
  let sent: Command[];
  let store: StoreApi<AppState>;
  let a: Actions;
  const s = () => store.getState();
  const file = new File([regressionCsv(6, 12, 3)], 'tasks.csv');
  const ready: WorkerEvent = {
    type: 'ready',
    backend: 'wasm',
    adapterInfo: null,
    fallbackReason: null,
    attempts: [],
    recovery: null,
  };
  const staged = stagedFrom(regressionCsv(6, 12, 3));
  const csvLoaded: WorkerEvent = {
    type: 'data-loaded',
    summary: {
      name: 'tasks.csv',
      kind: 'regression',
      inputDim: 1,
      description: '',
      splitSizes: { train: 4, val: 1, test: 1 },
      limits: staged.limits,
    },
  };

  beforeEach(() => {
    sent = [];
    store = createStore<AppState>()(() => initialState());
    a = createActions(store, { send: (c) => sent.push(c) }, () => 0);
    a.init({ backend: 'wasm', hideWebgpu: false });
    a.receive([ready]);
  });

  it('without a run, an upload is used at once and lowers K to what the data allows', () => {
    a.uploadCsv([file]);
    expect(sent.at(-1)).toMatchObject({ type: 'csv-parse', uploadId: 1, use: true, splitSeed: 1 });
    expect(s().csv).toMatchObject({ phase: 'reading', reading: ['tasks.csv'] });
    expect(staged.limits.shots).toBe(2);
    a.receive([{ type: 'csv-staged', ...staged, inUse: true }, csvLoaded]);
    expect(s().csv.inUse).toBe(true);
    expect(s().setup.config.shots).toBe(2);
    expect(s().setup.config.queries).toBe(1);
    expect(s().csv.lowered).toEqual(['shots', 'queries']);
  });

  it('with a run, the upload is only staged and Use asks before resetting', () => {
    a.train();
    a.receive([{ type: 'done', reason: 'stopped', step: 3, bestStep: 3 }]);
    a.uploadCsv([file]);
    expect(sent.at(-1)).toMatchObject({ type: 'csv-parse', use: false });
    a.receive([{ type: 'csv-staged', ...staged, inUse: false }]);
    expect(s().csv.inUse).toBe(false);
    a.useCsv();
    expect(s().setup.pending).toEqual({ kind: 'csv' });
    a.confirmPending();
    expect(sent.slice(-2).map((c) => c.type)).toEqual(['reset', 'load-data']);
    expect(sent.at(-1)).toEqual({ type: 'load-data', data: { kind: 'csv' } });
  });

  it('a role change sends the merged overrides; a refusal keeps the roles shown', () => {
    a.uploadCsv([file]);
    a.receive([{ type: 'csv-staged', ...staged, inUse: true }, csvLoaded]);
    a.editCsvRoles({ role: 'feature', column: 'x', include: false });
    expect(sent.at(-1)).toMatchObject({
      type: 'csv-roles',
      uploadId: 2,
      overrides: { features: [] },
      use: true,
    });
    expect(s().csv.phase).toBe('building');
    a.receive([
      {
        type: 'csv-refused',
        uploadId: 2,
        stage: 'roles',
        message: 'tasks.csv: there are no feature columns.',
        where: { file: 'tasks.csv' },
      },
    ]);
    expect(s().csv.phase).toBe('idle');
    expect(s().csv.staged?.report.schema.features).toEqual(['x']);
    expect(s().csv.inUse).toBe(true);
  });

  it('going back to a built-in family works even when it is the family chosen before', () => {
    a.uploadCsv([file]);
    a.receive([{ type: 'csv-staged', ...staged, inUse: true }, csvLoaded]);
    a.setFamily('sinusoid');
    expect(sent.at(-1)).toEqual({ type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } });
    a.receive([
      {
        type: 'data-loaded',
        summary: {
          name: 'sinusoid',
          kind: 'regression',
          inputDim: 1,
          description: '',
          splitSizes: { train: null, val: null, test: null },
        },
      },
    ]);
    expect(s().csv.inUse).toBe(false);
    expect(s().csv.staged).not.toBeNull();
  });

  it('an empty file list sends nothing', () => {
    const n = sent.length;
    a.uploadCsv([]);
    expect(sent.length).toBe(n);
  });
});
