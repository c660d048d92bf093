import { describe, expect, it } from 'vitest';
import { inferSchema, parseCsvText } from '../../../src/core/data/index';
import { csv, dataError } from './helpers';

const table = (rows: (string | number)[][], name = 'data.csv') => parseCsvText(csv(rows), name);

describe('inferSchema: guesses', () => {
  it('finds task, target and split columns by name, case-insensitively; the rest are features', () => {
    const s = inferSchema(
      table([
        ['Task_ID', 'a', 'Label', 'b', 'SPLIT'],
        ['t1', 1, 'cat', 2, 'train'],
        ['t1', 2, 'dog', 3, 'train'],
      ]),
    );
    expect(s.taskColumn).toBe('Task_ID');
    expect(s.target).toBe('Label');
    expect(s.splitColumn).toBe('SPLIT');
    expect(s.features).toEqual(['a', 'b']);
    expect(s.kind).toBe('classification');
    expect(s.mode).toBe('per-task');
    expect(s.taskPerFile).toBe(false);
    expect(s.reasons).toContain('target: "Label" (named like a target)');
  });

  it('prefers task over task_id over group, and y over target over label', () => {
    const s = inferSchema(
      table([
        ['group', 'task', 'label', 'y', 'x'],
        ['g', 't', 'l', 1.5, 2],
      ]),
    );
    expect(s.taskColumn).toBe('task');
    expect(s.target).toBe('y');
    expect(s.features).toEqual(['group', 'label', 'x']);
  });

  it('falls back to the last column as the target', () => {
    const s = inferSchema(
      table([
        ['task', 'a', 'b', 'out'],
        ['t', 1, 2, 3.5],
        ['t', 2, 3, 4.5],
      ]),
    );
    expect(s.target).toBe('out');
    expect(s.features).toEqual(['a', 'b']);
    expect(s.reasons).toContain('target: "out" (the last column)');
  });

  it('guesses the kind: numbers → regression, text or few whole-number codes → classification', () => {
    const rows = (ys: (string | number)[]) => [['x', 'y'], ...ys.map((y, i) => [i, y])];
    expect(inferSchema(table(rows([0.5, 1.25, 2, 3.75]))).kind).toBe('regression');
    expect(inferSchema(table(rows(['a', 'b', 'a', 'b']))).kind).toBe('classification');
    const codes = Array.from({ length: 40 }, (_, i) => i % 3);
    const s = inferSchema(table(rows(codes)));
    expect(s.kind).toBe('classification');
    expect(s.reasons).toContain(
      'kind: classification (the target "y" holds only 3 different whole numbers)',
    );
    // whole numbers, but each used once: a measurement, not class codes
    expect(inferSchema(table(rows([1, 2, 3, 4, 5, 6]))).kind).toBe('regression');
    // more than 20 codes
    expect(inferSchema(table(rows(Array.from({ length: 100 }, (_, i) => i % 25)))).kind).toBe(
      'regression',
    );
  });

  it('guesses the mode: no task column → episodic, task column → per-task', () => {
    const episodic = inferSchema(
      table([
        ['x', 'label'],
        [1, 'a'],
      ]),
    );
    expect(episodic.mode).toBe('episodic');
    expect(episodic.taskColumn).toBeNull();
    const regression = inferSchema(
      table([
        ['task', 'x', 'y'],
        ['t', 1, 0.5],
      ]),
    );
    expect(regression.mode).toBeNull();
  });

  it('types features: text columns are categorical, a numeric column with a typo stays numeric', () => {
    const s = inferSchema(
      table([
        ['task', 'color', 'size', 'y'],
        ['t', 'red', 1, 0.5],
        ['t', 'blue', 'abc', 0.7],
        ['t', 'red', 3, 0.9],
      ]),
    );
    expect(s.featureTypes).toEqual({ color: 'categorical', size: 'numeric' });
  });

  it('with several files and no task column, each file is a task (per-task)', () => {
    const a = table(
      [
        ['x', 'label'],
        [1, 'a'],
        [2, 'b'],
      ],
      'a.csv',
    );
    const b = table(
      [
        ['label', 'x'],
        ['a', 1],
        ['b', 2],
      ],
      'b.csv',
    );
    const s = inferSchema([a, b]);
    expect(s.taskPerFile).toBe(true);
    expect(s.mode).toBe('per-task');
  });
});

