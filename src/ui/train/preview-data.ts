/**
 * The points of the data picture shown before training (DataPreview.tsx): a
 * few sample tasks of a built-in family, drawn with the family's own sampler
 * and the configuration's seed and episode shape, or a few tasks / classes of
 * an uploaded CSV on its first two numeric columns. Pure functions of plain
 * data (no React, no DOM), unit-tested.
 *
 * Invariants: at most MAX_PANELS panels and MAX_POINTS points per panel, so
 * the SVG stays a few hundred circles; every value is finite; a class is an
 * index into the panel's legend (0 for regression).
 */
import { builtinSource } from '../../core/data/builtin';
import type { BuiltinName } from '../../core/spec/builtin';
import type { DatasetSchema } from '../../core/data/csv/schema';
import { Rng } from '../../core/rng';
import type { TrainConfig } from '../../core/spec/config';

export const MAX_PANELS = 3;
export const MAX_POINTS = 120;
/** classes drawn in one classification panel */
export const MAX_CLASSES = 6;

export interface PreviewPoint {
  x: number;
  y: number;
  /** class index (classification) or 0 */
  c: number;
  /** support (filled) or query (open) for a built-in episode; true for CSV rows */
  support: boolean;
}

export interface PreviewPanel {
  title: string;
  points: PreviewPoint[];
}

export interface Preview {
  kind: 'regression' | 'classification';
  xLabel: string;
  yLabel: string;
  panels: PreviewPanel[];
  /** the sentence under the picture (also its text alternative) */
  summary: string;
}

/** Class of a one-hot row: the index of its largest entry. */
function argmax(a: Float32Array, from: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if ((a[from + j] ?? 0) > (a[from + best] ?? 0)) best = j;
  return best;
}

/**
 * Sample tasks of a built-in family, as the trainer would draw them from
 * meta-train with this seed and episode shape (K support, Q query points).
 */
export function builtinPreview(
  family: BuiltinName,
  config: Pick<TrainConfig, 'seed' | 'shots' | 'ways' | 'queries'>,
  label: string,
): Preview {
  const source = builtinSource(family);
  const classification = source.kind === 'classification';
  const shape = {
    shots: Math.min(config.shots, 20),
    ways: classification ? Math.min(config.ways, MAX_CLASSES) : 1,
    queries: Math.min(config.queries, 20),
  };
  const b = source.sample('train', MAX_PANELS, shape, new Rng(config.seed));
  const d = b.inputDim;
  const o = b.outputDim;
  const panels: PreviewPanel[] = [];
  for (let t = 0; t < b.tasks; t++) {
    const points: PreviewPoint[] = [];
    const add = (xs: Float32Array, ys: Float32Array, n: number, support: boolean) => {
      for (let i = 0; i < n && points.length < MAX_POINTS; i++) {
        const row = t * n + i;
        const x = xs[row * d] ?? 0;
        const y = classification ? (xs[row * d + 1] ?? 0) : (ys[row * o] ?? 0);
        const c = classification ? argmax(ys, row * o, o) : 0;
        if (Number.isFinite(x) && Number.isFinite(y)) points.push({ x, y, c, support });
      }
    };
    add(b.supportX, b.supportY, b.support, true);
    add(b.queryX, b.queryY, b.query, false);
    panels.push({ title: `Task ${t + 1}`, points });
  }
  const what = classification
    ? `${shape.ways} classes each (colours), ${shape.shots} support (filled) and ${shape.queries} query (open) points per class`
    : `${shape.shots} support (filled) and ${shape.queries} query (open) points each`;
  return {
    kind: classification ? 'classification' : 'regression',
    xLabel: classification ? 'input 1' : d > 1 ? 'input 1 of ' + d : 'x',
    yLabel: classification ? 'input 2' : 'target',
    panels,
    summary: `${panels.length} sample tasks of ${label} drawn with seed ${config.seed}: ${what}.`,
  };
}

