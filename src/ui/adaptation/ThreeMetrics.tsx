/**
 * The three metrics of the evaluation report (issue 14): adaptation speed,
 * generalization and robustness of the meta-learned model and both
 * baselines on the same held-out tasks, computed in the worker by the code
 * behind the CLI's `evaluate --metrics --json` (same numbers for the same
 * session, seed and backend). A short explanation of each metric sits above
 * the table; the table states its protocol and the CLI command that
 * reproduces it. Each cell carries its full-precision value as `data-value`.
 * Feature-row tasks only (sinusoid, CSV), as in the CLI.
 */
import { memo, useState, type FormEvent } from 'react';
import { metricsActions, useAppStore } from '../../store';
import { metricsBusy } from '../../store/metrics-actions';
import type { RobustnessEntry, ThreeMetricsReport } from '../../worker/three-metrics-types';
import { metricUnit } from '../charts/units';
import { useTargetScale } from '../charts/useTargetScale';
import { fmt } from '../format';
import { modelLabel } from './models';
import { NumberField } from './NumberField';

/** The CLI's defaults (core/train/three-metrics-run.ts): noise of 0.5 × sd, or 20% of labels flipped. */
const DEFAULT_FRACTION = { regression: '0.5', classification: '0.2' } as const;

function Explanations({ classification }: { classification: boolean }) {
  return (
    <dl className="metrics-help" data-testid="three-metrics-help">
      <dt>Adaptation speed</dt>
      <dd>
        How fast a model improves on a new task. Each model is adapted for 10 steps on every
        held-out task and the mean {classification ? 'accuracy' : 'MSE'} is taken after each step.{' '}
        <em>Steps to 90%</em> is the first step whose improvement over step 0 reaches 90% of the
        improvement after 10 steps (fewer is faster; – when the model does not improve).{' '}
        <em>Average level</em> is the area under that curve from step 0 to 10 divided by 10 (the
        trapezoid rule): the curve&apos;s mean height, {classification ? 'higher' : 'lower'} is
        better.
      </dd>
      <dt>Generalization</dt>
      <dd>
        Whether what was meta-learned carries over to tasks not seen in meta-training. The same
        10-step {classification ? 'accuracy' : 'MSE'} on meta-train tasks and on meta-test tasks,
        and the <em>gap</em>: how much worse the meta-test tasks are (positive = worse on new tasks;
        near 0 = no overfitting to the training tasks).
      </dd>
      <dt>Robustness</dt>
      <dd>
        How much the result suffers from a worse support set. The 10-step{' '}
        {classification ? 'accuracy' : 'MSE'} when the support labels are corrupted —{' '}
        {classification
          ? 'the set share of support labels flipped to another class'
          : 'Gaussian noise of the set fraction of the support targets’ standard deviation added to each target'}{' '}
        (the query set stays clean) — and when K is halved; in brackets the change from the clean
        result (positive = worse).
      </dd>
    </dl>
  );
}

const cell = (v: number | null, show: (v: number) => string) => (
  <td data-value={v === null ? '' : String(v)}>{v === null ? '–' : show(v)}</td>
);

function withChange(
  r: RobustnessEntry,
  show: (v: number) => string,
  signed: (v: number) => string,
) {
  return (
    <td data-value={r.changed === null ? '' : String(r.changed)} data-change={r.change ?? ''}>
      {r.changed === null ? '–' : show(r.changed)}
      {r.change !== null && <span className="metrics-change"> ({signed(r.change)})</span>}
    </td>
  );
}

export function cliCommand(r: ThreeMetricsReport): string {
  return (
    `npm run cli -- evaluate --session SESSION.json --episodes ${r.protocol.episodes} ` +
    `--steps 10 --metrics --corruption ${r.metrics.corruption.fraction} --json --backend ${r.protocol.backend}`
  );
}

