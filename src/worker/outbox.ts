/**
 * The worker's way out: events of one synchronous burst (a trainer flush
 * emits metrics + progress + memory together) leave as one message, so the
 * page gets at most about ten messages a second and applies each as one
 * store update (see protocol.ts). Every worker piece posts through `post`.
 */
import type { WorkerEvent, WorkerMessage } from './protocol';

export type Post = (e: WorkerEvent) => void;

/** Collects the events of one synchronous burst and sends them as one message. */
export class Outbox {
  private queue: WorkerEvent[] = [];
  constructor(private readonly send: (m: WorkerMessage) => void) {}
  post: Post = (e) => {
    if (this.queue.length === 0) queueMicrotask(() => this.flush());
    this.queue.push(e);
  };
  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length) this.send(batch);
  }
}
