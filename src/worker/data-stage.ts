/**
 * The data this worker trains on: the task source, the session dataset
 * record that names it (autosave and share links only run on data they can
 * name), and the CSV and image uploads staged beside it (csv-stage.ts,
 * image-stage.ts). It owns that
 * state; every change of the data trained on goes through `use()`, which
 * posts `data-loaded` and tells the owner (through `onReplaced`) that the
 * kept model no longer belongs to the data.
 */
import { loadBuiltinSource, type AssetLoader } from '../core/data/builtin';
import { BUILTIN_DESCRIPTIONS, type BuiltinName } from '../core/spec/builtin';
import type { TaskSource } from '../core/data/types';
import type { SchemaOverrides } from '../core/data/index';
import { csvDatasetRecord } from '../sessions/csv-dataset';
import type { SessionDataset, SessionDoc } from '../sessions/schema';
import { CsvStage, type Staged } from './csv-stage';
import { ImageStage, imageSettingsOf, sessionImageFiles } from './image-stage';
import { stageImageClasses } from '../core/data/images/stage';
import { DataError } from '../core/data/types';
import { dataLimits } from './csv-stage';
import type { ImageDecoder } from '../core/data/images/formats';
import type { Post } from './outbox';
import type { DataSummary, ImageStageSettings, ImageUpload } from './protocol';
import { builtinDataset, sourceFromDataset, type CsvFile } from './session-io';

/** Progress events of an asset download: about ten a second, like the trainer's. */
const PROGRESS_MS = 100;

export function summarize(source: TaskSource, description: string): DataSummary {
  const sizes = source.splitSizes();
  const finite = (n: number) => (Number.isFinite(n) ? n : null);
  return {
    name: source.name,
    kind: source.kind,
    inputDim: source.inputDim,
    description,
    splitSizes: { train: finite(sizes.train), val: finite(sizes.val), test: finite(sizes.test) },
    ...(source.imageShape ? { imageShape: source.imageShape } : {}),
  };
}

export class DataStage {
  private current: { source: TaskSource; dataset: SessionDataset } | null = null;
  /** the last CSV upload that was read and built (trained on only after `useCsv`) */
  private readonly csv: CsvStage;
  /** the last image upload that was staged (trained on only after `useImages`) */
  private readonly images: ImageStage;

  constructor(
    private readonly post: Post,
    /** the data trained on changed: a model kept for the old data is no longer valid */
    private readonly onReplaced: () => void = () => {},
    /** reads the app's committed assets (Omniglot); none: families that need one are refused */
    private readonly assets: AssetLoader | null = null,
    /** decodes uploaded images (default: createImageBitmap; Node tests pass a JS decoder) */
    imageDecoder?: ImageDecoder,
  ) {
    this.csv = new CsvStage(post);
    this.images = new ImageStage(post, imageDecoder);
  }

  get source(): TaskSource | null {
    return this.current?.source ?? null;
  }

  /** the CSV upload read and built last, trained on or not (the data picture reads it) */
  get staged(): Staged | null {
    return this.csv.staged;
  }

  /** the session dataset record of `source`, when it is the source trained on now */
  datasetOf(source: TaskSource): SessionDataset | null {
    return this.current?.source === source ? this.current.dataset : null;
  }

  private use(source: TaskSource, dataset: SessionDataset, summary: DataSummary): void {
    this.current = { source, dataset };
    this.onReplaced();
    this.post({ type: 'data-loaded', summary });
  }

  private assetLoader(): AssetLoader {
    return (
      this.assets ??
      (async (path) => {
        throw new Error(`This worker cannot load ${path}: no asset loader was given.`);
      })
    );
  }

  /**
   * Builds a built-in family, loading its asset with `data-progress` events
   * (at most one every PROGRESS_MS, and the last); a failure posts
   * `data-failed` and leaves the data in use as it was.
   */
  async loadBuiltin(name: BuiltinName): Promise<void> {
    let source: TaskSource;
    const load = this.assetLoader();
    let last = -Infinity;
    const progress = (loaded: number, total: number | null) => {
      const now = performance.now();
      if (now - last < PROGRESS_MS && loaded !== total) return;
      last = now;
      this.post({ type: 'data-progress', name, loaded, total });
    };
    try {
      source = await loadBuiltinSource(name, (path) => load(path, progress));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.post({ type: 'data-failed', name, message });
      return;
    }
    const dataset = await builtinDataset(name);
    this.use(source, dataset, summarize(source, BUILTIN_DESCRIPTIONS[name]));
  }

  /** Reads an upload (csv-parse); `use` makes it the data trained on when it is accepted. */
  async parseCsv(
    uploadId: number,
    files: File[],
    use: boolean,
    splitSeed: number,
    ways?: number,
  ): Promise<void> {
    if (await this.csv.parse(uploadId, files, splitSeed, ways)) await this.announceCsv(use);
  }

