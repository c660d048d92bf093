/**
 * The two ways a sweep gets its trial workers. In the browser, real nested
 * Web Workers (the only place that creates them); in Node (tests, and a
 * WorkerSession built without a spawner), trial hosts in this process, run
 * one at a time because they share the one tfjs engine.
 */
import type { SpawnTrial } from './sweep-coordinator';
import type { TrialEvent } from './protocol';
import { TrialHost } from './trial-host';

export const spawnTrialWorker: SpawnTrial = (onEvent, onCrash) => {
  // Written inline: Vite bundles a worker only for this exact pattern.
  const w = new Worker(new URL('./trial.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<TrialEvent>) => onEvent(e.data);
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    onCrash(e.message || 'it could not be loaded');
  };
  return { send: (cmd) => w.postMessage(cmd), terminate: () => w.terminate() };
};

/** Trials of every in-process host run one after another (tfjs scopes are global). */
let queue: Promise<void> = Promise.resolve();

export const spawnTrialInProcess: SpawnTrial = (onEvent) => {
  let alive = true;
  const host = new TrialHost((e) => {
    if (alive) onEvent(e);
  });
  return {
    send: (cmd) => {
      if (cmd.type === 'prune') void host.handle(cmd);
      else queue = queue.then(() => (alive ? host.handle(cmd) : undefined));
    },
    terminate: () => {
      alive = false;
    },
  };
};
