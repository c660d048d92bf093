/**
 * The CSV upload as the UI sees it: which upload is current, its progress,
 * the last upload that was read and built (its report, the roles chosen, the
 * limits it puts on K / N / queries), the last refusal, and whether it is the
 * data trained on. Plus the pure pieces around it: the reducer for the CSV
 * events and the role edits (what overrides a change of one role makes).
 *
 * Invariants: `staged` only ever changes to a build that succeeded, so a
 * refused upload or role change leaves what was shown (and trained on) as it
 * was; events of an older upload than `uploadId` are ignored, so a slow parse
 * cannot overwrite a newer one. Memory only: uploads are not in the URL.
 */
import type { SchemaOverrides } from '../core/data/csv/schema';
import type { ClassificationMode, ProblemKind } from '../core/data/types';
import type { TrainConfig } from '../core/spec/config';
import type { CsvStaged, DataLimits, EventBodies, WorkerEvent } from '../worker/protocol';

export interface CsvProgress {
  fraction: number;
  rows: number;
  fileName: string;
}

export interface CsvSlice {
  /** id of the latest upload or role change sent to the worker; 0 = none yet */
  uploadId: number;
  /** 'reading': files are being parsed; 'building': roles are being applied */
  phase: 'idle' | 'reading' | 'building';
  /** names of the files being read */
  reading: string[];
  progress: CsvProgress | null;
  staged: CsvStaged | null;
  /** the staged upload is the data the worker trains on */
  inUse: boolean;
  refusal: EventBodies['csv-refused'] | null;
  /** the files the refusal is about (the upload read, or the staged files whose roles changed) */
  refusedNames: string[];
  /** settings lowered to fit the data when it was loaded, for a note */
  lowered: CappedKey[];
}

export const initialCsv: CsvSlice = {
  uploadId: 0,
  phase: 'idle',
  reading: [],
  progress: null,
  staged: null,
  inUse: false,
  refusal: null,
  refusedNames: [],
  lowered: [],
};

type CsvEvent = Extract<WorkerEvent, { type: 'csv-progress' | 'csv-staged' | 'csv-refused' }>;

export function isCsvEvent(e: WorkerEvent): e is CsvEvent {
  return e.type === 'csv-progress' || e.type === 'csv-staged' || e.type === 'csv-refused';
}

export function reduceCsv(s: CsvSlice, e: CsvEvent): CsvSlice {
  if (e.uploadId !== s.uploadId) return s;
  switch (e.type) {
    case 'csv-progress':
      return {
        ...s,
        progress: { fraction: e.fraction, rows: e.rows, fileName: e.fileName },
      };
    case 'csv-staged': {
      const { type: _type, ...staged } = e;
      return {
        ...s,
        phase: 'idle',
        reading: [],
        progress: null,
        staged,
        inUse: e.inUse,
        refusal: null,
      };
    }
    case 'csv-refused': {
      const { type: _type, ...refusal } = e;
      const refusedNames = s.reading.length > 0 ? s.reading : (s.staged?.fileNames ?? []);
      return { ...s, phase: 'idle', reading: [], progress: null, refusal, refusedNames };
    }
    default:
      e satisfies never;
      return s;
  }
}

/** One change the person makes to the column roles. */
export type RoleEdit =
  | { role: 'task'; column: string | null }
  | { role: 'target'; column: string }
  | { role: 'split'; column: string | null }
  | { role: 'feature'; column: string; include: boolean }
  | { role: 'kind'; kind: ProblemKind }
  | { role: 'mode'; mode: ClassificationMode }
  /** the meta-split fractions; null = the default */
  | { role: 'fractions'; val: number | null; test: number | null };

/**
 * The overrides after one edit, starting from what was chosen before and the
 * roles as built. A column that takes the task, target or split role leaves
 * the features; the previous target becomes a feature again only when the
 * features were chosen by hand (otherwise the guess includes it anyway). A
 * new target drops the chosen problem kind and mode: they are guessed anew.
 */
export function editRoles(
  prev: SchemaOverrides,
  built: {
    taskColumn: string | null;
    target: string;
    splitColumn: string | null;
    features: string[];
  },
  edit: RoleEdit,
): SchemaOverrides {
  const next: SchemaOverrides = { ...prev };
  const withoutRole = (column: string | null) => {
    if (column !== null && next.features !== undefined)
      next.features = next.features.filter((f) => f !== column);
  };
  switch (edit.role) {
    case 'task':
      next.taskColumn = edit.column;
      withoutRole(edit.column);
      if (edit.column !== null && edit.column === built.target) delete next.target;
      return next;
    case 'split':
      next.splitColumn = edit.column;
      withoutRole(edit.column);
      if (edit.column !== null && edit.column === built.target) delete next.target;
      return next;
    case 'target':
      next.target = edit.column;
      withoutRole(edit.column);
      if (next.features !== undefined && !next.features.includes(built.target))
        next.features = [...next.features, built.target];
      if (edit.column === built.taskColumn) next.taskColumn = null;
      if (edit.column === built.splitColumn) next.splitColumn = null;
      delete next.kind;
      delete next.mode;
      return next;
    case 'feature': {
      const current = next.features ?? built.features;
      const rest = current.filter((f) => f !== edit.column);
      next.features = edit.include ? [...rest, edit.column] : rest;
      return next;
    }
    case 'kind':
      next.kind = edit.kind;
      if (edit.kind === 'regression') delete next.mode;
      return next;
    case 'mode':
      next.mode = edit.mode;
      return next;
    case 'fractions':
      if (edit.val === null) delete next.valFraction;
      else next.valFraction = edit.val;
      if (edit.test === null) delete next.testFraction;
      else next.testFraction = edit.test;
      return next;
    default:
      edit satisfies never;
      return next;
  }
}

export type CappedKey = 'shots' | 'ways' | 'queries';

/** The largest value of K, N or queries the data allows with this configuration; null = no cap. */
export function capFor(
  key: CappedKey,
  limits: DataLimits | undefined,
  config: TrainConfig,
): number | null {
  if (!limits) return null;
  if (key === 'queries')
    return limits.queries === null ? null : Math.max(1, limits.queries + 1 - config.shots);
  return limits[key];
}

/** Why a value of K, N or queries is too large for the data; null when it fits. */
export function capProblem(
  key: CappedKey,
  value: number,
  limits: DataLimits | undefined,
  config: TrainConfig,
  label: string,
): string | null {
  const cap = capFor(key, limits, config);
  if (cap === null || value <= cap) return null;
  const why =
    key === 'shots'
      ? 'the smallest task (or class) must keep one example to test on'
      : key === 'ways'
        ? 'every episode must find that many classes'
        : `with K = ${config.shots}, the smallest task (or class) has no more examples left`;
  return `${label}: this data allows at most ${cap} (${why}).`;
}

/**
 * The configuration lowered to what new data allows (K first, then queries
 * with that K, then N), and what was lowered, for a note.
 */
export function clampToLimits(
  config: TrainConfig,
  limits: DataLimits | undefined,
): { config: TrainConfig; lowered: CappedKey[] } {
  const lowered: CappedKey[] = [];
  let next = config;
  for (const key of ['shots', 'queries', 'ways'] as const) {
    const cap = capFor(key, limits, next);
    if (cap !== null && cap >= 1 && next[key] > cap) {
      next = { ...next, [key]: cap };
      lowered.push(key);
    }
  }
  return { config: next, lowered };
}
