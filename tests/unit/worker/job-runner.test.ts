/**
 * JobRunner with a stub run controller: it refuses without a model or while
 * a run goes, trains the missing pre-training baseline once and saves it
 * before answering, and a cancel between two steps ends the job with
 * JobCancelled (the router turns it into `job-cancelled`).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinSource } from '../../../src/core/data/builtin';
import type { TaskSource } from '../../../src/core/data/types';
import { Trainer } from '../../../src/core/train/trainer';
import { BackendHost } from '../../../src/worker/backend-host';
import type { DataStage } from '../../../src/worker/data-stage';
import { JobCancelled } from '../../../src/worker/gate';
import { JobRunner } from '../../../src/worker/job-runner';
import type { RunController } from '../../../src/worker/run-controller';
import type { KeptRun } from '../../../src/worker/kept-run';
import { collector, small } from './pieces';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

async function keptRun(source: TaskSource): Promise<KeptRun> {
  const t = new Trainer(source, small);
  try {
    const r = await t.run();
    return { config: small, state: r.state, model: r.last, pretrain: null };
  } finally {
    t.dispose();
  }
}

function setup(kept: KeptRun | null, source: TaskSource | null, busy = false) {
  const c = collector();
  const saved: KeptRun[] = [];
  const runs = {
    busy: async () => busy,
    get kept() {
      return kept;
    },
    saveFinal: async (k: KeptRun) => {
      saved.push(k);
      c.post({ type: 'idle' }); // a marker: the save comes before the job's answer
    },
  } as unknown as RunController; // only what JobRunner reads
  const data = { source } as unknown as DataStage; // only `source` is read
  const jobs = new JobRunner(c.post, runs, data, new BackendHost(c.post));
  return { c, jobs, saved };
}

describe('JobRunner', () => {
  it('refuses without a model, and while a run goes', async () => {
    const a = setup(null, null);
    await a.jobs.evaluate({ type: 'evaluate', episodes: 5, steps: 1 });
    const b = setup(null, null, true);
    await b.jobs.evaluateSession({ type: 'evaluate-session', episodes: 5, steps: [0] });
    expect(a.c.of('error')[0]).toMatchObject({ code: 'no-model' });
    expect(b.c.of('error')[0]).toMatchObject({
      code: 'busy',
      message: 'Stop the run before evaluating.',
    });
  });

  it('trains the baseline once, saves it before answering, then reuses it', async () => {
    const source = builtinSource('sinusoid');
    const kept = await keptRun(source);
    const t = setup(kept, source);
    await t.jobs.evaluate({ type: 'evaluate', episodes: 6, steps: 2 });
    const types = t.c.events.map((e) => e.type);
    expect(types.indexOf('idle')).toBeLessThan(types.indexOf('evaluation'));
    expect(t.saved).toEqual([kept]);
    expect(kept.pretrain).toBeTruthy();
    const ev = t.c.of('evaluation')[0]!;
    expect(ev.mean).toHaveLength(3);
    expect(Object.keys(ev.curve.models).sort()).toEqual(['maml', 'pretrain', 'scratch']);
    await t.jobs.evaluateSession({ type: 'evaluate-session', episodes: 4, steps: [0, 1] });
    expect(t.saved).toHaveLength(1);
    expect(t.c.of('session-evaluation')[0]!.evaluation.steps).toEqual([0, 1]);
  });

  it('a cancel between two steps ends the job with JobCancelled and saves nothing', async () => {
    const source = builtinSource('sinusoid');
    const kept = await keptRun(source);
    const t = setup(
      { ...kept, config: { ...small, metaSteps: 100000 }, state: { ...kept.state, step: 100000 } },
      source,
    );
    const job = t.jobs.evaluate({ type: 'evaluate', episodes: 6, steps: 2 });
    await new Promise((r) => setTimeout(r, 200));
    t.jobs.cancel();
    await expect(job).rejects.toBeInstanceOf(JobCancelled);
    expect(t.saved).toEqual([]);
    expect(t.c.of('evaluation')).toEqual([]);
  });
});
