/**
 * The main thread's facade over the training worker, and the only place that
 * creates it. It sends typed commands and delivers event batches to one
 * listener; a worker that fails to load or crashes becomes an `error` event,
 * so the page always says what went wrong.
 *
 * `TrainingPort` is the narrow interface the store's actions need; tests give
 * them a fake.
 */
import type { Command, WorkerMessage } from './protocol';

export interface TrainingPort {
  send(cmd: Command): void;
  /**
   * Ends the worker at once and starts a fresh one (no state: init and load
   * data again). The only way to stop a first step whose kernels are still
   * compiling, which blocks the worker's thread for seconds on a software GPU.
   */
  restart?(): void;
}

export interface TrainingClient extends TrainingPort {
  onEvents(listener: (events: WorkerMessage) => void): void;
  terminate(): void;
}

export function createTrainingClient(): TrainingClient {
  let listener: (events: WorkerMessage) => void = () => {};
  let worker = spawn();
  function spawn(): Worker {
    const w = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
    wire(w);
    return w;
  }
  function wire(worker: Worker): void {
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => listener(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      listener([
        {
          type: 'error',
          code: 'worker-crashed',
          message: `The training worker failed: ${e.message || 'it could not be loaded'}. Reload the page to start again.`,
        },
      ]);
    };
    worker.onmessageerror = () =>
      listener([
        {
          type: 'error',
          code: 'internal',
          message: 'A message from the worker could not be read.',
        },
      ]);
  }
  return {
    send: (cmd) => worker.postMessage(cmd),
    onEvents: (l) => (listener = l),
    terminate: () => worker.terminate(),
    restart: () => {
      worker.terminate();
      worker = spawn();
    },
  };
}