describe('inferSchema: overrides', () => {
  const t = table([
    ['task', 'x1', 'x2', 'y', 'z'],
    ['t', 1, 2, 0.5, 'a'],
    ['t', 2, 3, 0.7, 'b'],
  ]);

  it('applies every override, and later guesses follow them', () => {
    const s = inferSchema(t, { target: 'z', features: ['x2'], taskColumn: null, mode: 'episodic' });
    expect(s.target).toBe('z');
    expect(s.features).toEqual(['x2']);
    expect(s.taskColumn).toBeNull();
    expect(s.kind).toBe('classification');
    expect(s.mode).toBe('episodic');

    const forced = inferSchema(t, { kind: 'classification', featureTypes: { x1: 'categorical' } });
    expect(forced.kind).toBe('classification');
    expect(forced.mode).toBe('per-task');
    expect(forced.featureTypes.x1).toBe('categorical');

    const split = inferSchema(t, { splitColumn: 'z' });
    expect(split.splitColumn).toBe('z');
    expect(split.features).toEqual(['x1', 'x2']);
  });

  it('refuses unknown columns, naming the role and listing the columns', () => {
    const e = dataError(() => inferSchema(t, { target: 'Y2' }));
    expect(e.message).toBe(
      'data.csv, column "Y2": there is no such column (chosen as the target); the columns are "task", "x1", "x2", "y", "z".',
    );
    expect(e.where).toEqual({ file: 'data.csv', column: 'Y2' });
    expect(dataError(() => inferSchema(t, { features: ['x1', 'nope'] })).message).toContain(
      'column "nope": there is no such column (chosen as a feature)',
    );
    expect(dataError(() => inferSchema(t, { taskColumn: 'grp' })).message).toContain(
      'column "grp": there is no such column (chosen as the task column)',
    );
  });

  it('refuses a column given two roles', () => {
    expect(dataError(() => inferSchema(t, { features: ['x1', 'y'] })).message).toBe(
      'data.csv, column "y": this column is already the task, target or split column, so it cannot also be a feature.',
    );
    expect(dataError(() => inferSchema(t, { target: 'task' })).message).toBe(
      'data.csv, column "task": this column cannot be the target and also the task or split column; choose another target.',
    );
  });

  it('refuses regression on a text target and per-task without tasks', () => {
    expect(dataError(() => inferSchema(t, { target: 'z', kind: 'regression' })).message).toBe(
      'data.csv, column "z": the target holds text (e.g. "a"), so it can only be used for classification.',
    );
    expect(
      dataError(() => inferSchema(t, { target: 'z', taskColumn: null, mode: 'per-task' })).message,
    ).toBe(
      'data.csv: per-task classification needs a task column (or several files, one per task); choose a task column or the episodic mode.',
    );
  });

  it('refuses files with different columns, naming the file', () => {
    const a = table(
      [
        ['x', 'y'],
        [1, 2],
      ],
      'a.csv',
    );
    const b = table(
      [
        ['x', 'w'],
        [1, 2],
      ],
      'b.csv',
    );
    expect(dataError(() => inferSchema([a, b])).message).toBe(
      'b.csv, row 1: its columns differ from those of a.csv (missing "y"; extra "w"); files uploaded together must have the same columns.',
    );
    expect(dataError(() => inferSchema([a, a])).message).toBe(
      'a.csv: this file was given twice; give each file once.',
    );
  });
});

describe('task column guessed from its content', () => {
  const rows = (first: string[]) => [
    ['station', 'day', 'temp'],
    ...first.map((s, i) => [s, i + 1, (i * 7) % 13]),
  ];
  it('takes a first column of repeated text labels as the task column for numeric targets', () => {
    const s = inferSchema(table(rows(['A', 'A', 'B', 'B', 'C', 'C', 'C'])));
    expect(s.taskColumn).toBe('station');
    expect(s.features).toEqual(['day']);
    expect(s.reasons[0]).toMatch(/first column repeats text labels/);
  });
  it('does not when the labels do not repeat, or when the person said no task column', () => {
    expect(inferSchema(table(rows(['A', 'B', 'C', 'D', 'E', 'F', 'G']))).taskColumn).toBeNull();
    expect(
      inferSchema(table(rows(['A', 'A', 'B', 'B', 'C', 'C', 'C'])), { taskColumn: null })
        .taskColumn,
    ).toBeNull();
  });
});
