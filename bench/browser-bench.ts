/**
 * `npm run bench:browser`: drives Debian's Chromium (headless, WebGPU through
 * whatever adapter it has — SwiftShader here) through the browser bench page
 * (bench/browser) for every backend × method × meta-batch × hidden size asked
 * for, one fresh page and worker per case, and prints JSON: meta-steps/s,
 * tasks/s, the first step (shader compilation included), kernels per step,
 * live tensors. The PyTorch reference figures of issue 7 (2 cores, one
 * thread, sinusoid settings) sit next to the MAML and first-order MAML rows
 * at meta-batch 25, hidden 40-40, with the ratio.
 *
 * Anyone with a GPU can run it (`CHROMIUM_PATH` for another Chromium) or
 * open the page by hand: `npx vite bench/browser` then
 * `/?backend=webgpu&algorithm=maml&B=25&hidden=40,40&seconds=10`.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { build, preview } from 'vite';
import { launch } from '../tests/e2e/browser';
import { freePort } from '../tests/e2e/server';

/** Meta-steps/s of PyTorch 1.13 CPU on this kind of machine (issue 7): per-task loop and batched. */
const PYTORCH: Record<string, { loop: number; batched: number }> = {
  maml: { loop: 70, batched: 410 },
  fomaml: { loop: 95, batched: 740 },
};

const program = new Command()
  .name('bench:browser')
  .option('--backends <list>', 'webgpu,webgl,wasm,cpu', 'wasm,webgl,webgpu')
  .option('--algorithms <list>', 'maml,fomaml,reptile,protonet', 'maml,fomaml,reptile,protonet')
  .option('--meta-batch <list>', 'meta-batch sizes', '25')
  .option('--hidden <list>', 'hidden sizes, ";"-separated', '40,40')
  .option('--seconds <s>', 'timed seconds per case', '6')
  .option('--layout <l>', 'batched or loop', 'batched')
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
const rows: Record<string, unknown>[] = [];
try {
  for (const backend of o.backends.split(','))
    for (const hidden of o.hidden.split(';'))
      for (const B of o.metaBatch.split(','))
        for (const algorithm of o.algorithms.split(',')) {
          const qs = new URLSearchParams({
            backend,
            algorithm,
            B,
            hidden,
            layout: o.layout,
            seconds: o.seconds,
            profile: o.profile ? '1' : '0',
          });
          const page = await browser.newPage();
          await page.goto(`http://127.0.0.1:${port}/?${qs}`);
          await page.waitForFunction(() => window.__bench !== undefined, null, {
            timeout: 15 * 60_000,
            polling: 250,
          });
          const r = (await page.evaluate(() => window.__bench))!;
          await page.close();
          const ref = PYTORCH[algorithm];
          const row: Record<string, unknown> = r.ok
            ? { ...(r.result as object) }
            : { backend, algorithm, metaBatch: Number(B), hidden, error: r.error };
          if (r.ok && ref && B === '25' && hidden === '40,40') {
            const sps = (r.result as { stepsPerSec: number }).stepsPerSec;
            row.pytorch = { ...ref, overLoop: sps / ref.loop, overBatched: sps / ref.batched };
          }
          rows.push(row);
          process.stderr.write(
            `${backend} ${algorithm} B=${B} hidden=${hidden}: ` +
              (r.ok
                ? `${(r.result as { stepsPerSec: number }).stepsPerSec.toFixed(1)} steps/s`
                : `error ${r.error}`) +
              '\n',
          );
        }
} finally {
  await browser.close();
  await server.close();
}
const json = JSON.stringify(
  {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, browser: browser.version() },
    settings:
      'sinusoid K=10 Q=10, 1 inner step α=0.01, MLP 1-hidden-1 (ProtoNet: blobs 5-way 1-shot 15 queries); run in a dedicated worker',
    rows,
  },
  null,
  2,
);
console.log(json);
if (o.out) writeFileSync(o.out, json + '\n');
