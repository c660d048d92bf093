/**
 * The tfjs backend of this worker: which one runs now, which one the person
 * asked for, and which ones were found broken here (webgpu after its device
 * was lost, …), so a later `init` or a mid-run fallback never picks a broken
 * one again. It owns that state and nothing else; it reports what it got
 * (`ready`) instead of throwing.
 */
import { chooseBackend, nextBackend, type BackendChoice } from '../core/backend';
import type { BackendName } from '../core/spec/backend';
import type { Post } from './outbox';
import type { BackendRequest } from './protocol';

/** Makes the worker look like a browser without WebGPU (`?nowebgpu=1`). */
function hideWebgpu(): void {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav && 'gpu' in nav)
    Object.defineProperty(nav, 'gpu', { value: undefined, configurable: true });
}

export class BackendHost {
  private choice: BackendChoice | null = null;
  /** backends found broken in this worker, with why */
  private readonly broken: Partial<Record<BackendName, string>> = {};

  constructor(
    private readonly post: Post,
    /** where Vite serves the WASM binaries (worker only; Node finds them itself) */
    private readonly wasmPaths?: Record<string, string>,
  ) {}

  /** the backend tfjs runs on, or null before the first `init` */
  get current(): BackendName | null {
    return this.choice?.backend ?? null;
  }

  /** the backend for messages and session documents ('cpu' before any init) */
  get name(): BackendName {
    return this.choice?.backend ?? 'cpu';
  }

  /** Chooses a backend (the requested one first, then the fallback order) and posts `ready`. */
  async init(request: BackendRequest, hide: boolean): Promise<void> {
    if (hide) hideWebgpu();
    const choice = await chooseBackend({
      preferred: request === 'auto' ? undefined : request,
      exclude: this.broken,
      wasmPaths: this.wasmPaths,
    });
    if (hide && choice.fallbackReason)
      choice.fallbackReason = `${choice.fallbackReason}; WebGPU was hidden on purpose (?nowebgpu=1)`;
    this.choice = choice;
    this.post({ type: 'ready', ...choice, recovery: null });
  }

  /**
   * For a run that moves on request: chooses like init (never a broken backend)
   * but posts nothing; the run announces the move with its step.
   */
  async switchTo(request: BackendRequest): Promise<BackendChoice> {
    const choice = await chooseBackend({
      preferred: request === 'auto' ? undefined : request,
      exclude: { ...this.broken },
      wasmPaths: this.wasmPaths,
    });
    this.choice = choice;
    return choice;
  }

  /** After a mid-run failure: the next backend after `from`, never one already broken. */
  async fallback(from: BackendName, reason: string): Promise<BackendChoice | null> {
    this.broken[from] = reason;
    const next = nextBackend(from);
    if (!next) return null;
    const choice = await chooseBackend({ preferred: next, exclude: { ...this.broken } });
    this.choice = choice;
    return choice;
  }
}
