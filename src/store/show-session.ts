/**
 * Showing a session is a transition of the whole state (setup, run, history,
 * backend and sessions slices at once): it lives here, above slices.ts, not
 * in sessions-slice.ts, which slices.ts composes (that was an import cycle).
 */
import type { SessionDoc } from '../sessions/schema';
import { needsDatasetFile, withSessions, type SessionRef } from './sessions-slice';
import type { AppState } from './slices';

/**
 * Puts a session on screen: its curves, its configuration, the run as
 * stopped at its last step (so Train continues it when it has steps left),
 * its stored evaluation.
 */
export function showSession(s: AppState, doc: SessionDoc, ref: SessionRef): AppState {
  const h = doc.history;
  const cp = doc.checkpoint ?? null;
  const step = cp ? cp.step : h.stepsDone;
  const kind =
    doc.evaluation?.metric ??
    (doc.dataset.schema.kind === 'classification'
      ? 'accuracy'
      : doc.dataset.source === 'builtin' && doc.dataset.name === 'blobs'
        ? 'accuracy'
        : 'mse');
  const family =
    doc.dataset.source === 'builtin' &&
    (doc.dataset.name === 'sinusoid' ||
      doc.dataset.name === 'linear' ||
      doc.dataset.name === 'blobs')
      ? doc.dataset.name
      : s.setup.family;
  const next: AppState = {
    ...s,
    setup: {
      ...s.setup,
      family,
      config: { ...doc.config, hidden: [...doc.config.hidden] },
      runConfig: { ...doc.config, hidden: [...doc.config.hidden] },
      pending: null,
      epoch: s.setup.epoch + 1,
    },
    run: {
      ...s.run,
      status: 'stopped',
      step,
      totalSteps: doc.config.metaSteps,
      etaSec: NaN,
      tasksPerSec: NaN,
      compilingMessage: null,
      error: null,
      doneReason: 'stopped',
      bestStep: h.bestStep,
      memory: { first: null, last: null, peak: 0 },
      evaluation: null,
    },
    history: {
      train: h.train
        .filter((p) => p.step <= step)
        .map((p) => ({ step: p.step, trainLoss: p.trainLoss ?? NaN })),
      validation: h.validation
        .filter((p) => p.step <= step)
        .map((p) => ({ step: p.step, loss: p.loss ?? NaN, metric: p.metric ?? NaN })),
      throughput: [],
      metric: kind,
    },
    backend: { ...s.backend, recovery: null },
  };
  return withSessions(next, () => ({
    current: ref,
    doc,
    evaluation: doc.evaluation,
    evaluating: false,
    lastCheckpoint: null,
    shareUrl: null,
    datasetPrompt: needsDatasetFile(doc)
      ? { name: doc.dataset.name, sha256: doc.dataset.sha256 }
      : null,
  }));
}
