/**
 * `npm run bench:browser`: drives Debian's Chromium (headless, WebGPU through
 * whatever adapter it has — SwiftShader here) through every backend × method
 * × meta-batch × hidden size asked for and prints JSON: meta-steps/s,
 * tasks/s, the first step (shader compilation included), kernels per step,
 * live tensors, worker memory. The workloads, the fresh worker per case with
 * its time budget and the JSON rows are the app's own (src/bench: the
 * Benchmark page runs the same code); the small page in bench/browser only
 * reads the cases from its query string. The PyTorch reference figures of
 * issue 7 (2 cores, one thread, sinusoid settings) sit next to the MAML and
 * first-order MAML rows at meta-batch 25, hidden 40-40, with the ratio, and,
 * when python3 with torch is installed (Debian: python3-torch, 1.13 like the
 * issue's figures), the same PyTorch workloads measured on this machine just
 * before the browser cases (bench/pytorch/maml_sinusoid.py), with that ratio
 * too: shared machines drift by 2–3× over a day, so only a same-run ratio is
 * a fair comparison.
 *
 * Image cases (issue 13 item 7, issue 16 item 4): `--images 5w1s,20w1s`
 * adds Conv-4 on Omniglot-shaped episodes for the image methods among
 * `--algorithms` (protonet, fomaml, reptile) with `--filters 32,64`, and
 * measures PyTorch on the same episodes (bench/pytorch/conv4_omniglot.py)
 * next to them (`pytorchImages` in each row). `--hidden ''` leaves the MLP
 * cases (and their PyTorch reference) out.
 *
 * Anyone with a GPU can run it (`CHROMIUM_PATH` for another Chromium), open
 * the app's Benchmark page (`#benchmark`), or open the page by hand:
 * `npx vite bench/browser` then
 * `/?backends=webgpu&algorithms=maml&B=25&hidden=40,40&seconds=10`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { build } from 'vite';
import { launch } from '../tests/e2e/browser';
import { previewIsolated } from '../tests/e2e/server';
import {
  benchReport,
  casesOf,
  imageKeyOf,
  withMeasuredPytorch,
  withMeasuredPytorchImages,
  type BenchMethod,
  type BenchRow,
  type MeasuredPytorch,
  type MeasuredPytorchImages,
} from '../src/bench/cases';

const program = new Command()
  .name('bench:browser')
  .option(
    '--backends <list>',
    'webgpu,webgl,wasm,wasm-fused,wasm-fused-2t,cpu,webgpu-fused',
    'wasm,webgl,webgpu',
  )
  .option('--algorithms <list>', 'maml,fomaml,reptile,protonet', 'maml,fomaml,reptile,protonet')
  .option('--meta-batch <list>', 'meta-batch sizes', '25')
  .option('--hidden <list>', 'hidden sizes, ";"-separated', '40,40')
  .option('--seconds <s>', 'timed seconds per case', '6')
  .option('--layout <list>', 'batched (hand-derived gradients), tape, loop', 'batched')
  .option('--inner-steps <list>', 'inner steps per task (default: the method default)')
  .option(
    '--python <path>',
    'python3 with torch for the same-run PyTorch reference',
    '/usr/bin/python3',
  )
  .option('--no-pytorch', 'skip measuring the PyTorch reference')
  .option('--budget <s>', 'seconds a case may take before its worker is terminated', '600')
  .option(
    '--memory-wait <s>',
    'seconds a finished case waits for its worker memory figure (Chrome: up to ~20); 0 skips it',
    '25',
  )
  .option('--images <list>', 'Omniglot-shaped Conv-4 cases, e.g. 5w1s,20w1s (none by default)', '')
  .option('--filters <list>', 'Conv-4 filters per layer for the image cases: 32,64', '32')
  .option('--image-meta-batch <n>', "image cases' meta-batch (default: the app's image default)")
  .option('--profile', 'per-kernel times (GPU time on webgpu, wall time per kernel elsewhere)')
  .option('--out <file>', 'also write the JSON here')
  .parse();
const o = program.opts<{
  backends: string;
  algorithms: string;
  metaBatch: string;
  hidden: string;
  seconds: string;
  layout: string;
  innerSteps?: string;
  python: string;
  pytorch: boolean;
  budget: string;
  memoryWait: string;
  images: string;
  filters: string;
  imageMetaBatch?: string;
  profile?: boolean;
  out?: string;
}>();
const mlpCases = o.hidden.split(';').filter(Boolean).length > 0;

/** The PyTorch reference measured now, or null (no python3/torch here, or --no-pytorch). */
function measurePytorch(): MeasuredPytorch | null {
  if (!o.pytorch || !mlpCases) return null;
  const script = path.resolve(import.meta.dirname, 'pytorch/maml_sinusoid.py');
  try {
    const out = execFileSync(o.python, [script, String(Math.min(Number(o.seconds), 5))], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = JSON.parse(out) as { torch: string; stepsPerSec: MeasuredPytorch };
    process.stderr.write(`PyTorch ${r.torch} (1 thread): ${JSON.stringify(r.stepsPerSec)}\n`);
    return r.stepsPerSec;
  } catch (e) {
    process.stderr.write(
      `PyTorch reference not measured (${o.python} with torch: ${e instanceof Error ? e.message.split('\n')[0] : String(e)})\n`,
    );
    return null;
  }
}
const pytorch = measurePytorch();

/** PyTorch's episodes/s on this run's image cases (one backend's worth: they repeat per backend). */
function measurePytorchImages(): MeasuredPytorchImages | null {
  if (!o.pytorch || !o.images) return null;
  const cases = casesOf(
    {
      backends: ['wasm'],
      methods: o.algorithms.split(',') as BenchMethod[],
      metaBatches: [],
      hidden: [],
      seconds: Number(o.seconds),
      images: o.images.split(','),
      filters: o.filters.split(',').map(Number) as (32 | 64)[],
    },
    o.imageMetaBatch ? { imageMetaBatch: Number(o.imageMetaBatch) } : {},
  ).map((c) => ({ algorithm: c.algorithm, metaBatch: c.metaBatch, ...imageKeyOf(c) }));
  if (cases.length === 0) return null;
  const script = path.resolve(import.meta.dirname, 'pytorch/conv4_omniglot.py');
  try {
    const out = execFileSync(
      o.python,
      [script, String(Math.min(Number(o.seconds), 5)), JSON.stringify(cases)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const r = JSON.parse(out) as { torch: string; episodesPerSec: MeasuredPytorchImages };
    process.stderr.write(
      `PyTorch ${r.torch} Conv-4 (1 thread): ${JSON.stringify(r.episodesPerSec)}\n`,
    );
    return r.episodesPerSec;
  } catch (e) {
    process.stderr.write(
      `PyTorch Conv-4 reference not measured (${o.python} with torch: ${e instanceof Error ? e.message.split('\n')[0] : String(e)})\n`,
    );
    return null;
  }
}
const pytorchImages = measurePytorchImages();

const root = path.resolve(import.meta.dirname, 'browser');
/** Load averages (1, 5, 15 min) at the start: figures from a loaded machine compare only as ratios. */
const uptimeBefore = os.loadavg().map((l) => +l.toFixed(2));
const outDir = path.resolve(import.meta.dirname, '../test-results/bench-browser-dist');
await build({
  root,
  configFile: false,
  base: './',
  logLevel: 'warn',
  build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
});
const { server, url: serverUrl } = await previewIsolated({
  root,
  configFile: false,
  build: { outDir },
});
const browser = await launch();
let rows: BenchRow[] = [];
try {
  const qs = new URLSearchParams({
    backends: o.backends,
    algorithms: o.algorithms,
    B: o.metaBatch,
    hidden: o.hidden,
    layout: o.layout,
    ...(o.innerSteps ? { innerSteps: o.innerSteps } : {}),
    seconds: o.seconds,
    budget: o.budget,
    memory: o.memoryWait,
    profile: o.profile ? '1' : '0',
    images: o.images,
    filters: o.filters,
    ...(o.imageMetaBatch ? { imageB: o.imageMetaBatch } : {}),
  });
  const page = await browser.newPage();
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  await page.goto(`${serverUrl}?${qs}`);
  // One page runs every case (a fresh worker each); print each row as it lands.
  for (;;) {
    const s = await page.evaluate(() => window.__bench ?? { rows: [], done: false });
    for (const r of s.rows.slice(rows.length))
      process.stderr.write(
        `${r.backend} ${r.algorithm} ${r.layout} B=${r.metaBatch} ${r.image ? `conv4-${r.image.filters} ${r.image.ways}w${r.image.shots}s` : `hidden=${r.hidden.join(',')}`}: ` +
          (r.status === 'ok'
            ? `${r.stepsPerSec.toFixed(r.image ? 3 : 1)} steps/s (first step ${Math.round(r.firstStepMs)} ms)`
            : `${r.status}: ${r.error}`) +
          '\n',
      );
    rows = s.rows;
    if (s.done) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await page.close();
} finally {
  await browser.close();
  await server.close();
}
const json = JSON.stringify(
  {
    ...benchReport(
      rows.map((r) => {
        const a = pytorch ? withMeasuredPytorch(r, pytorch) : r;
        return pytorchImages ? withMeasuredPytorchImages(a, pytorchImages) : a;
      }),
      {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        browser: browser.version(),
        uptime: { before: uptimeBefore, after: os.loadavg().map((l) => +l.toFixed(2)) },
      },
    ),
    pytorchMeasured: pytorch,
    ...(pytorchImages ? { pytorchImagesMeasured: pytorchImages } : {}),
  },
  null,
  2,
);
console.log(json);
if (o.out) writeFileSync(o.out, json + '\n');
