/**
 * The helper thread of the split fused meta-step in Node: a worker_threads
 * worker running fused-helper.node.ts. Node-only (the CLI, the Node bench,
 * the unit tests); the browser starts a Web Worker instead (threads.ts).
 *
 * The helper is TypeScript and Node runs it under tsx (the CLI, the bench)
 * or vitest, neither of which reaches into a worker thread (Node 20 does not
 * apply an --import loader to a worker's .ts entry). So the worker starts
 * from a few lines of JavaScript that register tsx's loader in that thread
 * and then import the helper. The worker is unref'd: a learner nobody
 * disposed never keeps the process alive.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { setHelperSpawner, type HelperHandle } from './threads';
import type { HelperReply } from './thread-protocol';

function tsxApi(): string {
  const req = createRequire(import.meta.url);
  const root = path.dirname(req.resolve('tsx/package.json'));
  return pathToFileURL(path.join(root, 'dist/esm/api/index.mjs')).href;
}

export function nodeHelperSpawner(): HelperHandle {
  const entry = new URL('./fused-helper.node.ts', import.meta.url).href;
  const code =
    `import(${JSON.stringify(tsxApi())})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })` +
    `.catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'error', message: String(e && e.stack || e) }); });`;
  const w = new Worker(code, { eval: true });
  w.unref();
  return {
    post: (m) => w.postMessage(m),
    listen(onReply, onError) {
      w.on('message', (m: HelperReply) => onReply(m));
      w.on('error', (e) => onError(`the helper thread failed: ${e.message}`));
      w.on('exit', (code) => {
        if (code !== 0) onError(`the helper thread exited (${code})`);
      });
    },
    terminate: () => void w.terminate(),
  };
}

/** Lets createLearner's `threads: 2` start worker_threads helpers in this process. */
export function useNodeHelperThreads(): void {
  setHelperSpawner(nodeHelperSpawner);
}
