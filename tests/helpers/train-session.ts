/**
 * Test helper: meta-train a configuration to the end on whatever tfjs backend
 * is set and return the session the app or the CLI would save for it (no
 * baseline), for tests of exports and adapters.
 */
import type { TaskSource } from '../../src/core/data/types';
import type { TrainConfig } from '../../src/core/spec/config';
import { Trainer } from '../../src/core/train/trainer';
import { sessionFromRun } from '../../src/sessions/from-run';
import type { SessionDoc } from '../../src/sessions/schema';

export async function trainSession(
  source: TaskSource,
  config: TrainConfig,
  dataset: SessionDoc['dataset'],
): Promise<SessionDoc> {
  const t = new Trainer(source, config);
  try {
    const result = await t.run();
    return sessionFromRun({
      name: `${config.algorithm} test`,
      dataset,
      config,
      backend: 'cpu',
      main: result.model,
      pretrain: null,
      result,
    });
  } finally {
    t.dispose();
  }
}
