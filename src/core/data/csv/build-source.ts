/**
 * Parsed files + schema → a TaskSource and the report the person reads.
 * The stages, each in its own module: check the file set and the schema's
 * columns; read rows (dropping bad ones); group rows into tasks or classes
 * (leaving out ones too small to serve an episode); meta-split them (split
 * column, or seeded by the person's fractions: split-choice.ts); choose and
 * fit the feature encodings on meta-train rows only; pack each task / class into Float32Arrays.
 *
 * Deterministic: the same files, schema and seed give the same source and
 * report. Refusals throw a DataError; every repair is in report.problems.
 */
import type { TaskSource } from '../types';
import { assembleSource } from './assemble';
import { MAX_INPUTS } from './caps';
import { chooseEncodings } from './encodings';
import { checkFileSet } from './file-set';
import { buildUnits, type Unit } from './grouping';
import type { SplitFractions } from './meta-split';
import { metaSplit } from './split-choice';
import { encodingWidth, meanStd, type Normalization } from './normalization';
import { ProblemLog, quoteCell, refuse, type ProblemCode } from './problems';
import { readRows, reportGaps, type RowStore } from './read-rows';
import { makeReport, readingNotes, standardNotes, type DataReport } from './report';
import { guessColumnType, profileColumn } from './profile';
import type { DatasetSchema } from './schema';
import type { ParsedTable } from './table';

export interface BuildOptions {
  /** seed of the meta-split (the sampling seed is separate: sample() takes an Rng) */
  seed: number;
  /** shares of the units for meta-val and meta-test, default 0.15 each (the schema's win) */
  fractions?: SplitFractions;
  /**
   * N of N-way: the default split of episodic data gives meta-val and
   * meta-test at least this many classes when there are 3N or more (not when
   * the person set fractions). Recorded in the schema as used, for sessions.
   */
  minEach?: number;
  /** source name, default the file name (or "N files") */
  name?: string;
}

export interface BuiltCsvSource {
  source: TaskSource;
  report: DataReport;
}

const DROP_CODES: readonly ProblemCode[] = [
  'ragged-row',
  'malformed-quotes',
  'not-a-number',
  'missing-target',
  'non-finite-target',
  'missing-task',
];

function checkSchemaColumns(tables: readonly ParsedTable[], schema: DatasetSchema): void {
  const wanted: [string | null, string][] = [
    [schema.taskColumn, 'the task column'],
    [schema.target, 'the target'],
    [schema.splitColumn, 'the split column'],
    ...schema.features.map((f): [string, string] => [f, 'a feature']),
  ];
  for (const t of tables) {
    for (const [column, role] of wanted) {
      if (column !== null && !t.header.includes(column)) {
        throw refuse({ file: t.fileName, column }, `there is no such column (it is ${role}).`);
      }
    }
  }
  if (schema.features.length === 0) {
    throw refuse(
      { file: tables[0]?.fileName },
      'there are no feature columns: the model needs at least one input besides the target.',
    );
  }
}

/** A schema made by hand (UI, CLI, old session) may lack feature types: guess those. */
function withFeatureTypes(tables: readonly ParsedTable[], schema: DatasetSchema): DatasetSchema {
  const featureTypes = { ...schema.featureTypes };
  for (const f of schema.features) {
    featureTypes[f] ??= guessColumnType(profileColumn(tables, f));
  }
  return { ...schema, featureTypes };
}

function checkTargetVaries(store: RowStore, schema: DatasetSchema, file: string | undefined): void {
  const where = { file, column: schema.target };
  if (schema.kind === 'regression') {
    const first = store.target[0] as number;
    if (store.target.every((v) => v === first)) {
      throw refuse(
        where,
        `the target has the same value (${first}) in every row, so there is nothing to learn.`,
      );
    }
  } else {
    const first = store.label[0] as string;
    if (store.label.every((v) => v === first)) {
      throw refuse(
        where,
        `every row has the same class (${quoteCell(first)}), so there is nothing to tell apart.`,
      );
    }
  }
}

/** At least 3 units without a split column (one per split), at least 1 with one. */
function checkUnitCount(
  units: readonly Unit[],
  episodic: boolean,
  file: string | undefined,
  needed: number,
  log: ProblemLog,
): void {
  if (units.length >= needed) return;
  const word = episodic ? 'classes' : 'tasks';
  const names = units.map((u) => `"${u.name}"`).join(', ');
  const leftOut = log
    .problems()
    .find((p) => p.action === 'task-excluded' || p.action === 'class-excluded');
  const why = leftOut ? ` (left out, e.g.: ${leftOut.message})` : '';
  const count =
    units.length === 0
      ? `no ${episodic ? 'class' : 'task'} can`
      : `only ${units.length} ${word} can`;
  throw refuse(
    { file },
    `${count} be used${names ? ` (${names})` : ''}${why}; meta-learning needs at least 3, one each to meta-train, meta-validate and meta-test.`,
  );
}

