/**
 * A MAML++ run (multi-step loss, per-step rates) as a session: its rate
 * table is saved after the weights and recovered from the saved shapes, the
 * options survive the file round trip, the run continues from its
 * checkpoint, and a file written before the options existed loads with them
 * off (no format bump).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Autosave } from '../../../src/worker/autosave';
import { BackendHost } from '../../../src/worker/backend-host';
import { DataStage } from '../../../src/worker/data-stage';
import { RunController } from '../../../src/worker/run-controller';
import { keptFromSession } from '../../../src/worker/kept-run';
import { restoreSession } from '../../../src/sessions/restore';
import {
  usesMultiStepLoss,
  usesPerStepRates,
  type TrainConfig,
} from '../../../src/core/spec/config';
import { paramShapes } from '../../../src/core/spec/model';
import { collector, small } from './pieces';

beforeAll(() => {
  tf.env().set('IS_TEST', true);
});

const plus: TrainConfig = { ...small, innerSteps: 2, multiStepLoss: true, perStepRates: true };

async function setup() {
  const c = collector();
  const backend = new BackendHost(c.post);
  await backend.init('cpu', false);
  const autosave = new Autosave(c.post, null);
  let runs: RunController | null = null;
  const data = new DataStage(c.post, () => runs?.forget());
  runs = new RunController({ post: c.post, backend, data, autosave, snapshotEveryMs: 0 });
  await data.loadBuiltin('sinusoid');
  return { c, runs, autosave };
}

describe('MAML++ sessions', () => {
  it('save the rate table after the weights, round-trip the options and continue the run', async () => {
    const t = await setup();
    await t.runs.train({ type: 'train', config: plus, continueRun: false });
    await t.runs.settled();
    await t.autosave.settled();
    expect(t.c.of('error')).toEqual([]);
    const doc = t.c.of('checkpoint').at(-1)!.doc!;
    const back = restoreSession(JSON.parse(JSON.stringify(doc)));
    if (!back.ok) throw new Error(back.error);
    expect(back.session.config).toMatchObject({ multiStepLoss: true, perStepRates: true });
    const shapes = back.session.weights!.shapes;
    const P = 2 * (plus.hidden.length + 1);
    expect(shapes.at(-1)).toEqual([plus.innerSteps, P]);
    const kept = keptFromSession(back.session);
    expect(kept.model.spec).toMatchObject({ stepRates: plus.innerSteps });
    expect(paramShapes(kept.model.spec)).toEqual(shapes);
    // the table was meta-trained: it left α
    const table = kept.model.arrays.at(-1)!;
    expect(table.some((r) => Math.abs(r - plus.innerLr) > 1e-6)).toBe(true);
    // continue the loaded run a few steps from its checkpoint
    await t.runs.load(kept);
    await t.runs.train({
      type: 'train',
      config: { ...plus, metaSteps: plus.metaSteps + 3 },
      continueRun: true,
    });
    await t.runs.settled();
    expect(t.c.of('error')).toEqual([]);
    expect(t.runs.kept!.state.step).toBe(plus.metaSteps + 3);
  });

  it('load a file saved before the options with them off', async () => {
    const t = await setup();
    await t.runs.train({ type: 'train', config: small, continueRun: false });
    await t.runs.settled();
    await t.autosave.settled();
    const doc = JSON.parse(JSON.stringify(t.c.of('checkpoint').at(-1)!.doc!)) as {
      config: Record<string, unknown>;
    };
    expect('multiStepLoss' in doc.config || 'perStepRates' in doc.config).toBe(false);
    const back = restoreSession(doc);
    if (!back.ok) throw new Error(back.error);
    expect(usesMultiStepLoss(back.session.config) || usesPerStepRates(back.session.config)).toBe(
      false,
    );
    expect(keptFromSession(back.session).model.spec).not.toHaveProperty('stepRates');
  });
});
