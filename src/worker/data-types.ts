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
import type { ImageSetSummary } from '../core/data/images/summary';

export type { Preview };

/**
 * 'csv': make the staged CSV upload (see csv-parse) the data trained on;
 * 'images': the same for the staged image upload (see images-stage).
 */
export type DataRequest =
  { kind: 'builtin'; name: BuiltinName } | { kind: 'csv' } | { kind: 'images' };

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

/**
 * An upload of image classes as it reaches the worker: one .zip, or the
 * files of a picked or dropped folder with their paths inside it
 * ("letters/a/1.png"; a File's own relative path does not survive the
 * structured clone into the worker).
 */
export type ImageUpload =
  | { kind: 'zip'; file: File }
  | { kind: 'folder'; name: string; files: { path: string; file: File }[] };

/** How an image upload is staged: the backbone's input and the episode size it must serve. */
export interface ImageStageSettings {
  /** side of the square input, 28..84 */
  size: number;
  channels: 1 | 3;
  /** K + Q of the configuration: classes with fewer images are left out, named */
  minPerClass: number;
  /** seed of the split of the classes into meta-train / val / test */
  splitSeed: number;
}

/** An image upload staged in the worker (the summary to show), trained on or not yet. */
export interface ImagesStaged {
  uploadId: number;
  summary: ImageSetSummary;
  limits: DataLimits;
  settings: ImageStageSettings;
  /** SHA-256 of the zip's bytes, or of the folder's sorted paths and bytes (as the CLI hashes it) */
  sha256: string;
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
  /** 'images': an uploaded image set (absent: a built-in family, or a CSV upload when limits are set) */
  upload?: 'images';
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
