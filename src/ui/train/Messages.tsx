/**
 * The messages a person must not miss, at the top of the Training panel,
 * where the eyes are when they press Train: a run a reload or crash
 * interrupted (with Resume), a session link or file that could not be
 * opened (damaged, truncated, newer version), an upload that was refused,
 * and an error of the run. Each appears once on the page (the other panels
 * no longer repeat them) and all of it is rendered as text, never as HTML:
 * names and messages come from files and links.
 */
import { useState } from 'react';
import type { TrainConfig } from '../../core/spec/config';
import { sessionActions, useAppStore } from '../../store';

function SessionMessage() {
  const m = useAppStore((s) => s.sessions.message);
  if (!m) return null;
  return (
    <div
      className={`notice ${m.kind === 'error' ? 'notice-error' : ''}`}
      role={m.kind === 'error' ? 'alert' : 'status'}
      data-testid="session-message"
      data-kind={m.kind}
    >
      <p>{m.text}</p>
      <button type="button" className="link" onClick={sessionActions().dismissMessage}>
        Dismiss
      </button>
    </div>
  );
}

/** Stays while the session on screen is a link's read-only one; goes once a copy is saved. */
function ReadOnlyBanner() {
  const name = useAppStore((s) => (s.sessions.current?.readOnly ? s.sessions.current.name : null));
  if (name === null) return null;
  return (
    <div className="notice" role="status" data-testid="readonly-banner">
      <p>
        Viewing the shared session “{name}”, read-only: nothing is stored and it cannot be retrained
        in place. “Save a copy and train” (or “Save a copy” under Sessions) keeps a copy here.
      </p>
    </div>
  );
}

function ResumeOffers() {
  const resumable = useAppStore((s) => s.sessions.resumable);
  const currentId = useAppStore((s) => s.sessions.current?.id ?? null);
  const offers = resumable.filter((r) => r.id !== currentId);
  if (offers.length === 0) return null;
  const acts = sessionActions();
  return (
    <ul className="resume-offers" aria-label="Interrupted runs">
      {offers.map((r) => (
        <li key={r.id} className="notice notice-warn" data-testid="resume-offer" data-step={r.step}>
          <span>
            A run was interrupted: “{r.name ?? 'a session'}” stopped unexpectedly; its progress was
            saved at step {r.step}.
          </span>{' '}
          <button type="button" onClick={() => void acts.resumeFromCheckpoint(r.id)}>
            Resume from checkpoint
          </button>{' '}
          <button type="button" className="link" onClick={() => void acts.dismissResume(r.id)}>
            Discard
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Names the refused file(s) so the message is never read as being about another upload. */
function CsvRefusal() {
  const refusal = useAppStore((s) => s.csv.refusal);
  const names = useAppStore((s) => s.csv.refusedNames);
  const staged = useAppStore((s) => s.csv.staged?.fileNames ?? null);
  const inUse = useAppStore((s) => s.csv.inUse);
  const [dismissed, setDismissed] = useState<object | null>(null);
  if (!refusal || dismissed === refusal) return null;
  const what = names.length > 0 ? names.join(', ') : 'the upload';
  return (
    <div className="notice notice-error" role="alert" data-testid="csv-refusal">
      <p>
        <strong>{refusal.stage === 'parse' ? 'Upload refused' : 'Roles not changed'}:</strong>{' '}
        {refusal.message}
      </p>
      <p className="help">
        About {what}.{' '}
        {staged
          ? `The data panel still shows ${staged.join(', ')}${inUse ? ' (in use)' : ' (not in use)'}; nothing changed.`
          : 'Nothing was loaded; the data in use is unchanged.'}
      </p>
      <button type="button" className="link" onClick={() => setDismissed(refusal)}>
        Dismiss
      </button>
    </div>
  );
}

/** The settings of the run an error came from, when they are no longer those in the form. */
function staleNote(run: TrainConfig | null, now: TrainConfig): string | null {
  if (!run || JSON.stringify(run) === JSON.stringify(now)) return null;
  return `It came from the last run (N = ${run.ways}, K = ${run.shots}, queries = ${run.queries}); the settings have changed since.`;
}

function RunError() {
  const error = useAppStore((s) => s.run.error);
  const runConfig = useAppStore((s) => s.setup.runConfig);
  const config = useAppStore((s) => s.setup.config);
  const [dismissed, setDismissed] = useState<object | null>(null);
  if (!error || dismissed === error) return null;
  const stale = staleNote(runConfig, config);
  return (
    <div className="notice notice-error" role="alert" data-testid="error-message">
      <p>
        <strong>Error ({error.code}):</strong> {error.message}
      </p>
      {stale && <p className="help">{stale}</p>}
      <button type="button" className="link" onClick={() => setDismissed(error)}>
        Dismiss
      </button>
    </div>
  );
}

export function Messages() {
  return (
    <div className="messages" data-testid="training-messages">
      <ResumeOffers />
      <ReadOnlyBanner />
      <SessionMessage />
      <CsvRefusal />
      <RunError />
    </div>
  );
}
