/**
 * The roles of the columns: which one groups rows into tasks, which one is
 * the target, which are features, which fixes the meta-split; the problem
 * kind and the classification mode. inferSchema guesses each from names and
 * values (ARCHITECTURE.md, "Task CSV") and applies the person's overrides
 * (UI choices, CLI flags --task-column --target --features --mode) on top,
 * so a guess that depends on another role is made after that role is fixed.
 *
 * Invariants of a DatasetSchema: the task, target, split and feature columns
 * exist in every file and are pairwise distinct; `mode` is null exactly for
 * regression; `taskPerFile` is true only with several files and no task
 * column. It is plain data, saved in sessions as is. inferSchema refuses
 * only contradictory choices (unknown column names, a column given two
 * roles, a text target forced to regression, per-task mode without tasks);
 * problems of the data themselves are found when the source is built.
 */
import type { ClassificationMode, ProblemKind } from '../types';
import { MAX_CLASS_CODES } from './caps';
import { checkFileSet } from './file-set';
import { guessColumnType, profileColumn, type ColumnProfile, type ColumnType } from './profile';
import { refuse } from './problems';
import type { ParsedTable } from './table';

import { checkSplitSettings } from './split-settings';

export type { ColumnType } from './profile';

export interface DatasetSchema {
  /** groups rows into tasks; null when there is none (ignored in episodic mode) */
  taskColumn: string | null;
  /** several files and no task column: each file is one task named after the file */
  taskPerFile: boolean;
  target: string;
  features: string[];
  /** per feature: numbers (standardized) or text categories (one-hot) */
  featureTypes: Record<string, ColumnType>;
  splitColumn: string | null;
  kind: ProblemKind;
  /** classification only */
  mode: ClassificationMode | null;
  /** shares of the units for meta-val / meta-test (no split column); absent: 0.15 each */
  valFraction?: number;
  testFraction?: number;
  /** the default split gave meta-val and meta-test at least this many units (N of N-way) */
  minSplitUnits?: number;
  /** one line per guess or choice, for the UI: `target: "y" (named like a target)` */
  reasons: string[];
}

/** Every guess can be replaced; `null` means "none" for the optional roles. */
export interface SchemaOverrides {
  taskColumn?: string | null;
  target?: string;
  features?: string[];
  splitColumn?: string | null;
  kind?: ProblemKind;
  mode?: ClassificationMode;
  featureTypes?: Record<string, ColumnType>;
  valFraction?: number;
  testFraction?: number;
  minSplitUnits?: number;
}

const TASK_NAMES = ['task', 'task_id', 'group'];
const TARGET_NAMES = ['y', 'target', 'label'];
const SPLIT_NAMES = ['split'];

function findNamed(header: readonly string[], candidates: readonly string[]): string | null {
  for (const c of candidates) {
    const hit = header.find((h) => h.toLowerCase() === c);
    if (hit !== undefined) return hit;
  }
  return null;
}

function requireColumn(header: readonly string[], name: string, role: string, file: string): void {
  if (!header.includes(name)) {
    const list = header.map((h) => `"${h}"`).join(', ');
    throw refuse(
      { file, column: name },
      `there is no such column (chosen as ${role}); the columns are ${list}.`,
    );
  }
}

/**
 * Classification when the target is text, or holds a few whole numbers
 * (at most MAX_CLASS_CODES distinct, each used twice on average): those look
 * like class codes, not measurements.
 */
function guessKind(p: ColumnProfile): { kind: ProblemKind; why: string } {
  if (guessColumnType(p) === 'categorical') {
    return { kind: 'classification', why: `the target "${p.name}" holds text` };
  }
  const used = p.numbers + p.nonFinite;
  if (p.allWhole && p.distinct <= MAX_CLASS_CODES && p.distinct * 2 <= used) {
    return {
      kind: 'classification',
      why: `the target "${p.name}" holds only ${p.distinct} different whole numbers`,
    };
  }
  return { kind: 'regression', why: `the target "${p.name}" holds numbers` };
}

/**
 * A task column nobody named "task": the first column, when it holds text
 * labels that repeat (each used at least twice, at least 3 of them) and the
 * target is a number. Files like "station,day,temp" are then read as one task
 * per station, as their authors mean; the guess is shown and can be changed.
 */
function taskColumnByContent(
  tables: readonly ParsedTable[],
  header: readonly string[],
  target: string,
  splitColumn: string | null,
): string | null {
  const first = header[0];
  if (first === undefined || first === target || first === splitColumn) return null;
  const p = profileColumn(tables, first);
  const labels = p.cells - p.missing;
  const repeats = p.distinct >= 3 && p.distinct * 2 <= labels;
  if (guessColumnType(p) !== 'categorical' || !repeats) return null;
  return guessKind(profileColumn(tables, target)).kind === 'regression' ? first : null;
}

