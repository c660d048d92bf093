/**
 * The benchmark worker's entry: measures the one case it is sent (off the
 * main thread, as the app trains), posts its phases and its result, and is
 * then thrown away by its creator (runner.ts). It owns only what needs the
 * worker global: the WASM binaries' URLs, served by Vite.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BenchCommand, BenchEvent } from '../worker/protocol';
import { measure } from './measure';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const send = (e: BenchEvent) => scope.postMessage(e);

// One command type so far: a switch over a one-member union would not narrow.
scope.onmessage = (e: MessageEvent<BenchCommand>) => {
  measure(
    e.data.case,
    {
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    },
    (phase) => send({ type: 'phase', phase }),
  ).then(
    (result) => send({ type: 'result', result }),
    (err: unknown) =>
      send({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
};
