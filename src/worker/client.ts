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
}

export interface TrainingClient extends TrainingPort {
  onEvents(listener: (events: WorkerMessage) => void): void;
  terminate(): void;
}

export function createTrainingClient(): TrainingClient {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
  let listener: (events: WorkerMessage) => void = () => {};
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
      { type: 'error', code: 'internal', message: 'A message from the worker could not be read.' },
    ]);
  return {
    send: (cmd) => worker.postMessage(cmd),
    onEvents: (l) => (listener = l),
    terminate: () => worker.terminate(),
  };
}
