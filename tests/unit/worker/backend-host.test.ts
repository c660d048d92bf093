/**
 * BackendHost in Node: `init` posts what it got and why, and a backend that
 * failed mid-run is never chosen again in this worker, not even when asked for.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendHost } from '../../../src/worker/backend-host';
import { collector } from './pieces';

beforeAll(() => {
  tf.env().set('IS_TEST', true);
});

describe('BackendHost', () => {
  it('says cpu before init, then posts ready with the chosen backend', async () => {
    const c = collector();
    const host = new BackendHost(c.post);
    expect(host.current).toBeNull();
    expect(host.name).toBe('cpu');
    await host.init('cpu', false);
    expect(host.current).toBe('cpu');
    expect(c.of('ready')).toEqual([
      expect.objectContaining({ backend: 'cpu', fallbackReason: null, recovery: null }),
    ]);
  });

  it('falls back past a broken backend and excludes it from later inits', async () => {
    const c = collector();
    const host = new BackendHost(c.post);
    await host.init('wasm', false);
    expect(host.current).toBe('wasm');
    const next = await host.fallback('wasm', 'simulated: the wasm kernel failed');
    expect(next?.backend).toBe('cpu');
    expect(host.current).toBe('cpu');
    await host.init('wasm', false);
    const ready = c.of('ready').at(-1)!;
    expect(ready.backend).toBe('cpu');
    expect(ready.attempts[0]).toMatchObject({ backend: 'wasm', ok: false });
    expect(ready.attempts[0]!.reason).toMatch(/simulated: the wasm kernel failed/);
    // cpu ends the chain: nothing after it
    expect(await host.fallback('cpu', 'x')).toBeNull();
  });
});
