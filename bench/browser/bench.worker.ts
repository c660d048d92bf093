/** The bench page's worker: runs one case (as the app trains: off the main thread) and posts the result. */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { measure, type BenchCase } from './measure';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (e: MessageEvent<BenchCase>) => {
  measure(e.data, {
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  }).then(
    (result) => scope.postMessage({ ok: true, result }),
    (e: unknown) =>
      scope.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
};
