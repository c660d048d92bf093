/**
 * A finished (or stopped) run as a session document: best weights, the
 * pre-training baseline's weights, the curves, and a checkpoint of the last
 * step (weights, Adam state, RNG position) so the run can be resumed. The CLI
 * and the browser worker both build their sessions here, so a session means
 * the same thing wherever it was made.
 */
import { paramShapes } from '../core/spec/model';
import type { TrainConfig } from '../core/spec/config';
import type { TrainResult, TrainedModel } from '../core/train/trainer';
import { encodeWeights } from './weights';
import { newSession } from './new-session';
import { validateSession } from './restore';
import { SessionFormatError } from './errors';
import type { SessionDataset, SessionDoc, StoredSweep } from './schema';

export interface RunRecord {
  name: string;
  dataset: SessionDataset;
  config: TrainConfig;
  backend: string;
  /** the model to keep: the run's best weights (or a baseline's init) */
  main: TrainedModel;
  pretrain: TrainedModel | null;
  /** null for "from scratch", which has no run */
  result: TrainResult | null;
  /** the sweep the settings came from, when they came from one */
  sweep?: StoredSweep;
}

export function encodeModel(m: TrainedModel) {
  return encodeWeights(m.arrays, paramShapes(m.spec));
}

export function sessionFromRun(r: RunRecord): SessionDoc {
  const doc = newSession({
    name: r.name,
    dataset: r.dataset,
    config: r.config,
    backend: r.backend,
  });
  doc.weights = encodeModel(r.main);
  doc.baselines = { pretrain: r.pretrain ? encodeModel(r.pretrain) : null };
  const result = r.result;
  if (result) {
    doc.history = {
      train: result.history.train,
      validation: result.history.validation,
      bestStep: result.bestStep,
      stepsDone: result.stepsDone,
      stoppedReason: result.reason,
    };
    const opt = result.state.optimizer;
    doc.checkpoint = {
      step: result.state.step,
      rngState: result.state.rng,
      weights: encodeModel(result.last),
      optimizer: opt
        ? { name: opt.name, step: result.state.step, ...encodeWeights(opt.arrays, opt.shapes) }
        : { name: 'none', step: result.state.step, ...encodeWeights([], []) },
      earlyStopping: {
        bestLoss: result.state.best.value,
        sinceBest: result.state.sinceImprovement,
      },
    };
  }
  if (r.sweep) doc.sweep = r.sweep;
  const checked = validateSession(doc);
  if (!checked.ok)
    throw new SessionFormatError(`The trained session is not valid: ${checked.error}`);
  return checked.session;
}
