/**
 * CSV uploads inside the training worker: read the files with Papa Parse
 * (streaming, slice by slice from the Blob), guess the roles, build the task
 * source and its report, and keep the result "staged" until the person uses
 * it. Why the training worker and not a parse worker of its own: the parsed
 * tables are needed where the source is built and trained on, and rebuilding
 * with other column roles reuses them. A second worker would have to send
 * hundreds of MB of cells across (a structured clone of millions of strings,
 * on the main thread's heap too); here the File goes in by reference and only
 * the small report comes out. Parsing is chunked and async, so Pause / Stop
 * of a run still get through between chunks.
 *
 * Invariants: a refused upload or role change leaves `staged` (and the
 * worker's current source) exactly as they were; nothing here throws past
 * `parse` / `rebuild` — every refusal becomes a `csv-refused` event. Progress
 * is throttled to about ten messages a second.
 */
import {
  buildCsvSource,
  inferSchema,
  parseCsvStream,
  type BuiltCsvSource,
  type ParsedTable,
  type SchemaOverrides,
} from '../core/data/index';
import type { Split, TaskSource } from '../core/data/types';
import type { CsvStaged, DataLimits, WorkerEvent, WorkerMemory } from './protocol';

const PROGRESS_EVERY_MS = 100;
const SPLITS: readonly Split[] = ['train', 'val', 'test'];

export interface Staged {
  /** the uploaded files, kept by reference: a session records their SHA-256 */
  files: readonly File[];
  tables: ParsedTable[];
  built: BuiltCsvSource;
  event: CsvStaged;
}

/** The episode every non-empty split can serve (the trainer samples all three). */
export function dataLimits(source: TaskSource): DataLimits {
  const sizes = source.splitSizes();
  const used = SPLITS.filter((s) => sizes[s] > 0);
  const min = (f: (s: Split) => number) => {
    const v = Math.min(...used.map(f));
    return Number.isFinite(v) ? v : null;
  };
  return {
    shots: min((s) => source.limits(s).maxShots),
    ways: source.kind === 'classification' ? min((s) => source.limits(s).maxWays) : null,
    // With K = 1 the query can take every row (or example of a class) but one.
    queries: min((s) => source.limits(s).maxShots),
  };
}

interface ChromeMemory {
  memory?: { usedJSHeapSize: number };
  measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
}

/** Tracks the worker's peak JS heap with the cheapest measure the browser offers. */
class HeapWatch {
  private peak = 0;
  private readonly perf = (globalThis as { performance?: ChromeMemory }).performance;
  sample(): void {
    const used = this.perf?.memory?.usedJSHeapSize;
    if (used !== undefined) this.peak = Math.max(this.peak, used);
  }
  /**
   * performance.memory (Chrome) sampled after each chunk gives a peak; the
   * standard measureUserAgentSpecificMemory (cross-origin isolated pages)
   * gives one precise figure after the fact, used when the former is absent.
   */
  async result(): Promise<WorkerMemory | null> {
    if (this.peak > 0) return { peakBytes: this.peak, method: 'performance.memory' };
    const measure = this.perf?.measureUserAgentSpecificMemory;
    if (!measure) return null;
    try {
      const timeout = new Promise<null>((r) => setTimeout(() => r(null), 3000));
      const m = await Promise.race([measure.call(this.perf), timeout]);
      return m ? { peakBytes: m.bytes, method: 'measureUserAgentSpecificMemory' } : null;
    } catch {
      return null;
    }
  }
}

function whereOf(e: unknown): { file?: string; row?: number; column?: string } {
  const w = (e as { where?: unknown }).where;
  return typeof w === 'object' && w !== null ? (w as { file?: string }) : {};
}

function messageOf(e: unknown): string {
  if (e instanceof Error && e.name === 'DataError') return e.message;
  const text = e instanceof Error ? e.message : String(e);
  return `The file could not be read: ${text}`;
}

export class CsvStage {
  staged: Staged | null = null;

  constructor(private readonly post: (e: WorkerEvent) => void) {}

  /** Reads and builds an upload; the new stage on success, null when refused (and reported). */
  async parse(
    uploadId: number,
    files: readonly File[],
    seed: number,
    ways?: number,
  ): Promise<Staged | null> {
    const heap = new HeapWatch();
    const t0 = performance.now();
    const total = Math.max(
      1,
      files.reduce((n, f) => n + f.size, 0),
    );
    let before = 0;
    let lastPost = 0;
    try {
      if (files.length === 0) throw new Error('no file was given');
      const tables: ParsedTable[] = [];
      for (const file of files) {
        const table = await parseCsvStream(file, file.name, (p) => {
          heap.sample();
          const now = performance.now();
          if (now - lastPost < PROGRESS_EVERY_MS && p.fraction < 1) return;
          lastPost = now;
          this.post({
            type: 'csv-progress',
            uploadId,
            fraction: Math.min(1, (before + p.fraction * file.size) / total),
            rows: p.rows,
            fileName: file.name,
          });
        });
        tables.push(table);
        before += file.size;
      }
      const parseMs = performance.now() - t0;
      return await this.build(uploadId, files, tables, {}, seed, { parseMs, heap }, ways);
    } catch (e) {
      this.refuse(uploadId, 'parse', e);
      return null;
    }
  }

  /** Rebuilds the staged upload with other roles; null when refused (the stage is kept). */
  async rebuild(
    uploadId: number,
    overrides: SchemaOverrides,
    seed: number,
    ways?: number,
  ): Promise<Staged | null> {
    const staged = this.staged;
    if (!staged) {
      this.refuse(uploadId, 'roles', new Error('there is no uploaded CSV to change'));
      return null;
    }
    try {
      return await this.build(
        uploadId,
        staged.files,
        staged.tables,
        overrides,
        seed,
        {
          parseMs: staged.event.parseMs,
          heap: new HeapWatch(),
        },
        ways,
      );
    } catch (e) {
      this.refuse(uploadId, 'roles', e);
      return null;
    }
  }

  private async build(
    uploadId: number,
    files: readonly File[],
    tables: ParsedTable[],
    overrides: SchemaOverrides,
    seed: number,
    m: { parseMs: number; heap: HeapWatch },
    /** N of N-way, for the default episodic split (see BuildOptions.minEach) */
    ways?: number,
  ): Promise<Staged> {
    const t1 = performance.now();
    const schema = inferSchema(tables, overrides);
    m.heap.sample();
    const name = tables.length === 1 ? tables[0]?.fileName : `${tables.length} files`;
    const built = buildCsvSource(tables, schema, {
      seed,
      name,
      ...(ways !== undefined ? { minEach: ways } : {}),
    });
    m.heap.sample();
    const buildMs = performance.now() - t1;
    const event: CsvStaged = {
      uploadId,
      fileNames: tables.map((t) => t.fileName),
      overrides,
      report: built.report,
      limits: dataLimits(built.source),
      parseMs: m.parseMs,
      buildMs,
      memory: await m.heap.result(),
      inUse: false,
    };
    const staged = { files, tables, built, event };
    this.staged = staged;
    return staged;
  }

  private refuse(uploadId: number, stage: 'parse' | 'roles', e: unknown): void {
    this.post({ type: 'csv-refused', uploadId, stage, message: messageOf(e), where: whereOf(e) });
  }
}
