/**
 * Node's helper thread of the split fused meta-step (a worker_threads
 * worker, started by node-threads.ts). All it does is thread-helper.ts's.
 */
import { parentPort } from 'node:worker_threads';
import { serveFusedHelper } from './thread-helper';
import type { HelperRequest } from './thread-protocol';

const port = parentPort;
if (!port) throw new Error('fused-helper.node.ts runs as a worker thread only');
const serve = serveFusedHelper((m) => port.postMessage(m));
port.on('message', (m: HelperRequest) => serve(m));