export function inferSchema(
  input: ParsedTable | readonly ParsedTable[],
  overrides: SchemaOverrides = {},
): DatasetSchema {
  const tables: readonly ParsedTable[] = Array.isArray(input) ? input : [input as ParsedTable];
  checkFileSet(tables);
  const first = tables[0] as ParsedTable;
  const header = first.header;
  const file = first.fileName;
  const reasons: string[] = [];

  let taskColumn: string | null;
  if (overrides.taskColumn !== undefined) {
    taskColumn = overrides.taskColumn;
    if (taskColumn !== null) requireColumn(header, taskColumn, 'the task column', file);
    reasons.push(
      taskColumn === null
        ? 'task column: none (your choice)'
        : `task column: "${taskColumn}" (your choice)`,
    );
  } else {
    taskColumn = findNamed(header, TASK_NAMES);
    reasons.push(
      taskColumn === null
        ? 'task column: none (no column is named task, task_id or group)'
        : `task column: "${taskColumn}" (named like a task column)`,
    );
  }

  let splitColumn: string | null;
  if (overrides.splitColumn !== undefined) {
    splitColumn = overrides.splitColumn;
    if (splitColumn !== null) requireColumn(header, splitColumn, 'the split column', file);
  } else {
    splitColumn = findNamed(header, SPLIT_NAMES);
  }
  if (splitColumn !== null) reasons.push(`split column: "${splitColumn}"`);

  const reserved = new Set([taskColumn, splitColumn].filter((c): c is string => c !== null));
  let target: string;
  if (overrides.target !== undefined) {
    target = overrides.target;
    requireColumn(header, target, 'the target', file);
    reasons.push(`target: "${target}" (your choice)`);
  } else {
    const free = header.filter((h) => !reserved.has(h));
    const named = findNamed(free, TARGET_NAMES);
    const last = free[free.length - 1];
    if (named !== null) {
      target = named;
      reasons.push(`target: "${target}" (named like a target)`);
    } else if (last !== undefined) {
      target = last;
      reasons.push(`target: "${target}" (the last column)`);
    } else {
      throw refuse({ file }, 'there is no column left to use as the target.');
    }
  }
  if (taskColumn === null && overrides.taskColumn === undefined && tables.length === 1) {
    const guessed = taskColumnByContent(tables, header, target, splitColumn);
    if (guessed !== null) {
      taskColumn = guessed;
      reserved.add(guessed);
      reasons[0] = `task column: "${guessed}" (the first column repeats text labels, one per group of rows)`;
    }
  }
  if (reserved.has(target)) {
    throw refuse(
      { file, column: target },
      'this column cannot be the target and also the task or split column; choose another target.',
    );
  }
  if (taskColumn !== null && taskColumn === splitColumn) {
    throw refuse(
      { file, column: taskColumn },
      'the same column cannot be both the task column and the split column.',
    );
  }

  const roles = new Set([...reserved, target]);
  let features: string[];
  if (overrides.features !== undefined) {
    features = [...overrides.features];
    for (const f of features) {
      requireColumn(header, f, 'a feature', file);
      if (roles.has(f)) {
        throw refuse(
          { file, column: f },
          'this column is already the task, target or split column, so it cannot also be a feature.',
        );
      }
    }
    reasons.push(`features: ${features.length} columns (your choice)`);
  } else {
    features = header.filter((h) => !roles.has(h));
    reasons.push(`features: the ${features.length} other columns`);
  }

  const featureTypes: Record<string, ColumnType> = {};
  for (const f of features) {
    featureTypes[f] = overrides.featureTypes?.[f] ?? guessColumnType(profileColumn(tables, f));
  }

  const targetProfile = profileColumn(tables, target);
  let kind: ProblemKind;
  if (overrides.kind !== undefined) {
    kind = overrides.kind;
    if (kind === 'regression' && guessColumnType(targetProfile) === 'categorical') {
      throw refuse(
        { file, column: target },
        `the target holds text (e.g. "${targetProfile.firstText ?? ''}"), so it can only be used for classification.`,
      );
    }
    reasons.push(`kind: ${kind} (your choice)`);
  } else {
    const g = guessKind(targetProfile);
    kind = g.kind;
    reasons.push(`kind: ${kind} (${g.why})`);
  }

  let mode: ClassificationMode | null = null;
  if (kind === 'classification') {
    const hasTasks = taskColumn !== null || tables.length > 1;
    if (overrides.mode !== undefined) {
      mode = overrides.mode;
      if (mode === 'per-task' && !hasTasks) {
        throw refuse(
          { file },
          'per-task classification needs a task column (or several files, one per task); choose a task column or the episodic mode.',
        );
      }
      reasons.push(`mode: ${mode} (your choice)`);
    } else {
      mode = hasTasks ? 'per-task' : 'episodic';
      reasons.push(
        hasTasks
          ? 'mode: per-task (each task is its own N-way problem)'
          : 'mode: episodic (no task column: episodes are drawn from the classes, and the classes are split)',
      );
    }
    if (mode === 'episodic' && taskColumn !== null) {
      reasons.push(`task column "${taskColumn}" is not used in the episodic mode`);
    }
  }

  if (kind === 'regression' && overrides.mode !== undefined) {
    reasons.push('mode: not used for regression');
  }
  const taskPerFile = tables.length > 1 && taskColumn === null && mode !== 'episodic';
  if (taskPerFile) reasons.push(`tasks: one per file (${tables.length} files, no task column)`);

  return {
    taskColumn,
    taskPerFile,
    target,
    features,
    featureTypes,
    splitColumn,
    kind,
    mode,
    ...checkSplitSettings(overrides, file, reasons),
    reasons,
  };
}