export function buildCsvSource(
  tables: readonly ParsedTable[],
  givenSchema: DatasetSchema,
  opts: BuildOptions,
): BuiltCsvSource {
  checkFileSet(tables);
  checkSchemaColumns(tables, givenSchema);
  const schema = withFeatureTypes(tables, givenSchema);
  const single = tables.length === 1 ? tables[0]?.fileName : undefined;
  const firstFile = tables[0]?.fileName;
  const log = new ProblemLog();
  for (const t of tables) log.absorb(t.problems, t.problemCounts);

  const episodic = schema.kind === 'classification' && schema.mode === 'episodic';
  if (schema.kind === 'regression' && schema.taskColumn === null && !schema.taskPerFile) {
    throw refuse(
      { file: firstFile },
      'regression needs several tasks, but there is no task column: choose the column that names the task of each row, or upload one file per task.',
    );
  }

  const store = readRows(tables, schema, log);
  if (store.count === 0) {
    const first = log.problems().find((p) => p.action === 'row-dropped');
    throw refuse(
      { file: firstFile },
      `no row could be used${first ? ` (first problem: ${first.message})` : ''}.`,
    );
  }
  checkTargetVaries(store, schema, firstFile);

  const units = buildUnits(store, {
    kind: schema.kind,
    mode: schema.mode,
    tables,
    taskColumn: schema.taskColumn,
    target: schema.target,
    log,
  });
  checkUnitCount(units, episodic, firstFile, schema.splitColumn === null ? 3 : 1, log);
  const { splits, minEach } = metaSplit(units, store, tables, schema, opts, firstFile);
  if (splits.train.length === 0) {
    throw refuse(
      { file: firstFile, column: schema.splitColumn ?? undefined },
      `no ${episodic ? 'class' : 'task'} is marked train; meta-training needs at least one.`,
    );
  }
  for (const s of ['val', 'test'] as const) {
    if (splits[s].length === 0) {
      log.add(
        'empty-split',
        'note',
        { file: firstFile, column: schema.splitColumn ?? undefined },
        `no ${episodic ? 'class' : 'task'} is marked ${s}, so there is nothing to ${s === 'val' ? 'meta-validate' : 'meta-test'} on.`,
      );
    }
  }

  const trainRows = splits.train.flatMap((u) => u.rows);
  const usedRows = [
    ...trainRows,
    ...splits.val.flatMap((u) => u.rows),
    ...splits.test.flatMap((u) => u.rows),
  ];
  const features = chooseEncodings(store, schema, usedRows, trainRows, log, single);
  if (features.length === 0) {
    throw refuse(
      { file: firstFile },
      'no feature column is usable (see the notes on ignored columns).',
    );
  }
  reportGaps(store, new Set(features.map((e) => e.column)), new Set(usedRows), log);
  const inputDim = features.reduce((n, e) => n + encodingWidth(e), 0);
  if (inputDim > MAX_INPUTS) {
    throw refuse(
      { file: firstFile },
      `the features make ${inputDim} model inputs after one-hot encoding; at most ${MAX_INPUTS} are accepted. Leave out some text columns and try again.`,
    );
  }
  const targetStats = schema.kind === 'regression' ? meanStd(store.target, trainRows) : null;
  const norm: Normalization = {
    features,
    target: targetStats === null ? null : { column: schema.target, ...targetStats },
    inputDim,
  };

  const used = new Set(features.map((e) => e.column));
  const usedSchema: DatasetSchema = {
    ...schema,
    ...(minEach > 1 ? { minSplitUnits: minEach } : {}),
    features: schema.features.filter((f) => used.has(f)),
    featureTypes: Object.fromEntries(
      Object.entries(schema.featureTypes).filter(([f]) => used.has(f)),
    ),
  };
  const name = opts.name ?? (tables.length === 1 ? (firstFile ?? 'csv') : `${tables.length} files`);
  const source = assembleSource({ name, store, tables, schema: usedSchema, norm, splits });

  const droppedRows = DROP_CODES.reduce((n, c) => n + log.count(c), 0);
  const report = makeReport({
    tables,
    schema: usedSchema,
    norm,
    store,
    splits,
    problems: log.problems(),
    problemCounts: log.problemCounts(),
    droppedRows,
    notes: [...readingNotes(tables), ...standardNotes(usedSchema, norm)],
  });
  return { source, report };
}
