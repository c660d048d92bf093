/**
 * "See adaptation happen" (issue 5): once a model is kept (a run ended or
 * stopped, or a session was loaded) the panel adapts it to a held-out task
 * by itself, next to the two baselines, and offers the adaptation curve over
 * many tasks. Long jobs (training the pre-training baseline once per run,
 * evaluating hundreds of tasks) run in the worker and show a progress bar;
 * the page stays responsive meanwhile.
 */
import { useEffect } from 'react';
import { adaptationActions, useAppStore } from '../../store';
import { canAdapt } from '../../store/adaptation-actions';
import { AdaptationView } from './AdaptationView';
import { EvaluateCurve } from './EvaluateCurve';
import { TaskPicker } from './TaskPicker';
import { ThreeMetrics } from './ThreeMetrics';
import { ConfusionMatrix } from './ConfusionMatrix';
import { ProtocolTable } from './ProtocolTable';

function Progress() {
  const pending = useAppStore((s) => s.adaptation.pending);
  const progress = useAppStore((s) => s.adaptation.progress);
  if (!pending) return null;
  const what =
    progress?.phase === 'baseline'
      ? `Training the pre-training baseline once for this run: step ${progress.done} of ${progress.total}`
      : progress?.phase === 'evaluate'
        ? `Evaluating: ${progress.done} of ${progress.total} tasks`
        : progress?.phase === 'confusion'
          ? `Confusion matrix: ${progress.done} of ${progress.total} episodes`
          : progress?.phase === 'protocol'
            ? `Papers' protocol, ${progress.label ?? ''}: ${progress.done} of ${progress.total} episodes`
            : pending === 'adapt'
              ? 'Adapting…'
              : 'Starting the evaluation…';
  return (
    <div className="adapt-progress" role="status" data-testid="adaptation-progress">
      <progress
        max={progress?.total || 1}
        value={progress ? progress.done : undefined}
        aria-label="Adaptation progress"
      />{' '}
      <span>{what}</span>
    </div>
  );
}

export function AdaptationPanel() {
  const ready = useAppStore(canAdapt);
  const epoch = useAppStore((s) => s.adaptation.modelEpoch);
  const error = useAppStore((s) => s.adaptation.error);
  const hasModel = useAppStore((s) => s.adaptation.hasModel);
  const images = useAppStore((s) => s.setup.data?.imageShape !== undefined);
  useEffect(() => {
    if (ready) adaptationActions().adaptIfNew();
  }, [ready, epoch]);
  return (
    <section className="panel adaptation" aria-labelledby="adaptation-h">
      <h2 id="adaptation-h">Adaptation to new tasks</h2>
      {!hasModel && (
        <p className="hint">
          Train (or stop) a run, or open a session: its model is then adapted to held-out tasks
          here, next to joint pre-training + fine-tuning and training from scratch.
        </p>
      )}
      {hasModel && !ready && <p className="hint">Stop the run to adapt its model.</p>}
      {images && (
        <p className="hint" data-testid="adaptation-images-note">
          Image tasks: an episode of held-out classes with its support images and every query image,
          each model&apos;s predicted class and probability; below, the confusion matrix of the
          meta-learned model over many episodes and the papers&apos; evaluation protocol.
        </p>
      )}
      <TaskPicker />
      <Progress />
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <AdaptationView />
      {images && hasModel && (
        <>
          <h3>Confusion matrix over held-out episodes</h3>
          <ConfusionMatrix />
          <h3>Evaluation with the papers&apos; protocol</h3>
          <ProtocolTable />
        </>
      )}
      <h3>Adaptation curve over held-out tasks</h3>
      <EvaluateCurve />
      <ThreeMetrics />
    </section>
  );
}
