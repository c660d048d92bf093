/**
 * The one message union between the page and the chart worker, which draws
 * every chart with recharts off the main thread (see chart.worker.ts for
 * why) and sends back the SVG markup. A drawing is plain data: the page
 * computes domains, ticks and their labels (functions cannot cross to a
 * worker, and our own ticks spare recharts its tick search), the worker
 * turns that into recharts elements.
 */

/** Attributes a drawing may put on its marks: data-* only (tests and exports find marks by them). */
export type DataAttrs = Record<`data-${string}`, string>;

/** A numeric axis: its domain, tick values and their labels, and its name. */
export interface AxisSpec {
  domain: [number, number];
  ticks: number[];
  /** one label per tick, same order */
  labels: string[];
  /** the axis's name, written along it ('' for none) */
  name: string;
}

/** The plot area inside the drawing, so the page can map pointer positions to data. */
export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface LineSeriesSpec {
  key: string;
  color: string;
  width: number;
  dots: boolean;
  dash?: string;
  /** data-* attributes for the series' path (tests and exports find series by them) */
  attrs?: DataAttrs;
}

/** What every chart with two numeric axes has: its size, plot margins and axes. */
export interface PlotFrame {
  width: number;
  height: number;
  margins: Margins;
  x: AxisSpec;
  y: AxisSpec;
}

/** Line charts: the live training curves, sweep histories. */
export interface LineDrawing extends PlotFrame {
  kind: 'line';
  /** rows sorted by x; a missing or null value breaks the line */
  rows: Record<string, number | null>[];
  xKey: string;
  series: LineSeriesSpec[];
}

/** Points drawn as markers (support points, query points) over a line chart. */
export interface MarkerSpec {
  shape: 'triangle' | 'circle';
  color: string;
  points: { x: number; y: number }[];
  attrs?: DataAttrs;
  /** per-point data-* attributes, same order as points */
  pointAttrs?: DataAttrs[];
}

/** The adaptation plot: curves over a shared x grid plus support and query markers. */
export interface AdaptationDrawing extends Omit<LineDrawing, 'kind'> {
  kind: 'adaptation';
  markers: MarkerSpec[];
}

export interface BandSeriesSpec {
  key: string;
  color: string;
  /** data-model of the band and the mean line */
  model: string;
  /** steps where some task diverged (⚠ marks) */
  diverged: number[];
}

/** The adaptation curve: per model a mean line with dots over a 95% band. */
export interface CurveDrawing extends PlotFrame {
  kind: 'curve';
  /** rows by step: `${key}` mean, `${key}_band` [lower, upper] (null where unknown) */
  rows: Record<string, number | [number, number] | null>[];
  series: BandSeriesSpec[];
  /** earlier runs' mean curves, dashed */
  overlays: { key: string; color: string; run: string }[];
}

export interface BarSpec {
  label: string;
  value: number;
  /** the text after the bar ("1.2k steps/s", "over budget") */
  text: string;
}

/** The Benchmark page's bars, one chart per backend. */
export interface BarsDrawing {
  kind: 'bars';
  width: number;
  height: number;
  labelWidth: number;
  max: number;
  bars: BarSpec[];
  color: string;
}

/** A set of points drawn alike (one class's support points, say). */
export interface PointSetSpec {
  points: { x: number; y: number }[];
  /** 'none' for open circles */
  fill: string;
  stroke: string;
  radius: number;
  /** data-* attributes for each of its circles */
  attrs?: DataAttrs;
}

/** One panel of the data picture: points only, no axes drawn (panels share the page's extent). */
export interface ScatterDrawing {
  kind: 'scatter';
  width: number;
  height: number;
  margins: Margins;
  /** domains only: the panel shows no ticks */
  x: [number, number];
  y: [number, number];
  sets: PointSetSpec[];
}

/**
 * Parallel coordinates: one x position per axis (0, 1, …; the ticks name
 * them), values already placed 0…1 on each by the page, one line per row
 * key in `series`. The y ticks (at 0 and 1) are the score axis's ends,
 * written right of the last axis.
 */
export interface ParallelDrawing extends PlotFrame {
  kind: 'parallel';
  /** one row per axis, `i` its position; a null value has no place on that axis */
  rows: Record<string, number | null>[];
  series: LineSeriesSpec[];
}

export type Drawing =
  LineDrawing | AdaptationDrawing | CurveDrawing | BarsDrawing | ScatterDrawing | ParallelDrawing;

export type ToChartWorker =
  | { type: 'warm' }
  | { type: 'draw'; id: number; seq: number; drawing: Drawing }
  | { type: 'drop'; id: number };

export type FromChartWorker =
  | { type: 'drawn'; id: number; seq: number; svg: string }
  | { type: 'failed'; id: number; seq: number; message: string };
