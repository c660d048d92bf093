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
 * first-order MAML rows at meta-batch 25, hidden 40-40, with the ratio.
 *
 * Anyone with a GPU can run it (`CHROMIUM_PATH` for another Chromium), open
 * the app's Benchmark page (`#benchmark`), or open the page by hand:
 * `npx vite bench/browser` then
 * `/?backends=webgpu&algorithms=maml&B=25&hidden=40,40&seconds=10`.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { build, preview } from 'vite';
import { launch } from '../tests/e2e/browser';
import { freePort } from '../tests/e2e/server';
import { benchReport, type BenchRow } from '../src/bench/cases';

const program = new Command()
  .name('bench:browser')
  .option('--backends <list>', 'webgpu,webgl,wasm,cpu', 'wasm,webgl,webgpu')
  .option('--algorithms <list>', 'maml,fomaml,reptile,protonet', 'maml,fomaml,reptile,protonet')
  .option('--meta-batch <list>', 'meta-batch sizes', '25')
  .option('--hidden <list>', 'hidden sizes, ";"-separated', '40,40')
  .option('--seconds <s>', 'timed seconds per case', '6')
  .option('--layout <l>', 'batched or loop', 'batched')
  .option('--budget <s>', 'seconds a case may take before its worker is terminated', '600')
  .option(
    '--memory-wait <s>',
    'seconds a finished case waits for its worker memory figure (Chrome: up to ~20); 0 skips it',
    '25',
  )
  .option('--profile', 'per-kernel GPU times (webgpu)')
  .option('--out <file>', 'also write the JSON here')
  .parse();
const o = program.opts<{
  backends: string;
  algorithms: string;
  metaBatch: string;
  hidden: string;
  seconds: string;
  layout: string;
  budget: string;
  memoryWait: string;
  profile?: boolean;
  out?: string;
}>();

const root = path.resolve(import.meta.dirname, 'browser');
const outDir = path.resolve(import.meta.dirname, '../test-results/bench-browser-dist');
await build({
  root,
  configFile: false,
  base: './',
  logLevel: 'warn',
  build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
});
const port = await freePort();
const server = await preview({
  root,
  configFile: false,
  build: { outDir },
  logLevel: 'warn',
  preview: {
    port,
    strictPort: true,
    host: '127.0.0.1',
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
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
    seconds: o.seconds,
    budget: o.budget,
    memory: o.memoryWait,
    profile: o.profile ? '1' : '0',
  });
  const page = await browser.newPage();
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  await page.goto(`http://127.0.0.1:${port}/?${qs}`);
  // One page runs every case (a fresh worker each); print each row as it lands.
  for (;;) {
    const s = await page.evaluate(() => window.__bench ?? { rows: [], done: false });
    for (const r of s.rows.slice(rows.length))
      process.stderr.write(
        `${r.backend} ${r.algorithm} B=${r.metaBatch} hidden=${r.hidden.join(',')}: ` +
          (r.status === 'ok' ? `${r.stepsPerSec.toFixed(1)} steps/s` : `${r.status}: ${r.error}`) +
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
  benchReport(rows, {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    browser: browser.version(),
  }),
  null,
  2,
);
console.log(json);
if (o.out) writeFileSync(o.out, json + '\n');
