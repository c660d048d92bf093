/**
 * The top bar: the app's name, the backend badge (what the worker really runs
 * on, with the fallback reason in its title) and the Backend picker, whose
 * change re-initializes the worker (after confirmation when a run exists).
 */
import { useId } from 'react';
import { actions, useAppStore } from '../../store';
import type { BackendRequest } from '../../worker/protocol';
import { BACKEND_LABELS, badgeText } from './badge';

const CHOICES: BackendRequest[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export function Header() {
  const backend = useAppStore((s) => s.backend);
  const selectId = useId();
  const text = badgeText(backend);
  const fallback = backend.active !== null && (backend.fallbackReason || backend.recovery);
  return (
    <header className="topbar">
      <div className="brand">
        <h1>Meta-Learning Playground</h1>
        <p className="tagline">Meta-train MAML, Reptile and friends on your GPU, in the browser.</p>
      </div>
      <div className="backend">
        <span
          className={`badge ${backend.active === 'webgpu' ? 'badge-gpu' : fallback ? 'badge-fallback' : ''}`}
          role="status"
          aria-label={`Backend in use: ${text}`}
          title={backend.fallbackReason ?? undefined}
          data-testid="backend-badge"
        >
          {text}
        </span>
        <div className="inline-field">
          <label htmlFor={selectId}>Backend</label>
          <select
            id={selectId}
            value={backend.requested}
            onChange={(e) => actions().setBackend(e.target.value as BackendRequest)}
          >
            {CHOICES.map((c) => (
              <option key={c} value={c}>
                {c === 'auto' ? 'Best available' : BACKEND_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
      </div>
    </header>
  );
}
