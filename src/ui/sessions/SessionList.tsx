/**
 * The stored sessions: name, dataset, algorithm, date, best metric, and
 * Open, Rename, Duplicate, Delete for each. Delete asks first (inline), and
 * the panel offers Undo afterwards. Names come from files and links: they
 * are rendered as text only. Each button's accessible name carries the
 * session's name ("Open leaf run"), so a screen reader's list of buttons
 * tells the rows apart. The step count is the newest the page knows: the
 * saved session's, or a later autosaved checkpoint's (what the banner says).
 */
import { useState } from 'react';
import type { SessionSummary } from '../../sessions/store/index';
import { sessionActions, useAppStore } from '../../store';
import { fmt } from '../format';

function bestText(s: SessionSummary): string {
  if (s.status !== 'ok' || !s.best) return '–';
  const b = s.best;
  const v = b.kind === 'accuracy' ? `${fmt(100 * b.value)}%` : fmt(b.value);
  return `${b.kind === 'mse' ? 'MSE' : 'accuracy'} ${v} (${b.source})`;
}

/** Steps done as the banner counts them: a newer checkpoint (autosave) counts over the saved copy. */
export function stepsShown(
  s: SessionSummary,
  checkpointStep: number | null | undefined,
): number | null {
  if (s.status !== 'ok') return null;
  return Math.max(s.stepsDone, checkpointStep ?? 0);
}

function Row({ s, current, steps }: { s: SessionSummary; current: boolean; steps: number | null }) {
  const [mode, setMode] = useState<'view' | 'rename' | 'confirm'>('view');
  const [draft, setDraft] = useState('');
  const acts = sessionActions();
  if (s.status !== 'ok') {
    return (
      <li className="session-row damaged" data-testid="session-row" data-id={s.id}>
        <span>Damaged session: {s.problem}</span>
        <button
          type="button"
          aria-label="Delete damaged session"
          onClick={() => void acts.remove(s.id)}
        >
          Delete
        </button>
      </li>
    );
  }
  return (
    <li
      className={`session-row${current ? ' current' : ''}`}
      data-testid="session-row"
      data-id={s.id}
      data-name={s.name}
    >
      {mode === 'rename' ? (
        <form
          className="session-rename"
          onSubmit={(e) => {
            e.preventDefault();
            void acts.rename(s.id, draft);
            setMode('view');
          }}
        >
          <label>
            New name
            <input value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus />
          </label>
          <button type="submit" aria-label={`OK, rename ${s.name}`}>
            OK
          </button>
          <button type="button" onClick={() => setMode('view')}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="session-info">
          <strong className="session-name">{s.name}</strong>
          <span className="session-meta">
            {s.datasetName} · {s.algorithm} ·{' '}
            <span data-testid="session-steps">{steps ?? s.stepsDone}</span> steps ·{' '}
            {new Date(s.updatedAt).toLocaleString()} · {bestText(s)}
          </span>
        </div>
      )}
      {mode === 'confirm' ? (
        <div className="session-confirm" role="group" aria-label={`Delete ${s.name}?`}>
          <span>Delete “{s.name}”?</span>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setMode('view');
              void acts.remove(s.id);
            }}
          >
            Yes, delete
          </button>
          <button type="button" onClick={() => setMode('view')}>
            Keep
          </button>
        </div>
      ) : (
        mode === 'view' && (
          <div className="session-buttons">
            <button
              type="button"
              aria-label={`Open ${s.name}`}
              onClick={() => void acts.open(s.id)}
            >
              Open
            </button>
            <button
              type="button"
              aria-label={`Rename ${s.name}`}
              onClick={() => {
                setDraft(s.name);
                setMode('rename');
              }}
            >
              Rename
            </button>
            <button
              type="button"
              aria-label={`Duplicate ${s.name}`}
              onClick={() => void acts.duplicate(s.id)}
            >
              Duplicate
            </button>
            <button
              type="button"
              aria-label={`Delete ${s.name}`}
              onClick={() => setMode('confirm')}
            >
              Delete
            </button>
          </div>
        )
      )}
    </li>
  );
}

export function SessionList() {
  const list = useAppStore((s) => s.sessions.list);
  const currentId = useAppStore((s) => s.sessions.current?.id ?? null);
  const resumable = useAppStore((s) => s.sessions.resumable);
  const lastStep = useAppStore((s) => s.sessions.lastCheckpoint?.step ?? null);
  if (list.length === 0) return <p className="help">No saved sessions yet.</p>;
  return (
    <ul className="session-list" aria-label="Saved sessions">
      {list.map((s) => (
        <Row
          key={s.id}
          s={s}
          current={s.id === currentId}
          steps={stepsShown(
            s,
            s.id === currentId ? lastStep : (resumable.find((r) => r.id === s.id)?.step ?? null),
          )}
        />
      ))}
    </ul>
  );
}
