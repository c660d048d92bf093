/**
 * One small drawing of each kind: the chart worker draws them once while the
 * page is idle (so a run's first chart is not also recharts' first, slowest,
 * render), and the unit tests draw them to check what recharts makes of them.
 */
import { axisSpec } from './axis';
import type {
  AdaptationDrawing,
  BarsDrawing,
  CurveDrawing,
  Drawing,
  LineDrawing,
  ParallelDrawing,
  ScatterDrawing,
} from './protocol';

const LINE_MARGINS = { top: 8, right: 16, bottom: 34, left: 62 };

export const SAMPLE_LINE: LineDrawing = {
  kind: 'line',
  width: 500,
  height: 190,
  margins: LINE_MARGINS,
  x: axisSpec(0, 10, String, 'meta-step', [0, 5, 10]),
  y: axisSpec(0, 4, (v) => `${v} u`, 'MSE', [0, 2, 4]),
  rows: Array.from({ length: 11 }, (_, i) => ({ step: i, a: i % 4, b: i === 5 ? null : 1 })),
  xKey: 'step',
  series: [
    { key: 'a', color: '#123456', width: 1.5, dots: false, attrs: { 'data-series': 'a' } },
    { key: 'b', color: '#654321', width: 2, dots: false, attrs: { 'data-series': 'b' } },
  ],
};

export const SAMPLE_ADAPTATION: AdaptationDrawing = {
  kind: 'adaptation',
  width: 400,
  height: 300,
  margins: { top: 10, right: 14, bottom: 26, left: 44 },
  x: axisSpec(-5, 5, String, '', [-5, 0, 5]),
  y: axisSpec(-2, 2, String, '', [-2, 0, 2]),
  rows: [-5, 0, 5].map((x) => ({ x, truth: x / 5 })),
  xKey: 'x',
  series: [
    {
      key: 'truth',
      color: '#000',
      width: 2,
      dots: false,
      attrs: { 'data-testid': 'adapt-line', 'data-model': 'truth' },
    },
  ],
  markers: [
    {
      shape: 'triangle',
      color: '#f00',
      points: [{ x: 2.5, y: 1 }],
      attrs: { 'data-testid': 'adapt-support' },
      pointAttrs: [{ 'data-x': '2.5', 'data-y': '1' }],
    },
  ],
};

export const SAMPLE_CURVE: CurveDrawing = {
  kind: 'curve',
  width: 400,
  height: 240,
  margins: { top: 10, right: 16, bottom: 26, left: 52 },
  x: axisSpec(0, 2, String, '', [0, 1, 2]),
  y: axisSpec(0, 1, (v) => `${100 * v}%`, '', [0, 0.5, 1]),
  rows: [0, 1, 2].map((step) => ({
    step,
    m0: 0.2 + 0.3 * step,
    m0_band: [0.15 + 0.3 * step, 0.25 + 0.3 * step] as [number, number],
    m1: step === 1 ? null : 0.2,
    m1_band: step === 1 ? null : ([0.1, 0.3] as [number, number]),
    o0: 0.5,
  })),
  series: [
    { key: 'm0', color: '#00f', model: 'maml', diverged: [] },
    { key: 'm1', color: '#0a0', model: 'scratch', diverged: [1] },
  ],
  overlays: [{ key: 'o0', color: '#999', run: '7' }],
};

export const SAMPLE_BARS: BarsDrawing = {
  kind: 'bars',
  width: 470,
  height: 3 * 24 + 6,
  labelWidth: 190,
  max: 200,
  color: '#1d4ed8',
  bars: [
    { label: 'MAML', value: 200, text: '200 steps/s' },
    { label: 'Reptile', value: 50, text: '50 steps/s' },
    { label: 'ProtoNet', value: 0, text: 'over budget' },
  ],
};

export const SAMPLE_SCATTER: ScatterDrawing = {
  kind: 'scatter',
  width: 150,
  height: 84,
  margins: { top: 6, right: 6, bottom: 6, left: 6 },
  x: [-5, 5],
  y: [-1, 1],
  sets: [
    {
      points: [-4, -2, 0, 2, 4].map((x) => ({ x, y: x / 5 })),
      fill: '#0072B2',
      stroke: '#0072B2',
      radius: 2.2,
      attrs: { 'data-support': 'true', 'data-class': '0' },
    },
    {
      points: [{ x: 5, y: -1 }],
      fill: 'none',
      stroke: '#D55E00',
      radius: 2.2,
      attrs: { 'data-support': 'false', 'data-class': '1' },
    },
  ],
};

export const SAMPLE_PARALLEL: ParallelDrawing = {
  kind: 'parallel',
  width: 400,
  height: 200,
  margins: { top: 18, right: 48, bottom: 22, left: 48 },
  x: { domain: [0, 2], ticks: [0, 1, 2], labels: ['lr', 'steps', 'MSE'], name: '' },
  y: { domain: [0, 1], ticks: [0, 1], labels: ['0.01', '0.5'], name: '' },
  rows: [
    { i: 0, t1: 0, t2: 1 },
    { i: 1, t1: 0.5, t2: null },
    { i: 2, t1: 1, t2: 0 },
  ],
  series: [
    {
      key: 't1',
      color: 'hsl(220, 80%, 80%)',
      width: 1.2,
      dots: false,
      attrs: { 'data-trial': '1' },
    },
    {
      key: 't2',
      color: 'hsl(220, 80%, 30%)',
      width: 2.5,
      dots: false,
      attrs: { 'data-trial': '2', 'data-best': 'true' },
    },
  ],
};

export const SAMPLES: readonly Drawing[] = [
  SAMPLE_LINE,
  SAMPLE_ADAPTATION,
  SAMPLE_CURVE,
  SAMPLE_BARS,
  SAMPLE_SCATTER,
  SAMPLE_PARALLEL,
];
