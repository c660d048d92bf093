/**
 * The data part of the message union (protocol.ts): loading a built-in
 * family, staging CSV and image uploads, and the data picture.
 */
import type { SchemaOverrides } from '../core/data/csv/schema';
import type { BuiltinName } from '../core/spec/builtin';
import type {
  CsvStaged,
  DataRequest,
  DataSummary,
  ImageStageSettings,
  ImageUpload,
  ImagesStaged,
  Preview,
  PreviewRequest,
} from './data-types';

export interface DataCommandBodies {
  'load-data': { data: DataRequest };
  /**
   * Read CSV files (streaming) and build a task source from the guessed roles;
   * a refusal leaves everything as it was. use: also make it the data trained on;
   * splitSeed: the seed of the meta-split of tasks (or classes); ways: N of
   * N-way, so the default episodic split keeps N classes in meta-val / meta-test.
   */
  'csv-parse': { uploadId: number; files: File[]; use: boolean; splitSeed: number; ways?: number };
  /** rebuild the staged CSV with other column roles (same rules as csv-parse) */
  'csv-roles': {
    uploadId: number;
    overrides: SchemaOverrides;
    use: boolean;
    splitSeed: number;
    ways?: number;
  };
  /**
   * Read an upload of image classes (a zip or a folder), decode and resize
   * every image and stage it with its summary; a refusal leaves everything as
   * it was. use: also make it the data trained on.
   */
  'images-stage': {
    uploadId: number;
    upload: ImageUpload;
    settings: ImageStageSettings;
    use: boolean;
  };
  /** the data picture (answered at once with a `preview` event of the same id) */
  preview: { id: number; request: PreviewRequest };
}

export interface DataEventBodies {
  'data-loaded': { summary: DataSummary };
  /** an image upload is being decoded: files done of all */
  'images-progress': { uploadId: number; done: number; total: number };
  'images-staged': ImagesStaged;
  /** the image upload was refused as a whole; the data in use and the staged upload stay */
  'images-refused': { uploadId: number; name: string; message: string };
  /** a built-in family's asset is downloading (Omniglot): bytes so far, total when known */
  'data-progress': { name: BuiltinName; loaded: number; total: number | null };
  /** a built-in family could not be loaded; the data in use stays as it was */
  'data-failed': { name: BuiltinName; message: string };
  /** a CSV upload is being read: share of the bytes of all files, rows so far */
  'csv-progress': { uploadId: number; fraction: number; rows: number; fileName: string };
  'csv-staged': CsvStaged;
  /** the upload or role change was refused; the previous data stays */
  'csv-refused': {
    uploadId: number;
    stage: 'parse' | 'roles';
    message: string;
    where: { file?: string; row?: number; column?: string };
  };
  /** answers `preview` with the same id; null: this data has no picture */
  preview: { id: number; preview: Preview | null };
}
