/**
 * The backend of this worker: which tfjs backend runs now, which fused
 * meta-step engine (issue 16: "WASM (fused)", "WebGPU (fused)") runs MAML's
 * meta-step on top of it, which one the person asked for, and which ones
 * were found broken here (webgpu after its device was lost, a fused engine
 * whose kernel failed, …), so a later `init` or a mid-run fallback never
 * picks a broken one again. It owns that state and nothing else; it reports
 * what it got (`ready`) instead of throwing.
 *
 * A fused engine is asked for by its name; tfjs then runs on its base
 * backend (FUSED_BASE) for validation, evaluation and whatever the fused
 * step does not cover. Where the engine cannot run here at all (no WASM
 * SIMD, no WebGPU) the worker takes the base's fallback and says why.
 */
import { chooseBackend, nextBackend, type BackendChoice } from '../core/backend';
import { hasWasmSimd } from '../core/kernels/wasm/load';
import { threadsUnavailable } from '../core/kernels/wasm/threads';
import {
  ENGINE_BACKEND_LABELS,
  FUSED_BACKENDS,
  FUSED_BASE,
  FUSED_THREADS,
  isBackendName,
  isFusedBackend,
  tfjsBackendOf,
  type BackendName,
  type EngineBackendName,
  type FusedBackendName,
} from '../core/spec/backend';
import type { Post } from './outbox';
import type { BackendRequest, FusedAvailability } from './protocol';

/** Makes the worker look like a browser without WebGPU (`?nowebgpu=1`). */
function hideWebgpu(): void {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav && 'gpu' in nav)
    Object.defineProperty(nav, 'gpu', { value: undefined, configurable: true });
}

function hasNavigatorGpu(): boolean {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  return !!nav?.gpu;
}

/** A tfjs backend choice and the fused engine on top of it (null: plain tfjs). */
export type EngineChoice = BackendChoice & { engine: FusedBackendName | null };

export class BackendHost {
  private choice: BackendChoice | null = null;
  private fused: FusedBackendName | null = null;
  /** backends and engines found broken in this worker, with why */
  private readonly broken: Partial<Record<EngineBackendName, string>> = {};

  constructor(
    private readonly post: Post,
    /** where Vite serves the WASM binaries (worker only; Node finds them itself) */
    private readonly wasmPaths?: Record<string, string>,
  ) {}

  /** the backend tfjs runs on, or null before the first `init` */
  get current(): BackendName | null {
    return this.choice?.backend ?? null;
  }

  /** the tfjs backend for messages ('cpu' before any init) */
  get name(): BackendName {
    return this.choice?.backend ?? 'cpu';
  }

  /** the fused engine runs ask for, or null for plain tfjs */
  get engine(): FusedBackendName | null {
    return this.fused;
  }

  /** what a run asks for: the fused engine, else the tfjs backend */
  get engineName(): EngineBackendName {
    return this.fused ?? this.name;
  }

  /** Which fused engines this worker can run (null) and why not the others. */
  availability(): FusedAvailability {
    const out = {} as FusedAvailability;
    for (const e of FUSED_BACKENDS) out[e] = this.unavailable(e);
    return out;
  }

  private unavailable(engine: FusedBackendName): string | null {
    const broken = this.broken[engine] ?? this.broken[FUSED_BASE[engine]];
    if (broken) return `it failed in this tab (${broken})`;
    if (engine === 'wasm-fused' || engine === 'wasm-fused-2t') {
      if (!hasWasmSimd()) return 'this browser has no WebAssembly SIMD';
      return FUSED_THREADS[engine] === 2 ? threadsUnavailable() : null;
    }
    return hasNavigatorGpu() ? null : 'this browser has no WebGPU';
  }

  /** Chooses a backend (the requested one first, then the fallback order) and posts `ready`. */
  async init(request: BackendRequest, hide: boolean): Promise<void> {
    if (hide) hideWebgpu();
    const choice = await this.choose(request);
    if (hide && choice.fallbackReason)
      choice.fallbackReason = `${choice.fallbackReason}; WebGPU was hidden on purpose (?nowebgpu=1)`;
    this.post({ type: 'ready', ...choice, recovery: null, engines: this.availability() });
  }

  /**
   * For a run that moves on request: chooses like init (never a broken backend)
   * but posts nothing; the run announces the move with its step.
   */
  switchTo(request: BackendRequest): Promise<EngineChoice> {
    return this.choose(request);
  }

  private async choose(request: BackendRequest): Promise<EngineChoice> {
    const engine = request !== 'auto' && isFusedBackend(request) ? request : null;
    const tfjsRequest = request === 'auto' ? undefined : tfjsBackendOf(request);
    let why = engine ? this.unavailable(engine) : null;
    const choice = await chooseBackend({
      preferred: tfjsRequest,
      exclude: this.brokenTfjs(),
      wasmPaths: this.wasmPaths,
    });
    // the WebGPU engine runs on tfjs-webgpu's device; the WASM one on wasm or cpu
    if (engine === 'webgpu-fused' && !why && choice.backend !== 'webgpu')
      why = `WebGPU did not start (${choice.fallbackReason ?? 'no reason given'})`;
    if (engine && why)
      choice.fallbackReason = `${ENGINE_BACKEND_LABELS[engine]} is not available here: ${why}`;
    this.choice = choice;
    this.fused = engine && !why ? engine : null;
    return { ...choice, engine: this.fused };
  }

  /** the tfjs backends found broken (a broken fused engine leaves its base usable) */
  private brokenTfjs(): Partial<Record<BackendName, string>> {
    const out: Partial<Record<BackendName, string>> = {};
    for (const [name, why] of Object.entries(this.broken)) if (isBackendName(name)) out[name] = why;
    return out;
  }

  /**
   * After a mid-run failure: a fused engine gives way to plain tfjs on the
   * same backend; a tfjs backend to the next one after `from`, never one
   * already broken.
   */
  async fallback(from: EngineBackendName, reason: string): Promise<EngineChoice | null> {
    this.broken[from] = reason;
    if (isFusedBackend(from) && this.choice) {
      this.fused = null;
      this.choice = {
        ...this.choice,
        fallbackReason: `${ENGINE_BACKEND_LABELS[from]} failed: ${reason}`,
      };
      return { ...this.choice, engine: null };
    }
    const next = isFusedBackend(from) ? null : nextBackend(from);
    if (!next) return null;
    const choice = await chooseBackend({ preferred: next, exclude: this.brokenTfjs() });
    this.choice = choice;
    this.fused = null;
    return { ...choice, engine: null };
  }
}
