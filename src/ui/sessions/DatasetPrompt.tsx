/**
 * The data a saved session could not carry, asked for when it is opened: a
 * CSV too large to travel with it (hash-checked here), or an uploaded image
 * set, which never travels with a session or a share link. An image set
 * comes back as a zip or as a folder — either form of the same files
 * matches (sessions/image-contents.ts); the worker checks it and, when it
 * is another set, says what differs while the prompt stays and nothing
 * else changes.
 */
import { sessionActions, useAppStore } from '../../store';
import { pickedFolder } from '../data/dropped';
import { readFileBytes } from './browser-env';

export function DatasetPrompt() {
  const prompt = useAppStore((s) => s.sessions.datasetPrompt);
  const images = useAppStore((s) => s.sessions.doc?.dataset.source === 'images');
  const acts = sessionActions();
  if (!prompt) return null;
  if (!images)
    return (
      <div className="notice notice-warn" data-testid="dataset-prompt">
        <p>
          This session&apos;s dataset “{prompt.name}” was too large to travel with it. Choose the
          file (its SHA-256 must be {prompt.sha256.slice(0, 12)}…):
        </p>
        <input
          type="file"
          multiple
          accept=".csv,text/csv"
          aria-label="Dataset file"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void Promise.all(
              files.map(async (f) => ({ fileName: f.name, bytes: await readFileBytes(f) })),
            ).then((fs) => acts.chooseDatasetFiles(fs));
          }}
        />
      </div>
    );
  return (
    <div className="notice notice-warn" data-testid="dataset-prompt">
      <p>
        This session&apos;s image set “{prompt.name}” is not stored with it. Choose the same zip or
        folder (a zip of the folder and the folder itself both match; the files are checked against
        the session&apos;s SHA-256, {prompt.sha256.slice(0, 12)}…):
      </p>
      <div className="field-row">
        <label className="field">
          <span>Image set zip</span>
          <input
            type="file"
            accept=".zip,application/zip"
            aria-label="Dataset file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) acts.chooseImageSet({ kind: 'zip', file });
            }}
          />
        </label>
        <label className="field">
          <span>Image set folder</span>
          <input
            type="file"
            aria-label="Dataset folder"
            // webkitdirectory is not in React's attribute types; every current browser supports it
            ref={(el) => el?.setAttribute('webkitdirectory', '')}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              acts.chooseImageSet(pickedFolder(files));
            }}
          />
        </label>
      </div>
    </div>
  );
}
