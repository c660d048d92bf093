/**
 * The build check on what the page loads first: after `vite build`, the
 * entry chunk plus the chunks it imports statically (the initial JS) must
 * hold no tfjs — tensors live in the workers — and fit a gzip budget. Prints
 * raw and gzip sizes of the initial chunks and of every other chunk (lazy
 * chunks, workers).
 *
 * `npm run check:bundle [-- DIST]` checks dist/ (or DIST) of a finished
 * build; the browser tests (tests/e2e/bundle.e2e.ts) check the build they
 * make anyway, so `npm test` builds once. The entry is found through Vite's
 * manifest (build.manifest in vite.config.ts), not by file name.
 *
 * tfjs is recognised by code, never by prose: a kernel registration
 * (`{kernelName, backendName}` configs, ~600 of them in a tfjs build), a
 * registration of tfjs's environment flags, the WASM backend's binary names,
 * or an `@tensorflow/` package path.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Gzip budget of the initial JS, in bytes (kB = 1000 bytes, as Vite prints them). */
export const ENTRY_BUDGET_GZIP = 130_000;

const TFJS_MARKERS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'kernel registration', pattern: /kernelName:[^,}]{1,60},backendName:/g },
  {
    name: 'tfjs environment flag',
    pattern: /registerFlag\(\s*["'`](?:IS_BROWSER|IS_NODE|WEBGL_VERSION|WEBGPU_\w+|WASM_\w+)/g,
  },
  { name: 'tfjs WASM binary', pattern: /tfjs-backend-wasm[\w-]*\.wasm/g },
  { name: '@tensorflow package path', pattern: /@tensorflow\//g },
];

export interface ChunkSize {
  file: string;
  raw: number;
  gzip: number;
}

export interface BundleReport {
  /** the entry chunk first, then the chunks it imports statically */
  initial: ChunkSize[];
  initialGzip: number;
  /** every other .js file under assets/: lazy chunks and workers */
  others: ChunkSize[];
  budgetGzip: number;
  /** empty when the check passes */
  problems: string[];
}

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

async function readManifest(distDir: string): Promise<Record<string, ManifestChunk>> {
  const file = path.join(distDir, '.vite', 'manifest.json');
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: build with build.manifest (vite.config.ts sets it) before checking.`,
    );
  }
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, ManifestChunk>;
}

/** The entry chunk's manifest key, then those of the chunks it imports statically, depth first. */
function initialKeys(manifest: Record<string, ManifestChunk>): string[] {
  const entries = Object.keys(manifest).filter((k) => manifest[k]?.isEntry);
  if (entries.length !== 1) {
    throw new Error(`expected one entry chunk in the manifest, found ${entries.length}`);
  }
  const seen: string[] = [];
  const visit = (key: string) => {
    if (seen.includes(key)) return;
    seen.push(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  visit(entries[0]!);
  return seen;
}

async function sizeOf(distDir: string, file: string): Promise<ChunkSize & { code: string }> {
  const bytes = await readFile(path.join(distDir, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes).length, code: bytes.toString('utf8') };
}

/** What tfjs markers a chunk holds, as "name ×count" strings. */
export function tfjsMarkers(code: string): string[] {
  const found: string[] = [];
  for (const m of TFJS_MARKERS) {
    const n = code.match(m.pattern)?.length ?? 0;
    if (n > 0) found.push(`${m.name} ×${n}`);
  }
  return found;
}

export async function checkBundle(
  distDir: string,
  budgetGzip: number = ENTRY_BUDGET_GZIP,
): Promise<BundleReport> {
  const manifest = await readManifest(distDir);
  const initialFiles = initialKeys(manifest).map((k) => manifest[k]!.file);
  const problems: string[] = [];
  const initial: ChunkSize[] = [];
  for (const file of initialFiles) {
    const { code, ...size } = await sizeOf(distDir, file);
    initial.push(size);
    const markers = tfjsMarkers(code);
    if (markers.length > 0) {
      problems.push(
        `${file} (loaded with the page) contains tfjs: ${markers.join(', ')}. Find the value import that reaches it (src/ui, src/store and src/sessions import values from src/core only via core/spec).`,
      );
    }
  }
  const initialGzip = initial.reduce((n, c) => n + c.gzip, 0);
  if (initialGzip > budgetGzip) {
    problems.push(
      `the page's initial JS is ${kB(initialGzip)} gzip, over its budget of ${kB(budgetGzip)}: load rarely used parts with import().`,
    );
  }
  const assets = (await readdir(path.join(distDir, 'assets'))).filter((f) => f.endsWith('.js'));
  const others: ChunkSize[] = [];
  for (const f of assets.sort()) {
    const file = `assets/${f}`;
    if (initialFiles.includes(file)) continue;
    const { code: _code, ...size } = await sizeOf(distDir, file);
    others.push(size);
  }
  return { initial, initialGzip, others, budgetGzip, problems };
}

function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(2)} kB`;
}

export function formatReport(r: BundleReport): string[] {
  const row = (c: ChunkSize) =>
    `  ${c.file.padEnd(48)} ${kB(c.raw).padStart(12)} raw ${kB(c.gzip).padStart(11)} gzip`;
  return [
    'Loaded with the page (entry chunk first):',
    ...r.initial.map(row),
    `  initial JS: ${kB(r.initialGzip)} gzip of ${kB(r.budgetGzip)} allowed`,
    'Loaded later (lazy chunks, workers):',
    ...r.others.map(row),
    ...(r.problems.length ? r.problems.map((p) => `FAIL ${p}`) : ['ok: no tfjs, within budget']),
  ];
}

async function main(): Promise<number> {
  const dist = path.resolve(process.argv[2] ?? 'dist');
  const report = await checkBundle(dist);
  for (const line of formatReport(report)) console.log(line);
  return report.problems.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
