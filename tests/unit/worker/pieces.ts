/** What the worker piece tests share: a collecting `post` and a small run configuration. */
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import type { EventOf, WorkerEvent } from '../../../src/worker/protocol';

export const small: TrainConfig = {
  ...defaultConfig('maml'),
  metaSteps: 12,
  metaBatch: 3,
  valEvery: 6,
  valTasks: 4,
  evalInnerSteps: 1,
  hidden: [8],
};

export function collector() {
  const events: WorkerEvent[] = [];
  const post = (e: WorkerEvent) => events.push(e);
  const of = <K extends WorkerEvent['type']>(type: K): EventOf<K>[] =>
    events.filter((e) => e.type === type) as EventOf<K>[];
  return { events, post, of };
}
