/**
 * Turns whatever a run threw into an error code, a sentence a person can act
 * on, and the decision whether to retry on the next backend.
 *
 * The rule: a failure of the GPU (device lost, a kernel or shader that failed,
 * any unexpected exception while running on webgpu or webgl) falls back to
 * the next backend from the last checkpoint. Bad settings, a diverging run
 * and running out of memory do not: another backend would fail the same way,
 * and the person has to change something.
 */
import {
  ENGINE_BACKEND_LABELS,
  isFusedBackend,
  type EngineBackendName,
} from '../core/spec/backend';
import { DataError } from '../core/data/types';
import type { BackendRequest, ErrorCode } from './protocol';

/** A GPU problem reported by the device (lost, uncaptured error) rather than thrown by a kernel. */
export class BackendTrouble extends Error {
  constructor(
    readonly kind: 'device-lost' | 'gpu-error' | 'out-of-memory',
    message: string,
  ) {
    super(message);
    this.name = 'BackendTrouble';
  }
}

/** The run was retired on purpose (Reset); not an error to report. */
export class RunCancelled extends Error {
  constructor() {
    super('the run was reset');
    this.name = 'RunCancelled';
  }
}

/** The person picked another backend during the run: retire the attempt and resume there. */
export class BackendMove extends Error {
  constructor(readonly request: BackendRequest) {
    super(`moving the run to ${request}`);
    this.name = 'BackendMove';
  }
}

export interface Classified {
  code: ErrorCode;
  message: string;
  /** retry on the next backend from the last checkpoint */
  fallback: boolean;
}

const OOM =
  /out of memory|\bOOM\b|cannot enlarge memory|allocation failed|failed to allocate|memory access out of bounds|Array buffer allocation failed/i;

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

export function classifyError(e: unknown, backend: EngineBackendName): Classified {
  if (e instanceof DataError) {
    const diverged = /diverged/.test(e.message);
    return { code: diverged ? 'diverged' : 'bad-config', message: e.message, fallback: false };
  }
  if (e instanceof BackendTrouble) {
    if (e.kind === 'out-of-memory')
      return {
        code: 'out-of-memory',
        message: `Out of memory on ${backend}: ${e.message}. Try a smaller meta-batch or smaller hidden layers.`,
        fallback: false,
      };
    return {
      code: e.kind === 'device-lost' ? 'device-lost' : 'shader-failed',
      message: `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`,
      fallback: true,
    };
  }
  const text = messageOf(e);
  if (OOM.test(text))
    return {
      code: 'out-of-memory',
      message: `Out of memory on ${backend} (${text}). Try a smaller meta-batch or smaller hidden layers.`,
      fallback: false,
    };
  // our own kernels failing: the run goes on with tfjs on the engine's base backend
  if (isFusedBackend(backend))
    return {
      code: 'backend-failed',
      message: `${ENGINE_BACKEND_LABELS[backend]} failed: ${text}`,
      fallback: true,
    };
  if (backend === 'webgpu' || backend === 'webgl')
    return {
      code: 'shader-failed',
      message: `A ${backend} kernel failed: ${text}`,
      fallback: true,
    };
  return { code: 'internal', message: `Training failed on ${backend}: ${text}`, fallback: false };
}
