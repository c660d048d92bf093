/**
 * The data-side bodies of the worker protocol (protocol.ts re-exports them,
 * and the unions there are the only message types): what data to train on,
 * what a staged CSV upload looks like to the page, the summary of the data
 * trained on, and the request for the data picture. Types only: the page
 * imports them without pulling in tfjs.
 */
import type { BuiltinName } from '../core/spec/builtin';
import type { TrainConfig } from '../core/spec/config';
import type { ProblemKind } from '../core/data/types';
import type { DataReport } from '../core/data/csv/report';
import type { SchemaOverrides } from '../core/data/csv/schema';
import type { Preview } from '../core/data/preview';
import type { ImageShape } from '../core/spec/model';

export type { Preview };

/** 'csv': make the staged CSV upload (see csv-parse) the data trained on. */
export type DataRequest = { kind: 'builtin'; name: BuiltinName } | { kind: 'csv' };

/** The largest episode the data allows over all its splits; null = unlimited. */
export interface DataLimits {
  shots: number | null;
  ways: number | null;
  /** with K = 1; with K shots it is (queries + 1 − K) */
  queries: number | null;
}

/** The worker's JS heap, and how it was measured (what the browser offers). */
export interface WorkerMemory {
  peakBytes: number;
  method: 'measureUserAgentSpecificMemory' | 'performance.memory';
}

/** A CSV upload read and built in the worker, not (yet) necessarily trained on. */
export interface CsvStaged {
  uploadId: number;
  fileNames: string[];
  /** the roles the person chose so far (guesses fill in the rest) */
  overrides: SchemaOverrides;
  report: DataReport;
  limits: DataLimits;
  parseMs: number;
  buildMs: number;
  memory: WorkerMemory | null;
  /** true when this upload became the data trained on */
  inUse: boolean;
}

export interface DataSummary {
  name: string;
  kind: ProblemKind;
  inputDim: number;
  description: string;
  /** tasks (or classes) per split; null = unlimited (a generated family) */
  splitSizes: { train: number | null; val: number | null; test: number | null };
  /** what K / N / queries the data allows (absent: unlimited) */
  limits?: DataLimits;
  /** image data: the size of each image (absent: feature rows) */
  imageShape?: ImageShape;
}

/**
 * The data picture to draw (src/worker/preview.ts): sample tasks of a
 * built-in family with the configuration's seed and episode shape, or the
 * first rows of the staged CSV upload `uploadId` (none when another upload
 * is staged by then).
 */
export type PreviewRequest =
  | ({ kind: 'builtin'; family: BuiltinName } & Pick<
      TrainConfig,
      'seed' | 'shots' | 'ways' | 'queries'
    >)
  | { kind: 'csv'; uploadId: number };