  /** Rebuilds the staged upload with other column roles (csv-roles). */
  async rebuildCsv(
    uploadId: number,
    overrides: SchemaOverrides,
    use: boolean,
    splitSeed: number,
    ways?: number,
  ): Promise<void> {
    if (await this.csv.rebuild(uploadId, overrides, splitSeed, ways)) await this.announceCsv(use);
  }

  private async announceCsv(use: boolean): Promise<void> {
    const staged = this.csv.staged;
    if (!staged) return;
    this.post({ type: 'csv-staged', ...staged.event, inUse: use });
    if (use) await this.useCsv();
  }

  /** Makes the staged upload the data trained on (load-data csv). */
  async useCsv(): Promise<void> {
    const staged = this.csv.staged;
    if (!staged) {
      this.post({ type: 'error', code: 'no-data', message: 'Upload a CSV file first.' });
      return;
    }
    const source = staged.built.source;
    // The session's dataset record (hash, roles, normalization, small rows), so runs on an
    // upload are autosaved and shared like runs on a built-in family.
    const bytes = await Promise.all(
      staged.files.map(async (f) => new Uint8Array(await f.arrayBuffer())),
    );
    const names = staged.event.fileNames;
    const dataset = await csvDatasetRecord({
      name: names.join(','),
      bytes,
      tables: staged.tables,
      report: staged.built.report,
    });
    const r = staged.built.report;
    const what =
      r.schema.kind === 'regression' ? `${r.tasks} tasks` : `${r.classes.length} classes`;
    this.use(source, dataset, {
      ...summarize(source, `${names.join(', ')}: ${r.rows.used} rows, ${what}.`),
      limits: staged.event.limits,
    });
  }

  /** Stages an image upload (images-stage); `use` makes it the data trained on when accepted. */
  async stageImages(
    uploadId: number,
    upload: ImageUpload,
    settings: ImageStageSettings,
    use: boolean,
  ): Promise<void> {
    const staged = await this.images.stage(uploadId, upload, settings);
    if (!staged) return;
    this.post({ type: 'images-staged', ...staged.event, inUse: use });
    if (use) this.useImages();
  }

  /** Makes the staged image upload the data trained on (load-data images). */
  useImages(): void {
    const staged = this.images.staged;
    if (!staged) {
      this.post({ type: 'error', code: 'no-data', message: 'Upload images first.' });
      return;
    }
    const { summary, settings, sha256, limits } = staged.event;
    const source = staged.set.source;
    const dataset: SessionDataset = {
      source: 'images',
      name: staged.name,
      sha256,
      contents: staged.contents,
      schema: { kind: 'classification', mode: 'episodic' },
      normalization: null,
      options: {
        imageSize: settings.size,
        channels: settings.channels,
        minPerClass: settings.minPerClass,
        splitSeed: settings.splitSeed,
      },
    };
    const { width, height, channels } = summary.imageShape;
    const description =
      `${staged.name}: ${summary.images} images in ${summary.classes.length} classes, ` +
      `resized to ${width}×${height} ${channels === 1 ? 'grayscale' : 'colour'}.`;
    this.use(source, dataset, { ...summarize(source, description), limits, upload: 'images' });
  }

  /**
   * The uploaded image set of a saved session: the zip or folder the person
   * chose again (the same set: image-stage's sessionImageFiles, else refused
   * naming what differs, before anything changes), staged with the
   * session's options (size, channels, K + Q, split seed) so the classes and
   * their split are the ones trained on.
   */
  private async useSessionImages(doc: SessionDoc, upload: ImageUpload | null): Promise<TaskSource> {
    const d = doc.dataset;
    if (!upload)
      throw new DataError(
        `The session does not carry its images "${d.name}": choose the zip or the folder to evaluate or continue it.`,
      );
    const { files } = await sessionImageFiles(d, upload);
    const settings = imageSettingsOf(d, doc.config);
    const set = await stageImageClasses(files, d.name, {
      size: settings.size,
      channels: settings.channels,
      decoder: this.images.decoder,
      seed: settings.splitSeed,
      minPerClass: settings.minPerClass,
    });
    const source = set.source;
    const s = set.summary;
    this.use(source, d, {
      ...summarize(
        source,
        `${d.name} (from the session): ${s.images} images in ${s.classes.length} classes.`,
      ),
      limits: dataLimits(source),
      upload: 'images',
    });
    return source;
  }

  /** The data of a saved session (its rows, or the files the person chose for it). */
  async useSession(
    doc: SessionDoc,
    csvFiles: readonly CsvFile[] | null,
    images: ImageUpload | null = null,
  ): Promise<TaskSource> {
    const d = doc.dataset;
    if (d.source === 'images') return this.useSessionImages(doc, images);
    const source = await sourceFromDataset(d, doc.config.seed, csvFiles, this.assetLoader());
    const description =
      d.source === 'builtin' && d.name in BUILTIN_DESCRIPTIONS
        ? BUILTIN_DESCRIPTIONS[d.name as BuiltinName]
        : `${d.name} (from the session)`;
    this.use(source, d, summarize(source, description));
    return source;
  }
}
