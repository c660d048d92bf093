/**
 * The shape of a line chart's series and axis bounds, shared by the chart's
 * frame (LineFigure) and its lazily loaded drawing (LinePlot) without an
 * import cycle between them.
 */
export interface Series {
  key: string;
  name: string;
  color: string;
  width?: number;
  /** a dot per point: for short, finished series only (live series have none) */
  dots?: boolean;
}

export type Bound = number | 'auto';
