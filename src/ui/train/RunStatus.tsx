/**
 * Where the run is: a sentence for the state (compiling kernels is a state
 * of its own, not a frozen page), the step counter, a progress bar with the
 * ETA, throughput, and the worker's live tensor count. The sentence is a
 * polite live region so screen readers hear state changes, not every step.
 */
import { useAppStore } from '../../store';
import type { RunStatus as Status } from '../../store/slices';
import { fmt, fmtDuration, fmtInt } from '../format';

function sentence(
  status: Status,
  step: number,
  compiling: string | null,
  reason: string | null,
): string {
  switch (status) {
    case 'starting':
      return 'Starting the training worker…';
    case 'idle':
      return 'Ready. Press Train to start meta-training.';
    case 'compiling':
      return compiling ?? 'Compiling kernels…';
    case 'training':
      return 'Training.';
    case 'paused':
      return `Paused at step ${step}.`;
    case 'stopping':
      return 'Stopping after the current meta-step…';
    case 'stopped':
      return `Stopped at step ${step}; the weights trained so far are kept.`;
    case 'done':
      return reason === 'early-stopped'
        ? `Stopped early at step ${step}: validation stopped improving.`
        : `Finished ${step} meta-steps.`;
    case 'error':
      return 'The run ended with an error (see above).';
    default:
      status satisfies never;
      return '';
  }
}

export function RunStatus() {
  const status = useAppStore((s) => s.run.status);
  const step = useAppStore((s) => s.run.step);
  const total = useAppStore((s) => s.run.totalSteps);
  const eta = useAppStore((s) => s.run.etaSec);
  const tps = useAppStore((s) => s.run.tasksPerSec);
  const compiling = useAppStore((s) => s.run.compilingMessage);
  const reason = useAppStore((s) => s.run.doneReason);
  const tensors = useAppStore((s) => s.run.memory.last?.numTensors ?? null);
  const firstTensors = useAppStore((s) => s.run.memory.first?.numTensors ?? null);
  const metaSteps = useAppStore((s) => s.setup.config.metaSteps);
  const shownTotal = total || metaSteps;
  const active = status === 'training' || status === 'paused' || status === 'compiling';
  return (
    <div className="run-status">
      <p className={`status-line status-${status}`} aria-live="polite" data-testid="run-status">
        {status === 'compiling' && <span className="spinner" aria-hidden="true" />}
        {sentence(status, step, compiling, reason)}
      </p>
      <div className="progress-row">
        <progress
          max={shownTotal}
          value={step}
          aria-label="Training progress"
          aria-valuetext={`step ${step} of ${shownTotal}`}
        />
        <span className="step-counter" data-testid="step-counter">
          Step {fmtInt(step)} / {fmtInt(shownTotal)}
        </span>
      </div>
      <dl className="stats">
        <div>
          <dt>ETA</dt>
          <dd data-testid="eta">{active && step > 0 ? fmtDuration(eta) : '–'}</dd>
        </div>
        <div>
          <dt>Throughput</dt>
          <dd>{step > 0 ? `${fmt(tps)} tasks/s` : '–'}</dd>
        </div>
        <div>
          <dt>Live tensors</dt>
          <dd
            data-testid="tensor-count"
            data-first={firstTensors ?? ''}
            data-last={tensors ?? ''}
            title="tf.memory().numTensors in the worker: constant from step to step when nothing leaks"
          >
            {tensors === null ? '–' : fmtInt(tensors)}
          </dd>
        </div>
      </dl>
    </div>
  );
}
