/**
 * Train, Pause, Resume, Stop and Reset. Each is a real button whose
 * accessible name is exactly its word; a button that cannot act in the
 * current state is disabled rather than hidden, so the row never jumps.
 * Train is also disabled while the configuration does not fit the data in
 * use, with the reasons (fit.ts) in its description, quoting today's values.
 * A session opened from a share link is read-only: in its place Train is
 * "Save a copy and train", which stores a copy and trains that.
 */
import { actions, sessionActions, useAppStore } from '../../store';
import { continuable } from '../../store/actions';
import { busyWith } from '../../store/bench-actions';
import { fitProblems } from './fit';

export function TrainControls() {
  const status = useAppStore((s) => s.run.status);
  const ready = useAppStore((s) => s.backend.active !== null && s.setup.data !== null);
  const hasHistory = useAppStore((s) => s.history.train.length > 0 || s.run.error !== null);
  const continues = useAppStore(
    (s) =>
      s.run.status === 'stopped' &&
      s.setup.runConfig !== null &&
      continuable(s.setup.runConfig, s.setup.config) &&
      s.setup.config.metaSteps > s.run.step,
  );
  const busy = useAppStore(busyWith);
  const readOnly = useAppStore((s) => s.sessions.current?.readOnly === true);
  const config = useAppStore((s) => s.setup.config);
  const data = useAppStore((s) => s.setup.data);
  const misfit = fitProblems(config, data);
  const running = status === 'compiling' || status === 'training';
  const canTrain =
    ready &&
    busy === null &&
    misfit.length === 0 &&
    (status === 'idle' || status === 'stopped' || status === 'done' || status === 'error');
  return (
    <div className="controls" role="group" aria-label="Training controls">
      <button
        type="button"
        className="primary"
        disabled={!canTrain}
        onClick={() => (readOnly ? void sessionActions().saveCopyAndTrain() : actions().train())}
        aria-describedby="train-hint"
      >
        {readOnly ? 'Save a copy and train' : 'Train'}
      </button>
      <button type="button" disabled={!running} onClick={() => actions().pause()}>
        Pause
      </button>
      <button type="button" disabled={status !== 'paused'} onClick={() => actions().resume()}>
        Resume
      </button>
      <button
        type="button"
        disabled={!(running || status === 'paused')}
        onClick={() => actions().stop()}
      >
        Stop
      </button>
      <button
        type="button"
        disabled={!(hasHistory || status === 'stopped' || status === 'done')}
        onClick={() => actions().reset()}
      >
        Reset
      </button>
      <span id="train-hint" className="hint">
        {misfit.length > 0 && (
          <span className="train-blocked" data-testid="train-blocked">
            Train waits for the configuration to fit the data: {misfit.join(' ')}
          </span>
        )}
        {misfit.length > 0
          ? ''
          : busy !== null
            ? `Train waits: ${busy}.`
            : readOnly
              ? 'This session came from a link and is read-only: training saves a copy here first.'
              : continues
                ? 'Train continues the stopped run from its weights.'
                : status === 'stopped'
                  ? 'Stopped: the weights trained so far are kept.'
                  : ''}
      </span>
    </div>
  );
}
