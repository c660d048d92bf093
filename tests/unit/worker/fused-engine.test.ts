/**
 * Issue 16 in the worker (Node: WASM SIMD yes, WebGPU no): the Backend menu's
 * fused engines. BackendHost runs "WASM (fused)" on tfjs-wasm and says
 * "WebGPU (fused)" is missing here; a MAML run trains on the fused engine and
 * its session records 'wasm-fused'; Reptile falls back to tfjs on WASM with
 * the learner's reason; a session recorded on the fused engine loads and
 * continues; a failing fused engine gives way to tfjs on the same backend;
 * a run moves onto the fused engine mid-way with its weights; and a move to
 * "WebGPU (fused)" where there is no WebGPU goes on with tfjs and says why.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Autosave } from '../../../src/worker/autosave';
import { BackendHost } from '../../../src/worker/backend-host';
import { DataStage } from '../../../src/worker/data-stage';
import { RunController } from '../../../src/worker/run-controller';
import { keptFromSession } from '../../../src/worker/kept-run';
import { classifyError } from '../../../src/worker/errors';
import { fusedFallbackSentence } from '../../../src/core/spec/backend';
import { defaultConfig } from '../../../src/core/spec/config';
import { collector, small } from './pieces';

beforeAll(() => {
  tf.env().set('IS_TEST', true);
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

async function setup(request: 'wasm-fused' | 'wasm' = 'wasm-fused') {
  const c = collector();
  const backend = new BackendHost(c.post);
  await backend.init(request, false);
  const autosave = new Autosave(c.post, null);
  let runs: RunController | null = null;
  const data = new DataStage(c.post, () => runs?.forget());
  runs = new RunController({ post: c.post, backend, data, autosave, snapshotEveryMs: 0 });
  await data.loadBuiltin('sinusoid');
  return { c, backend, data, runs, autosave };
}

const until = async (what: () => boolean) => {
  for (let i = 0; i < 4000 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!what()) throw new Error('timed out');
};

describe('BackendHost and the fused engines', () => {
  it('runs WASM (fused) on tfjs-wasm and offers only the engines it can run', async () => {
    const c = collector();
    const host = new BackendHost(c.post);
    await host.init('wasm-fused', false);
    expect(host.current).toBe('wasm');
    expect(host.engine).toBe('wasm-fused');
    expect(host.engineName).toBe('wasm-fused');
    const ready = c.of('ready').at(-1)!;
    expect(ready).toMatchObject({ backend: 'wasm', engine: 'wasm-fused', fallbackReason: null });
    expect(ready.engines?.['wasm-fused']).toBeNull();
    expect(ready.engines?.['webgpu-fused']).toMatch(/no WebGPU/);
  });

  it('says WebGPU (fused) is not available without WebGPU and runs plain tfjs instead', async () => {
    const c = collector();
    const host = new BackendHost(c.post);
    await host.init('webgpu-fused', false);
    const ready = c.of('ready').at(-1)!;
    expect(ready.engine).toBeNull();
    expect(['wasm', 'cpu']).toContain(ready.backend);
    expect(ready.fallbackReason).toMatch(
      /^WebGPU \(fused\) is not available here: this browser has no WebGPU/,
    );
    expect(host.engineName).toBe(ready.backend);
  });

  it('a failed fused engine gives way to tfjs on the same backend and is not chosen again', async () => {
    const c = collector();
    const host = new BackendHost(c.post);
    await host.init('wasm-fused', false);
    const next = await host.fallback('wasm-fused', 'simulated: the fused kernel trapped');
    expect(next).toMatchObject({ backend: 'wasm', engine: null });
    expect(next?.fallbackReason).toMatch(/^WASM \(fused\) failed: simulated/);
    expect(host.engine).toBeNull();
    await host.init('wasm-fused', false);
    const ready = c.of('ready').at(-1)!;
    expect(ready).toMatchObject({ backend: 'wasm', engine: null });
    expect(ready.engines?.['wasm-fused']).toMatch(/failed in this tab.*simulated/);
    // the kernel failure itself is classified for that fallback
    expect(classifyError(new Error('unreachable'), 'wasm-fused')).toMatchObject({
      fallback: true,
      message: 'WASM (fused) failed: unreachable',
    });
  });
});

describe('RunController on the fused engine', () => {
  it('trains MAML on WASM (fused), records it, reloads and continues on it', async () => {
    const t = await setup();
    await t.runs.train({ type: 'train', config: small, continueRun: false });
    await t.runs.settled();
    await t.autosave.settled();
    expect(t.c.of('error')).toEqual([]);
    expect(t.c.of('run-engine')).toEqual([
      {
        type: 'run-engine',
        requested: 'wasm-fused',
        used: 'wasm-fused',
        backend: 'wasm',
        reason: null,
      },
    ]);
    const doc = t.c.of('checkpoint').at(-1)!.doc!;
    expect(doc.backend).toBe('wasm-fused');
    const losses = t.c.of('metrics').flatMap((m) => m.points.map((p) => p.trainLoss));
    expect(losses.every(Number.isFinite)).toBe(true);

    // reloaded (as the page does) and continued: still fused, still recorded so
    const kept = keptFromSession(doc);
    expect(kept.backend).toBe('wasm-fused');
    await t.runs.load(kept);
    await t.runs.train({
      type: 'train',
      config: { ...small, metaSteps: small.metaSteps + 4 },
      continueRun: true,
    });
    await t.runs.settled();
    await t.autosave.settled();
    expect(t.c.of('error')).toEqual([]);
    expect(t.runs.kept?.state.step).toBe(small.metaSteps + 4);
    expect(t.c.of('run-engine').at(-1)?.used).toBe('wasm-fused');
    expect(t.c.of('checkpoint').at(-1)!.doc!.backend).toBe('wasm-fused');
  });

  it('Reptile is not fused: it trains with tfjs on WASM and says why, and the session says wasm', async () => {
    const t = await setup();
    const config = { ...defaultConfig('reptile'), ...small, algorithm: 'reptile' as const };
    await t.runs.train({ type: 'train', config, continueRun: false });
    await t.runs.settled();
    await t.autosave.settled();
    expect(t.c.of('error')).toEqual([]);
    const engine = t.c.of('run-engine').at(-1)!;
    expect(engine).toMatchObject({ requested: 'wasm-fused', used: 'wasm', backend: 'wasm' });
    expect(engine.reason).toMatch(/covers MAML and first-order MAML only/);
    expect(fusedFallbackSentence('wasm-fused', engine.reason!, engine.backend)).toBe(
      `WASM (fused) covers MAML and first-order MAML on the MLP; this run uses tfjs on WASM (${engine.reason}).`,
    );
    expect(t.c.of('checkpoint').at(-1)!.doc!.backend).toBe('wasm');
  });

  it('a run on tfjs-wasm moves onto WASM (fused) mid-way from a fresh snapshot', async () => {
    const t = await setup('wasm');
    await t.runs.train({
      type: 'train',
      config: { ...small, metaSteps: 100000 },
      continueRun: false,
    });
    await until(() => t.c.of('progress').some((p) => p.step >= 3));
    expect(await t.runs.move('wasm-fused')).toBe(true);
    const moved = t.c.of('ready').at(-1)!;
    expect(moved).toMatchObject({
      backend: 'wasm',
      engine: 'wasm-fused',
      recovery: { from: 'wasm', moved: true },
    });
    const at = moved.recovery!.resumedFromStep;
    await until(() => t.c.of('progress').some((p) => p.step >= at + 3));
    t.runs.stop();
    await t.runs.settled();
    await t.autosave.settled();
    expect(t.c.of('error')).toEqual([]);
    expect(t.c.of('run-engine').map((e) => e.used)).toEqual(['wasm', 'wasm-fused']);
    expect(t.c.of('checkpoint').at(-1)!.doc!.backend).toBe('wasm-fused');
  });

  it('a move to WebGPU (fused) where there is no WebGPU goes on with tfjs and says why', async () => {
    const t = await setup();
    await t.runs.train({
      type: 'train',
      config: { ...small, metaSteps: 100000 },
      continueRun: false,
    });
    await until(() => t.c.of('progress').some((p) => p.step >= 3));
    expect(await t.runs.move('webgpu-fused')).toBe(true);
    const moved = t.c.of('ready').at(-1)!;
    expect(moved).toMatchObject({ engine: null, recovery: { from: 'wasm-fused', moved: true } });
    expect(moved.fallbackReason).toMatch(/^WebGPU \(fused\) is not available here/);
    const at = moved.recovery!.resumedFromStep;
    await until(() => t.c.of('progress').some((p) => p.step >= at + 3));
    t.runs.stop();
    await t.runs.settled();
    await t.autosave.settled();
    expect(t.c.of('error')).toEqual([]);
    expect(t.c.of('run-engine').map((e) => e.used)).toEqual(['wasm-fused', moved.backend]);
    expect(t.c.of('checkpoint').at(-1)!.doc!.backend).toBe(moved.backend);
  });
});
