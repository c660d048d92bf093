/**
 * The Sweep panel (issue 14): a hyper-parameter search over the
 * configuration in the form. The search space, sampler, budget, workers and
 * successive halving are set here; the sweep runs in the training worker's
 * coordinator, each trial in a trial worker of its own (on WASM one per
 * spare core, on a GPU one at a time), so the page only draws. Results: the
 * sortable trial table, the optimization history, the importances, the
 * parallel-coordinates plot, and
 * "Train with these settings".
 */
import { useEffect } from 'react';
import { SAMPLER_NAMES, type SamplerName } from '../../core/spec/sweep-space';
import { useAppStore } from '../../store';
import { sweepActions } from '../../store/sweep-bind';
import { sweepBlocked, sweepRunning } from '../../store/sweep-actions';
import { spareCores } from '../../store/sweep-slice';
import { ParallelCoords } from './ParallelCoords';
import { SpaceForm } from './SpaceForm';
import { SweepHistory } from './SweepHistory';
import { SweepImportance } from './SweepImportance';
import { TrialsTable } from './TrialsTable';

const SAMPLER_LABELS: Record<SamplerName, string> = {
  grid: 'Grid (every combination)',
  random: 'Random',
  tpe: 'TPE (Bayesian; Optuna defaults)',
};

const GPU = new Set(['webgpu', 'webgl']);

function whole(text: string, lo: number, hi: number): number | null {
  const v = Number(text);
  return Number.isInteger(v) && v >= lo && v <= hi ? v : null;
}

function Settings({ disabled }: { disabled: boolean }) {
  const form = useAppStore((s) => s.sweep.form);
  const backend = useAppStore((s) => s.backend.active);
  const set = sweepActions().setForm;
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  const gpu = backend !== null && GPU.has(backend);
  const spare = spareCores(cores);
  // Trial workers on every core starve the page's own thread (measured: its
  // tasks then take three times their CPU time by the clock).
  const crowded = !gpu && form.workers > spare;
  return (
    <div className="fields sweep-settings">
      <label className="field">
        <span>Sampler</span>
        <select
          aria-label="Sampler"
          value={form.sampler}
          disabled={disabled}
          onChange={(e) => set({ sampler: e.target.value as SamplerName })}
        >
          {SAMPLER_NAMES.map((n) => (
            <option key={n} value={n}>
              {SAMPLER_LABELS[n]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Trials</span>
        <input
          type="number"
          min={1}
          max={500}
          aria-label="Trials"
          value={form.trials}
          disabled={disabled}
          onChange={(e) => {
            const v = whole(e.target.value, 1, 500);
            if (v !== null) set({ trials: v });
          }}
        />
      </label>
      <label className="field">
        <span>Parallel workers</span>
        <input
          type="number"
          min={1}
          max={Math.max(2, cores)}
          aria-label="Parallel workers"
          value={form.workers}
          disabled={disabled}
          aria-describedby="sweep-workers-help"
          onChange={(e) => {
            const v = whole(e.target.value, 1, Math.max(2, cores));
            if (v !== null) set({ workers: v });
          }}
        />
      </label>
      <p className="help" id="sweep-workers-help">
        On WASM, one trial worker per spare core ({spare} here); on WebGPU or WebGL trials run one
        at a time{gpu ? ' (the backend now is a GPU one)' : ''}.
        {crowded && (
          <span data-testid="sweep-workers-crowded">
            {' '}
            {form.workers} trial workers on {cores} core{cores === 1 ? '' : 's'} leave none for this
            page, so it may stutter while trials run
            {cores > 1 ? `; ${spare} keeps one core free` : ''}.
          </span>
        )}
      </p>
      <label className="field checkbox-field">
        <input
          type="checkbox"
          aria-label="Stop poor trials early (ASHA)"
          checked={form.pruning}
          disabled={disabled}
          onChange={(e) => set({ pruning: e.target.checked })}
        />{' '}
        <span>Stop poor trials early (ASHA, reduction factor 3)</span>
      </label>
      <label className="field">
        <span>Grace period (meta-steps)</span>
        <input
          type="number"
          min={1}
          aria-label="Grace period (meta-steps)"
          value={form.gracePeriod}
          disabled={disabled || !form.pruning}
          onChange={(e) => {
            const v = whole(e.target.value, 1, 1_000_000);
            if (v !== null) set({ gracePeriod: v });
          }}
        />
      </label>
    </div>
  );
}

function SweepStatus() {
  const w = useAppStore((s) => s.sweep);
  let text: string;
  switch (w.status) {
    case 'idle':
      return null;
    case 'refused':
      return (
        <p className="notice notice-error" role="alert" data-testid="sweep-status">
          The sweep did not start: {w.message}
        </p>
      );
    case 'running':
      text = `Sweeping: ${w.trials.length} of ${w.total || '…'} trials ended`;
      if (w.backend)
        text += ` · ${w.workersUsed} worker${w.workersUsed === 1 ? '' : 's'} on ${w.backend.toUpperCase()}`;
      break;
    case 'stopping':
      text = 'Stopping the sweep…';
      break;
    case 'stopped':
      text = `Sweep stopped after ${w.trials.length} trials (trials still running were dropped).`;
      break;
    case 'done':
      text = `Sweep finished: ${w.trials.length} trials.`;
      break;
  }
  return (
    <p className="status-line" role="status" data-testid="sweep-status">
      {text}
    </p>
  );
}

export function SweepPanel() {
  useEffect(() => sweepActions().fillSpace(), []);
  const running = useAppStore(sweepRunning);
  const blocked = useAppStore(sweepBlocked);
  const best = useAppStore((s) => s.sweep.best);
  return (
    <section className="panel sweep" aria-labelledby="sweep-h">
      <h2 id="sweep-h">Sweep</h2>
      <p className="hint">
        Search the settings of the configuration above: every setting not in the search space keeps
        its value, and each trial is its own run with the configuration&apos;s seed.
      </p>
      <SpaceForm disabled={running} />
      <Settings disabled={running} />
      <div className="controls">
        <button type="button" disabled={blocked !== null} onClick={() => sweepActions().start()}>
          Start sweep
        </button>
        <button type="button" disabled={!running} onClick={() => sweepActions().stop()}>
          Stop sweep
        </button>
        {best !== null && (
          <button type="button" onClick={() => sweepActions().applyTrial(best)}>
            Train with the best settings
          </button>
        )}
        {blocked !== null && !running && <span className="hint">{blocked}</span>}
      </div>
      <SweepStatus />
      <SweepHistory />
      <SweepImportance />
      <ParallelCoords />
      <TrialsTable />
    </section>
  );
}
