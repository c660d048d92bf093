/**
 * The Benchmark view (#benchmark): measures the app's own workloads on this
 * machine — every picked backend × method × meta-batch × hidden size, one
 * fresh worker per case with a time budget — and shows a table, a chart per
 * backend, the PyTorch reference figures of issue 7 and a button to copy the
 * results as JSON, so people with real GPUs can report figures.
 *
 * The training worker stays idle meanwhile: Run waits for a training run to
 * end (and Train waits for the benchmark).
 */
import { PYTORCH, casesOf } from '../../bench/cases';
import { benchActions, useAppStore } from '../../store';
import { trainingBusy } from '../../store/bench-actions';
import { BenchmarkCharts } from './BenchmarkCharts';
import { BenchmarkForm } from './BenchmarkForm';
import { BenchmarkTable } from './BenchmarkTable';
import { CopyJson } from './CopyJson';
import { progressText } from './format';

export function BenchmarkPage() {
  const bench = useAppStore((s) => s.bench);
  const training = useAppStore(trainingBusy);
  const probing = useAppStore((s) => s.backend.probe.phase === 'probing');
  const running = bench.phase === 'running';
  const planned = casesOf(bench.selection).length;
  const blocker = training
    ? 'Stop or pause training first: the benchmark needs the cores to itself.'
    : probing
      ? 'Backends are being probed for the "Fastest" choice; Run waits for it.'
      : planned === 0
        ? 'Pick at least one backend, method, and a meta-batch and hidden size or an image episode.'
        : `${planned} case${planned === 1 ? '' : 's'} selected.`;
  const canRun = !running && !training && !probing && planned > 0;
  const done = bench.rows.length;
  return (
    <main className="bench" aria-labelledby="bench-h">
      <section className="panel" aria-labelledby="bench-h">
        <h2 id="bench-h">Benchmark</h2>
        <p className="hint">
          Times the app&apos;s meta-learning workloads on this machine (MAML sinusoid settings: K =
          10, one inner step; ProtoNet: 5-way 1-shot blobs; images: Conv-4 with batch-statistics
          batch norm on Omniglot-sized 28×28 episodes, 5 queries per class). A case that runs past
          its budget is stopped and reported as over budget.
        </p>
        <BenchmarkForm />
        <div className="controls" role="group" aria-label="Benchmark controls">
          <button
            type="button"
            className="primary"
            disabled={!canRun}
            aria-describedby="bench-hint"
            onClick={() => void benchActions().runBenchmark()}
          >
            Run
          </button>
          <button type="button" disabled={!running} onClick={() => benchActions().stopBenchmark()}>
            Stop
          </button>
          <span id="bench-hint" className="hint">
            {running ? '' : blocker}
          </span>
        </div>
        <p role="status" data-testid="bench-progress">
          {progressText(bench.phase, bench.cases, bench.index, bench.casePhase, done)}
        </p>
        <progress
          aria-label="Benchmark progress"
          max={Math.max(1, bench.cases.length)}
          value={done}
        />
      </section>
      <section className="panel" aria-labelledby="bench-results-h">
        <h2 id="bench-results-h">Results</h2>
        <BenchmarkTable rows={bench.rows} />
        <BenchmarkCharts rows={bench.rows} />
        <p className="hint">
          PyTorch 1.13 on a CPU (2 cores, one thread, meta-batch 25, 1-40-40-1), in meta-steps/s:
          MAML {PYTORCH.maml?.loop} as a per-task loop, {PYTORCH.maml?.batched} batched; first-order
          MAML {PYTORCH.fomaml?.loop} loop, {PYTORCH.fomaml?.batched} batched. The ratio is shown
          next to the rows with those settings.
        </p>
        <CopyJson rows={bench.rows} />
      </section>
    </main>
  );
}
