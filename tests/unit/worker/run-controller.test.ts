/**
 * RunController on the CPU backend with its real neighbours: a run's result
 * is kept and saved as a final checkpoint, a second Train while one goes is
 * `busy`, Stop keeps the weights for a continued run in the same lineage,
 * Reset forgets them, other data drops them, and a loaded session's weights
 * are kept under a new lineage.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Autosave } from '../../../src/worker/autosave';
import { BackendHost } from '../../../src/worker/backend-host';
import { DataStage } from '../../../src/worker/data-stage';
import { RunController } from '../../../src/worker/run-controller';
import { keptFromSession } from '../../../src/worker/kept-run';
import { collector, small } from './pieces';

beforeAll(() => {
  tf.env().set('IS_TEST', true);
});

async function setup(init = true) {
  const c = collector();
  const backend = new BackendHost(c.post);
  if (init) await backend.init('cpu', false);
  const autosave = new Autosave(c.post, null);
  let runs: RunController | null = null;
  const data = new DataStage(c.post, () => runs?.forget());
  runs = new RunController({ post: c.post, backend, data, autosave, snapshotEveryMs: 0 });
  return { c, backend, data, runs, autosave };
}

const until = async (what: () => boolean) => {
  for (let i = 0; i < 2000 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!what()) throw new Error('timed out');
};

describe('RunController', () => {
  it('asks for data and a backend before training', async () => {
    const t = await setup(false);
    await expect(
      t.runs.train({ type: 'train', config: small, continueRun: false }),
    ).rejects.toThrow(/backend is not initialized/);
    await t.backend.init('cpu', false);
    await t.runs.train({ type: 'train', config: small, continueRun: false });
    expect(t.c.of('error').map((e) => e.code)).toEqual(['no-data']);
  });

  it('keeps a finished run and saves it once as a final checkpoint', async () => {
    const t = await setup();
    await t.data.loadBuiltin('sinusoid');
    await t.runs.train({ type: 'train', config: small, continueRun: false });
    await t.runs.train({ type: 'train', config: small, continueRun: false });
    await t.runs.settled();
    await t.autosave.settled();
    expect(t.c.of('error').map((e) => e.code)).toEqual(['busy']);
    expect(t.runs.kept?.state.step).toBe(small.metaSteps);
    const finals = t.c.of('checkpoint').filter((e) => e.final);
    expect(finals).toHaveLength(1);
    expect(finals[0]!.doc?.history.stepsDone).toBe(small.metaSteps);
    expect(finals[0]!.doc?.dataset.name).toBe('sinusoid');
  });

  it('Stop keeps the weights, Train continues them in the same lineage, Reset forgets them', async () => {
    const t = await setup();
    await t.data.loadBuiltin('sinusoid');
    await t.runs.train({
      type: 'train',
      config: { ...small, metaSteps: 100000 },
      continueRun: false,
    });
    await until(() => t.c.of('progress').length > 0);
    t.runs.stop();
    expect(await t.runs.busy()).toBe(false);
    await t.autosave.settled();
    const stopped = t.runs.kept!.state.step;
    const lineage = t.c.of('checkpoint').at(-1)!.lineage;
    await t.runs.train({
      type: 'train',
      config: { ...small, metaSteps: stopped + 3 },
      continueRun: true,
    });
    await t.runs.settled();
    await t.autosave.settled();
    expect(t.runs.kept!.state.step).toBe(stopped + 3);
    expect(t.c.of('checkpoint').at(-1)!.lineage).toBe(lineage);
    await t.runs.reset();
    expect(t.runs.kept).toBeNull();
    expect(t.c.events.at(-1)).toEqual({ type: 'idle' });
  });

  it('other data drops the kept weights; a loaded session is kept under a new lineage', async () => {
    const t = await setup();
    await t.data.loadBuiltin('sinusoid');
    await t.runs.train({ type: 'train', config: small, continueRun: false });
    await t.runs.settled();
    await t.autosave.settled();
    const doc = t.c.of('checkpoint').at(-1)!.doc!;
    const first = t.c.of('checkpoint').at(-1)!.lineage;
    await t.data.loadBuiltin('linear');
    expect(t.runs.kept).toBeNull();
    const lineage = await t.runs.load(keptFromSession(doc));
    expect(lineage).toBeGreaterThan(first);
    expect(t.runs.kept?.state.step).toBe(small.metaSteps);
  });
});