const MetricsTable = memo(function MetricsTable({ report }: { report: ThreeMetricsReport }) {
  const t = report.metrics;
  const accuracy = t.metric === 'accuracy';
  const unit = metricUnit(t.metric, useTargetScale());
  const show = (v: number) => (accuracy ? `${fmt(100 * v)}%` : fmt(v));
  const signed = (v: number) => (v > 0 ? '+' : '') + (accuracy ? `${fmt(100 * v)} pts` : fmt(v));
  const p = report.protocol;
  const corruption =
    t.corruption.kind === 'noise'
      ? `noise of ${t.corruption.fraction} × the targets' sd`
      : `${fmt(100 * t.corruption.fraction)}% of labels flipped`;
  return (
    <div className="table-scroll">
      <table className="adapt-table" data-testid="three-metrics-table">
        <caption>
          The three metrics after {t.horizon} adaptation steps ({unit}), on {p.episodes} held-out{' '}
          {p.ways ? `${p.ways}-way ` : ''}
          {p.shots}-shot tasks per measurement, {p.queries} query examples each, inner learning rate{' '}
          {p.innerLr}, seed {p.seed}, backend {p.backend}; the same tasks for every model. Gaps and
          changes are positive when worse. The CLI gives no confidence interval for these figures
          (they are read off the mean curves), so none is shown; the adaptation curve above has each
          step&apos;s 95% CI.
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Steps to 90%</th>
            <th scope="col">Average level (area / 10)</th>
            <th scope="col">Meta-train tasks</th>
            <th scope="col">Meta-test tasks</th>
            <th scope="col">Gap</th>
            <th scope="col">Corrupted labels ({corruption})</th>
            <th scope="col">K halved (K = {t.halfShots})</th>
          </tr>
        </thead>
        <tbody>
          {report.order.map((name) => {
            const m = t.models[name];
            if (!m) return null;
            const g = m.generalization;
            return (
              <tr key={name} data-model={name}>
                <th scope="row">{modelLabel(name)}</th>
                {cell(m.speed.stepsTo90, String)}
                {cell(m.speed.auc, show)}
                {cell(g.train.final, show)}
                {cell(g.test.final, show)}
                {cell(g.gap, signed)}
                {withChange(m.robustness.corrupted, show, signed)}
                {withChange(m.robustness.halfShots, show, signed)}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint" data-testid="three-metrics-cli">
        Computed in {fmt(report.durationMs / 1000)} s. The same numbers from the command line, on
        the exported session: <code>{cliCommand(report)}</code>
      </p>
    </div>
  );
});

function MetricsProgress() {
  const m = useAppStore((s) => s.metrics);
  if (!m.pending) return null;
  const what = m.baseline
    ? `Training the pre-training baseline once for this run: step ${m.baseline.done} of ${m.baseline.total}`
    : m.progress
      ? `Computing the three metrics: ${m.progress.done} of ${m.progress.total} task adaptations (4 passes)`
      : 'Starting…';
  const bar = m.baseline ?? m.progress;
  return (
    <div className="adapt-progress" role="status" data-testid="three-metrics-progress">
      <progress
        max={bar?.total || 1}
        value={bar ? bar.done : undefined}
        aria-label="Three metrics progress"
      />{' '}
      <span>{what}</span>
    </div>
  );
}

export function ThreeMetrics() {
  const busy = useAppStore(metricsBusy);
  const hasModel = useAppStore((s) => s.adaptation.hasModel);
  const kind = useAppStore((s) => s.setup.data?.kind ?? 'regression');
  const images = useAppStore((s) => s.setup.data?.imageShape !== undefined);
  const report = useAppStore((s) => s.metrics.report);
  const error = useAppStore((s) => s.metrics.error);
  const [tasks, setTasks] = useState('200');
  const [fraction, setFraction] = useState<string | null>(null);
  const classification = kind === 'classification';
  const shownFraction = fraction ?? DEFAULT_FRACTION[kind];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    metricsActions().compute(Number(tasks), Number(shownFraction));
  };
  return (
    <div className="three-metrics" data-testid="three-metrics">
      <h3>The three metrics: speed, generalization, robustness</h3>
      <Explanations classification={classification} />
      {images ? (
        <p className="hint">
          The three metrics apply to feature-row tasks (a built-in family or a CSV), not images, for
          now.
        </p>
      ) : (
        <form className="adapt-task" onSubmit={submit} aria-label="Three metrics">
          <NumberField
            label="Held-out tasks per measurement"
            value={tasks}
            onChange={setTasks}
            min={1}
            max={10000}
          />
          <NumberField
            label={
              classification
                ? 'Share of support labels flipped'
                : 'Support label noise (× the targets’ sd)'
            }
            value={shownFraction}
            onChange={setFraction}
            min={0}
            max={1}
            step={0.05}
          />
          <button type="submit" disabled={busy || !hasModel}>
            Compute the three metrics
          </button>
        </form>
      )}
      <MetricsProgress />
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {report && <MetricsTable report={report} />}
    </div>
  );
}
