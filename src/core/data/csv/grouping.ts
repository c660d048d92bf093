/**
 * Rows into the units the meta-split works on: tasks (regression, per-task
 * classification; a per-task unit also holds its classes) or classes
 * (episodic). Units and classes keep the order in which they first appear,
 * so the result depends on the files only, never on a hash order.
 *
 * A unit that could never serve one episode is left out with a note: a
 * regression task needs 2 rows (one to adapt on, one to test), a class needs
 * 2 examples, a per-task classification task needs 2 such classes.
 */
import type { ProblemKind, ClassificationMode } from '../types';
import type { ProblemLog, Where } from './problems';
import type { RowStore } from './read-rows';
import type { ParsedTable } from './table';

export interface RowGroup {
  name: string;
  /** indices into the RowStore */
  rows: number[];
}

export interface Unit extends RowGroup {
  /** per-task classification: the task's classes */
  classes?: RowGroup[];
}

export function groupRows(keys: readonly string[], rows: readonly number[]): RowGroup[] {
  const groups = new Map<string, RowGroup>();
  for (const r of rows) {
    const key = keys[r] as string;
    let g = groups.get(key);
    if (g === undefined) {
      g = { name: key, rows: [] };
      groups.set(key, g);
    }
    g.rows.push(r);
  }
  return [...groups.values()];
}

export interface GroupingContext {
  kind: ProblemKind;
  mode: ClassificationMode | null;
  tables: readonly ParsedTable[];
  taskColumn: string | null;
  target: string;
  log: ProblemLog;
}

function firstRowWhere(
  store: RowStore,
  ctx: GroupingContext,
  row: number,
  column: string | null,
): Where {
  const where: Where = {
    file: ctx.tables[store.fileIndex[row] as number]?.fileName,
    row: store.rowNumber[row],
  };
  if (column !== null) where.column = column;
  return where;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Classes with at least 2 examples; the others are left out with a note. */
function keepServableClasses(
  classes: RowGroup[],
  store: RowStore,
  ctx: GroupingContext,
  taskName: string | null,
): RowGroup[] {
  return classes.filter((c) => {
    if (c.rows.length >= 2) return true;
    const who = taskName === null ? `class "${c.name}"` : `task "${taskName}", class "${c.name}"`;
    ctx.log.add(
      'small-class',
      'class-excluded',
      firstRowWhere(store, ctx, c.rows[0] as number, ctx.target),
      `${who} has only ${plural(c.rows.length, 'example', 'examples')}; a class needs at least 2 (one to adapt on, one to test), so it was left out.`,
    );
    return false;
  });
}

export function buildUnits(store: RowStore, ctx: GroupingContext): Unit[] {
  const all = Array.from({ length: store.count }, (_, i) => i);
  if (ctx.kind === 'classification' && ctx.mode === 'episodic') {
    return keepServableClasses(groupRows(store.label, all), store, ctx, null);
  }
  const tasks = groupRows(store.task, all);
  if (ctx.kind === 'regression') {
    return tasks.filter((t) => {
      if (t.rows.length >= 2) return true;
      ctx.log.add(
        'small-task',
        'task-excluded',
        firstRowWhere(store, ctx, t.rows[0] as number, ctx.taskColumn),
        `task "${t.name}" has only 1 row; a task needs at least 2 (one to adapt on, one to test), so it was left out.`,
      );
      return false;
    });
  }
  const units: Unit[] = [];
  for (const t of tasks) {
    const classes = keepServableClasses(groupRows(store.label, t.rows), store, ctx, t.name);
    if (classes.length >= 2) {
      units.push({ name: t.name, rows: classes.flatMap((c) => c.rows), classes });
      continue;
    }
    const only = classes[0] ? ` ("${classes[0].name}")` : '';
    ctx.log.add(
      'single-class-task',
      'task-excluded',
      firstRowWhere(store, ctx, t.rows[0] as number, ctx.taskColumn),
      `task "${t.name}" has ${classes.length === 0 ? 'no class' : 'only one class'}${only} with at least 2 examples; a task needs two classes to tell apart, so it was left out.`,
    );
  }
  return units;
}
