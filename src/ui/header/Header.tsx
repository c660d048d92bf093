/**
 * The top bar: the app's name, the views (Training, the default, and
 * Benchmark at #benchmark), the backend badge (what the worker really runs
 * on, with the fallback reason or the probe's figures in its title) and the
 * Backend picker, whose change re-initializes the worker; a run moves there
 * from a fresh checkpoint, weights kept. The fused engines (issue 16) are
 * offered where the worker says it can run them. "Fastest" probes every backend first (see
 * store/bench-actions.ts); the picker waits while the benchmark runs.
 */
import { useId } from 'react';
import { actions, useAppStore } from '../../store';
import type { BackendPick } from '../../worker/protocol';
import { ENGINE_BACKEND_LABELS, FUSED_BACKENDS, isFusedBackend } from '../../core/spec/backend';
import type { BackendSlice } from '../../store/slices';
import { badgeText, probeTitle, probing } from './badge';
import type { View } from '../useView';

const CHOICES: BackendPick[] = [
  'auto',
  'fastest',
  'webgpu',
  'webgl',
  'wasm',
  'cpu',
  ...FUSED_BACKENDS,
];

const CHOICE_LABELS: Record<BackendPick, string> = {
  ...ENGINE_BACKEND_LABELS,
  auto: 'Best available',
  fastest: 'Fastest (timed probe)',
};

/**
 * The menu's choices: a fused engine only where the worker can run it (WASM
 * SIMD validates, navigator.gpu exists), or while it is the one asked for.
 */
export function backendChoices(b: Pick<BackendSlice, 'engines' | 'requested'>): BackendPick[] {
  return CHOICES.filter((c) => !isFusedBackend(c) || c === b.requested || b.engines?.[c] === null);
}

export function Header({ view }: { view: View }) {
  const backend = useAppStore((s) => s.backend);
  const benchRunning = useAppStore((s) => s.bench.phase === 'running');
  const selectId = useId();
  const text = badgeText(backend);
  const title =
    (probing(backend) ? probeTitle(backend.probe) : null) ?? backend.fallbackReason ?? undefined;
  const fallback = backend.active !== null && (backend.fallbackReason || backend.recovery);
  return (
    <header className="topbar">
      <div className="brand">
        <h1>Meta-Learning Playground</h1>
        <p className="tagline">Meta-train MAML, Reptile and friends on your GPU, in the browser.</p>
      </div>
      <nav className="views" aria-label="Views">
        <a href="#" aria-current={view === 'training' ? 'page' : undefined}>
          Training
        </a>
        <a href="#benchmark" aria-current={view === 'benchmark' ? 'page' : undefined}>
          Benchmark
        </a>
      </nav>
      <div className="backend">
        <span
          className={`badge ${backend.active === 'webgpu' ? 'badge-gpu' : fallback ? 'badge-fallback' : ''}`}
          role="status"
          aria-label={`Backend in use: ${text}`}
          title={title}
          data-testid="backend-badge"
        >
          {text}
        </span>
        <div className="inline-field">
          <label htmlFor={selectId}>Backend</label>
          <select
            id={selectId}
            value={backend.requested}
            disabled={benchRunning}
            title={benchRunning ? 'Wait for the benchmark to finish' : undefined}
            onChange={(e) => actions().setBackend(e.target.value as BackendPick)}
          >
            {backendChoices(backend).map((c) => (
              <option key={c} value={c}>
                {CHOICE_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
      </div>
    </header>
  );
}