function numberCell(s: string | undefined): number {
  if (s === undefined) return NaN;
  const t = s.trim();
  return t === '' ? NaN : Number(t);
}

/**
 * A few tasks (regression, per-task classification) or classes (episodic)
 * of parsed CSV rows: the first two numeric features (regression: the first
 * numeric feature against the target). `rows` are the cells of data rows in
 * header order; `fileOf` names each row's file, for one-task-per-file uploads.
 */
export function csvPreview(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  schema: Pick<
    DatasetSchema,
    'taskColumn' | 'taskPerFile' | 'target' | 'features' | 'featureTypes' | 'kind' | 'mode'
  >,
  fileOf: (row: number) => string,
  label: string,
): Preview | null {
  const col = (name: string | null) => (name === null ? -1 : header.indexOf(name));
  const numeric = schema.features.filter((f) => schema.featureTypes[f] !== 'categorical');
  const classification = schema.kind === 'classification';
  const [fx, fy] = classification ? numeric : [numeric[0], schema.target];
  if (fx === undefined || fy === undefined) return null;
  const ix = col(fx);
  const iy = col(fy);
  const target = col(schema.target);
  const task = col(schema.taskColumn);
  if (ix < 0 || iy < 0 || target < 0) return null;
  const episodic = classification && schema.mode === 'episodic';
  const groupOf = (r: readonly string[], i: number): string =>
    episodic ? 'all' : task >= 0 ? (r[task] ?? '') : schema.taskPerFile ? fileOf(i) : 'all';
  const panels = new Map<string, PreviewPanel>();
  const classes = new Map<string, Map<string, number>>();
  rows.forEach((r, i) => {
    const g = groupOf(r, i);
    let p = panels.get(g);
    if (!p) {
      if (panels.size >= MAX_PANELS) return;
      p = { title: g === 'all' ? (episodic ? 'Classes' : 'All rows') : g, points: [] };
      panels.set(g, p);
      classes.set(g, new Map());
    }
    if (p.points.length >= MAX_POINTS) return;
    const x = numberCell(r[ix]);
    const y = numberCell(r[iy]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    let c = 0;
    if (classification) {
      const names = classes.get(g) as Map<string, number>;
      const name = r[target] ?? '';
      if (!names.has(name)) {
        if (names.size >= MAX_CLASSES) return;
        names.set(name, names.size);
      }
      c = names.get(name) as number;
    }
    p.points.push({ x, y, c, support: true });
  });
  const list = [...panels.values()].filter((p) => p.points.length > 0);
  if (list.length === 0) return null;
  const drawn = classification
    ? Math.max(...[...classes.values()].map((m) => m.size))
    : list.reduce((n, p) => n + p.points.length, 0);
  const unit = classification
    ? `${drawn} class${drawn === 1 ? '' : 'es'} (colours)${episodic ? '' : ` per task, ${list.length} task${list.length === 1 ? '' : 's'}`}`
    : `${list.length} task${list.length === 1 ? '' : 's'}, ${drawn} rows`;
  return {
    kind: classification ? 'classification' : 'regression',
    xLabel: fx,
    yLabel: fy,
    panels: list,
    summary: `${label}: ${unit}, ${fy} against ${fx}, from the first rows of the file.`,
  };
}

/** The extent of all panels' points with a 5% margin (a single value gets ±1). */
export function extent(panels: readonly PreviewPanel[]): {
  x: [number, number];
  y: [number, number];
} {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const p of panels)
    for (const q of p.points) {
      x0 = Math.min(x0, q.x);
      x1 = Math.max(x1, q.x);
      y0 = Math.min(y0, q.y);
      y1 = Math.max(y1, q.y);
    }
  const pad = (a: number, b: number): [number, number] => {
    if (!Number.isFinite(a)) return [0, 1];
    if (a === b) return [a - 1, b + 1];
    const m = (b - a) * 0.05;
    return [a - m, b + m];
  };
  return { x: pad(x0, x1), y: pad(y0, y1) };
}
