/**
 * Bringing your own image classes in: the input size and channels the
 * images are resized to, "Upload images (zip)" and "Upload image folder"
 * (one sub-folder per class, the ImageFolder convention), the progress
 * while the worker decodes, and a refusal of the whole upload (the data in
 * use did not change). Dropping a zip or a folder on the data panel is
 * handled by the panel (DataPanel.tsx); everything ends in the store's
 * uploadImages action.
 */
import { useId } from 'react';
import { actions, useAppStore } from '../../store';
import { pickedFolder } from './dropped';

const SIZES = [28, 32, 42, 56, 64, 84] as const;

export function ImageProgress() {
  const reading = useAppStore((s) => s.images.reading);
  const progress = useAppStore((s) => s.images.progress);
  const id = useId();
  if (reading === null) return null;
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  const text = total > 0 ? `${done} of ${total} files` : 'unpacking…';
  return (
    <div className="csv-progress" data-testid="images-progress">
      <label htmlFor={id}>Reading {reading}</label>
      <progress id={id} max={Math.max(1, total)} value={done} aria-valuetext={text} />
      <p className="help" role="status">
        {text}
      </p>
    </div>
  );
}

export function ImageRefusal() {
  const refusal = useAppStore((s) => s.images.refusal);
  const data = useAppStore((s) => s.setup.data);
  if (!refusal) return null;
  return (
    <p className="notice notice-error" role="alert" data-testid="images-refusal">
      <strong>Upload refused:</strong> {refusal.message} The data in use
      {data ? ` (${data.name})` : ''} did not change.
    </p>
  );
}

export function ImageUpload() {
  const busy = useAppStore((s) => s.images.reading !== null);
  const size = useAppStore((s) => s.images.size);
  const channels = useAppStore((s) => s.images.channels);
  const id = useId();
  return (
    <fieldset className="image-upload">
      <legend>Your own image classes</legend>
      <p className="help" id={`${id}-help`}>
        One sub-folder per class with its images inside (e.g. letters/a/1.png), as a .zip or a
        folder; PNG, JPEG, WebP or BMP. Every image is resized to the size below. You can also drop
        a zip or a folder on this panel.
      </p>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-size`}>Image size</label>
          <select
            id={`${id}-size`}
            value={size}
            disabled={busy}
            onChange={(e) => actions().setImageInput(Number(e.target.value), channels)}
          >
            {SIZES.map((n) => (
              <option key={n} value={n}>
                {n}×{n}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-channels`}>Colour</label>
          <select
            id={`${id}-channels`}
            value={channels}
            disabled={busy}
            onChange={(e) => actions().setImageInput(size, Number(e.target.value) === 3 ? 3 : 1)}
          >
            <option value={1}>Grayscale</option>
            <option value={3}>RGB</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-zip`}>Upload images (zip)</label>
        <input
          id={`${id}-zip`}
          type="file"
          accept=".zip,application/zip"
          disabled={busy}
          aria-describedby={`${id}-help`}
          onChange={(e) => {
            const file = e.target.files?.[0];
            // Cleared so picking the same file again (after fixing it) uploads it again.
            e.target.value = '';
            if (file) actions().uploadImages({ kind: 'zip', file });
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-folder`}>Upload image folder</label>
        <input
          id={`${id}-folder`}
          type="file"
          // webkitdirectory is not in React's attribute types; every current browser supports it
          ref={(el) => el?.setAttribute('webkitdirectory', '')}
          disabled={busy}
          aria-describedby={`${id}-help`}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            actions().uploadImages(pickedFolder(files));
          }}
        />
      </div>
      <ImageProgress />
      <ImageRefusal />
    </fieldset>
  );
}
