/**
 * The points of the data picture shown before training: a few sample tasks
 * of a built-in family, drawn with the family's own sampler and the
 * configuration's seed and episode shape (the tasks the trainer would draw
 * first from meta-train), or a few tasks / classes of a staged CSV upload on
 * its first two numeric features. It runs in the worker (src/worker/preview.ts),
 * which holds the parsed tables; the page only draws the result and words it
 * (src/ui/train/preview-words.ts). Pure functions of plain data: no tfjs,
 * no DOM.
 *
 * Invariants: at most MAX_PANELS panels and MAX_POINTS points per panel, so
 * the SVG stays a few hundred circles; every value is finite; a class is an
 * index into the panel's colours (0 for regression). Same inputs, same points.
 */
import type { BuiltinName } from '../spec/builtin';
import type { TrainConfig } from '../spec/config';
import { Rng } from '../rng';
import { builtinSource } from './builtin';
import { labelKey, parseCell } from './csv/cells';
import type { DatasetSchema } from './csv/schema';

export const MAX_PANELS = 3;
export const MAX_POINTS = 120;
/** classes drawn in one classification panel */
export const MAX_CLASSES = 6;
/** the most shots or queries per class drawn from a built-in family */
export const MAX_EPISODE = 20;

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

/** What was drawn, for the axes and the sentence under the picture. */
export type PreviewOrigin =
  | {
      from: 'builtin';
      family: BuiltinName;
      seed: number;
      /** the episode shape drawn (the configuration's, capped) */
      shots: number;
      ways: number;
      queries: number;
      inputDim: number;
    }
  | {
      from: 'csv';
      fileNames: string[];
      /** the plotted columns: x across, y up */
      xColumn: string;
      yColumn: string;
      /** classes of an episodic upload (no tasks: one panel of classes) */
      episodic: boolean;
      /** classification: the most classes in a panel; regression: 0 */
      classes: number;
      /** points drawn over all panels */
      rows: number;
    };

export interface Preview {
  kind: 'regression' | 'classification';
  panels: PreviewPanel[];
  origin: PreviewOrigin;
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
 * Null for a family that loads an asset first (Omniglot): it has no cheap
 * picture of two numbers per example.
 */
export function builtinPreview(
  family: BuiltinName,
  config: Pick<TrainConfig, 'seed' | 'shots' | 'ways' | 'queries'>,
): Preview | null {
  if (family === 'omniglot') return null;
  const source = builtinSource(family);
  const classification = source.kind === 'classification';
  const shape = {
    shots: Math.min(config.shots, MAX_EPISODE),
    ways: classification ? Math.min(config.ways, MAX_CLASSES) : 1,
    queries: Math.min(config.queries, MAX_EPISODE),
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
  return {
    kind: classification ? 'classification' : 'regression',
    panels,
    origin: { from: 'builtin', family, seed: config.seed, ...shape, inputDim: d },
  };
}

/** One parsed file: its header and its data rows (cells in header order). */
export interface PreviewTable {
  fileName: string;
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** ',' when numbers are written with a decimal comma (see csv/cells.ts) */
  decimalMark?: '.' | ',';
}

export type PreviewSchema = Pick<
  DatasetSchema,
  'taskColumn' | 'taskPerFile' | 'target' | 'features' | 'featureTypes' | 'kind' | 'mode'
>;

function numberOf(cell: string | undefined, decimalComma: boolean): number {
  if (cell === undefined) return NaN;
  const v = parseCell(cell, decimalComma);
  return v.kind === 'number' ? v.value : NaN;
}

/**
 * A few tasks (regression, per-task classification) or classes (episodic)
 * of parsed CSV rows, in file order: the first two numeric features
 * (regression: the first numeric feature against the target). Tasks are
 * named by the task column, or by the file when each file is a task. Null
 * when there is nothing to plot (no numeric feature, no finite pair).
 */
export function csvPreview(tables: readonly PreviewTable[], schema: PreviewSchema): Preview | null {
  const numeric = schema.features.filter((f) => schema.featureTypes[f] !== 'categorical');
  const classification = schema.kind === 'classification';
  const [fx, fy] = classification ? numeric : [numeric[0], schema.target];
  if (fx === undefined || fy === undefined) return null;
  const episodic = classification && schema.mode === 'episodic';
  const panels = new Map<string, PreviewPanel>();
  const classes = new Map<string, Map<string, number>>();
  const full = () =>
    panels.size >= MAX_PANELS && [...panels.values()].every((p) => p.points.length >= MAX_POINTS);
  for (const table of tables) {
    const col = (name: string | null) => (name === null ? -1 : table.header.indexOf(name));
    const ix = col(fx);
    const iy = col(fy);
    const target = col(schema.target);
    const task = col(schema.taskColumn);
    if (ix < 0 || iy < 0 || target < 0) continue;
    const comma = table.decimalMark === ',';
    const groupOf = (r: readonly string[]): string =>
      episodic ? 'all' : task >= 0 ? (r[task] ?? '') : schema.taskPerFile ? table.fileName : 'all';
    for (const r of table.rows) {
      if (full()) break;
      const g = groupOf(r);
      let p = panels.get(g);
      if (!p) {
        if (panels.size >= MAX_PANELS) continue;
        p = { title: g === 'all' ? (episodic ? 'Classes' : 'All rows') : g, points: [] };
        panels.set(g, p);
        classes.set(g, new Map());
      }
      if (p.points.length >= MAX_POINTS) continue;
      const x = numberOf(r[ix], comma);
      const y = numberOf(r[iy], comma);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      let c = 0;
      if (classification) {
        const names = classes.get(g) as Map<string, number>;
        const name = labelKey(r[target] ?? '', comma);
        if (!names.has(name)) {
          if (names.size >= MAX_CLASSES) continue;
          names.set(name, names.size);
        }
        c = names.get(name) as number;
      }
      p.points.push({ x, y, c, support: true });
    }
  }
  const list = [...panels.values()].filter((p) => p.points.length > 0);
  if (list.length === 0) return null;
  return {
    kind: classification ? 'classification' : 'regression',
    panels: list,
    origin: {
      from: 'csv',
      fileNames: tables.map((t) => t.fileName),
      xColumn: fx,
      yColumn: fy,
      episodic,
      classes: classification ? Math.max(...[...classes.values()].map((m) => m.size)) : 0,
      rows: list.reduce((n, p) => n + p.points.length, 0),
    },
  };
}
