/**
 * The sessions panel: the session on screen (autosave state, Save / Save a
 * copy, Export, Copy share link, Evaluate), Import, the dataset file a link
 * could not carry, the stored sessions, and the space used. The offers to
 * resume an interrupted run and the messages of links and imports are shown
 * at the top of the Training panel (train/Messages.tsx), where they are seen. Every message and name is
 * rendered as text (React escapes it), never as HTML.
 */
import { useId } from 'react';
import { sessionActions, useAppStore } from '../../store';
import { fmt } from '../format';
import { EvaluationTable } from './EvaluationTable';
import { SessionList } from './SessionList';
import { readFileBytes } from './browser-env';
import { DownloadModel } from './DownloadModel';
import { DatasetPrompt } from './DatasetPrompt';

function mb(bytes: number | null): string {
  return bytes === null ? '?' : `${fmt(bytes / (1024 * 1024))} MB`;
}

function Storage() {
  const st = useAppStore((s) => s.sessions.storage);
  if (!st) return null;
  const persisted =
    st.persisted === null ? '' : st.persisted ? ', persistent' : ', may be evicted by the browser';
  return (
    <p className="help" data-testid="storage-used">
      Storage used: {mb(st.usage)} of {mb(st.quota)}
      {persisted}
    </p>
  );
}

/** Undo for a delete made here; the panel's other messages are at the top of the Training panel. */
function UndoDelete() {
  const deleted = useAppStore((s) => s.sessions.deleted);
  if (!deleted) return null;
  return (
    <p className="notice" role="status" data-testid="undo-delete">
      Deleted “{deleted.name}”.{' '}
      <button type="button" onClick={() => void sessionActions().undoDelete()}>
        Undo
      </button>
    </p>
  );
}

function Current() {
  const current = useAppStore((s) => s.sessions.current);
  // the worker saves a run's document; the page fetches it when Save, Export or Share ask
  const hasDoc = useAppStore((s) => s.sessions.current !== null);
  const last = useAppStore((s) => s.sessions.lastCheckpoint);
  const evaluation = useAppStore((s) => s.sessions.evaluation);
  const evaluating = useAppStore((s) => s.sessions.evaluating);
  const shareUrl = useAppStore((s) => s.sessions.shareUrl);
  const prompt = useAppStore((s) => s.sessions.datasetPrompt);
  const id = useId();
  const acts = sessionActions();
  return (
    <div className="session-current">
      {current ? (
        <p data-testid="current-session">
          <strong>{current.name}</strong>
          {current.readOnly ? ' (shared link, read-only)' : current.stored ? '' : ' (not saved)'}
          {last && (
            <span className="help" data-testid="autosave-status" data-step={last.step}>
              {' '}
              · autosaved at step {last.step}
            </span>
          )}
        </p>
      ) : (
        <p className="help">Train, open, import or follow a share link to get a session.</p>
      )}
      <div className="controls" role="group" aria-label="Session actions">
        <button type="button" disabled={!hasDoc} onClick={() => void acts.save()}>
          {current?.readOnly ? 'Save a copy' : 'Save session'}
        </button>
        <button type="button" disabled={!hasDoc} onClick={() => void acts.exportFile(false)}>
          Export session
        </button>
        <button type="button" disabled={!hasDoc} onClick={() => void acts.exportFile(true)}>
          Export .json.gz
        </button>
        <button type="button" disabled={!hasDoc} onClick={() => void acts.share()}>
          Copy share link
        </button>
        <DownloadModel hasDoc={hasDoc} />
        <button
          type="button"
          disabled={!hasDoc || evaluating || prompt !== null}
          onClick={() => acts.evaluate()}
        >
          {evaluating ? 'Evaluating…' : 'Evaluate session'}
        </button>
        <label className="file-button">
          Import session
          <input
            type="file"
            accept=".json,.gz,application/json,application/gzip"
            data-testid="import-session"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void readFileBytes(file).then((b) => acts.importFile(file.name, b));
            }}
          />
        </label>
      </div>
      {shareUrl && (
        <p className="field">
          <label htmlFor={`${id}-share`}>Share link</label>
          <input id={`${id}-share`} readOnly value={shareUrl} data-testid="share-url" />
        </p>
      )}
      <DatasetPrompt />
      {evaluation && <EvaluationTable evaluation={evaluation} />}
    </div>
  );
}

export function SessionsPanel() {
  const id = useId();
  return (
    <section className="panel sessions" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Sessions</h2>
      <UndoDelete />
      <Current />
      <h3>Saved sessions</h3>
      <SessionList />
      <Storage />
    </section>
  );
}
