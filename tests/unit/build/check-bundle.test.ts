// The build check (scripts/check-bundle.ts) on small fake builds: it finds
// the entry chunk and its static imports through Vite's manifest, fails on
// tfjs code in them or on an initial size over budget, and measures sizes.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBundle, formatReport, tfjsMarkers } from '../../../scripts/check-bundle';

// What a minified tfjs build looks like where it registers a kernel and a flag.
const TFJS_SNIPPET =
  'const Kp={kernelName:Ao,backendName:"cpu",kernelFunc:Vp};M().registerFlag("IS_BROWSER",()=>!0);';
const PAGE_CODE =
  'import{r as a}from"./vendor-1.js";a("Training runs in TensorFlow.js, in a worker");';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

/** A dist/ folder: files under assets/ and a manifest in which index.html imports `entryImports`. */
async function fakeDist(files: Record<string, string>, entryImports: string[]): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'dist-'));
  await mkdir(path.join(dir, 'assets'));
  await mkdir(path.join(dir, '.vite'));
  for (const [name, code] of Object.entries(files)) {
    await writeFile(path.join(dir, 'assets', name), code);
  }
  const manifest: Record<string, object> = {
    'index.html': {
      file: 'assets/index-1.js',
      isEntry: true,
      imports: entryImports.map((f) => `_${f}`),
      dynamicImports: ['src/lazy.ts'],
    },
    'src/lazy.ts': { file: 'assets/lazy-1.js', isDynamicEntry: true },
  };
  for (const f of entryImports) manifest[`_${f}`] = { file: `assets/${f}` };
  await writeFile(path.join(dir, '.vite', 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('check-bundle', () => {
  it('passes a tfjs-free entry within budget and measures every chunk', async () => {
    const dist = await fakeDist(
      {
        'index-1.js': PAGE_CODE,
        'vendor-1.js': 'export const r=(s)=>s;',
        'lazy-1.js': TFJS_SNIPPET,
        'training.worker-1.js': TFJS_SNIPPET.repeat(3),
      },
      ['vendor-1.js'],
    );
    const r = await checkBundle(dist);
    expect(r.problems).toEqual([]);
    expect(r.initial.map((c) => c.file)).toEqual(['assets/index-1.js', 'assets/vendor-1.js']);
    expect(r.initial[0]).toEqual({
      file: 'assets/index-1.js',
      raw: PAGE_CODE.length,
      gzip: gzipSync(PAGE_CODE).length,
    });
    expect(r.initialGzip).toBe(r.initial[0]!.gzip + r.initial[1]!.gzip);
    // tfjs is fine in lazy chunks and workers: they are listed, not judged
    expect(r.others.map((c) => c.file)).toEqual([
      'assets/lazy-1.js',
      'assets/training.worker-1.js',
    ]);
    expect(formatReport(r).at(-1)).toBe('ok: no tfjs, within budget');
  });

  it('fails when a chunk loaded with the page holds tfjs, naming the chunk and what was found', async () => {
    const dist = await fakeDist(
      { 'index-1.js': PAGE_CODE, 'vendor-1.js': TFJS_SNIPPET, 'lazy-1.js': '' },
      ['vendor-1.js'],
    );
    const { problems } = await checkBundle(dist);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^assets\/vendor-1\.js \(loaded with the page\) contains tfjs: kernel registration ×1, tfjs environment flag ×1\./,
    );
  });

  it('fails when the initial JS is over its gzip budget', async () => {
    const dist = await fakeDist({ 'index-1.js': PAGE_CODE, 'lazy-1.js': '' }, []);
    const { problems } = await checkBundle(dist, 20);
    expect(problems).toEqual([
      expect.stringMatching(
        /^the page's initial JS is 0\.\d\d kB gzip, over its budget of 0\.02 kB/,
      ),
    ]);
  });

  it('says what to do when the build has no manifest', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dist-'));
    await expect(checkBundle(dir)).rejects.toThrow(
      /manifest\.json is missing: build with build\.manifest/,
    );
  });

  it('recognises tfjs by its code, not by prose naming it', () => {
    expect(tfjsMarkers('const t = "TensorFlow.js runs in the worker (tfjs)";')).toEqual([]);
    expect(tfjsMarkers('import "@tensorflow/tfjs-core";')).toEqual(['@tensorflow package path ×1']);
    expect(tfjsMarkers('u=`/assets/tfjs-backend-wasm-simd-BrM3BlWr.wasm`')).toEqual([
      'tfjs WASM binary ×1',
    ]);
  });
});
