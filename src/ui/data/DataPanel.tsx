/**
 * The data panel: a built-in task family, your own tasks as CSV, or your
 * own image classes (a zip or a folder). The "Data" select switches between
 * the families and the uploads; the upload controls, the roles, the summary
 * and the messages of the upload follow. Files dropped anywhere on the
 * panel are uploaded like picked ones (a zip or a folder as images).
 * With a run in progress a new upload is only staged: "Use this data" then
 * asks before the run is thrown away.
 *
 * One source of truth for the data in use: the worker's last data-loaded
 * summary (setup.data). The Task family selector and its description follow
 * it — an earlier CSV still in use stays selected while a newer upload is
 * only staged — and a staged upload is a separate, visibly different choice.
 */
import { useId, useState, type DragEvent } from 'react';
import { BUILTIN_DESCRIPTIONS, BUILTIN_FAMILIES, type BuiltinName } from '../../core/spec/builtin';
import { actions, useAppStore } from '../../store';
import { isCsvData, isImageUpload } from '../train/fit';
import { CsvRepairs } from './CsvMessages';
import { CsvRoles } from './CsvRoles';
import { CsvSummary } from './CsvSummary';
import { CsvUpload } from './CsvUpload';
import { DataLoad } from './DataLoad';
import { droppedData } from './dropped';
import { ImageSummary } from './ImageSummary';
import { ImageUpload } from './ImageUpload';
import type { DataSummary } from '../../worker/protocol';
import { FAMILY_LABELS } from './family-labels';

/** The selector's values for the CSV in use and for an upload staged but not in use. */
const CSV_IN_USE = 'csv-in-use';
const CSV_STAGED = 'csv-staged';
/** The same for an uploaded image set. */
const IMAGES_IN_USE = 'images-in-use';
const IMAGES_STAGED = 'images-staged';

/** "784 inputs", or for images "28×28 grayscale images". */
function inputs(data: DataSummary): string {
  const im = data.imageShape;
  if (im) return `${im.width}×${im.height} ${im.channels === 1 ? 'grayscale' : 'colour'} images`;
  return `${data.inputDim} input${data.inputDim === 1 ? '' : 's'}`;
}

function hasFiles(e: DragEvent): boolean {
  return [...e.dataTransfer.types].includes('Files');
}

export function DataPanel() {
  const family = useAppStore((s) => s.setup.family);
  const data = useAppStore((s) => s.setup.data);
  const staged = useAppStore((s) => s.csv.staged);
  const inUse = useAppStore((s) => s.csv.inUse);
  const busy = useAppStore((s) => s.csv.phase !== 'idle');
  const loadFailed = useAppStore((s) => s.setup.loadError !== null);
  const imagesStaged = useAppStore((s) => s.images.staged);
  const imagesInUse = useAppStore((s) => s.images.inUse);
  const imagesBusy = useAppStore((s) => s.images.reading !== null);
  const [dragging, setDragging] = useState(false);
  const csvInUse = isCsvData(data);
  const imageUploadInUse = isImageUpload(data);
  const pendingUpload = staged !== null && !inUse;
  const pendingImages = imagesStaged !== null && !imagesInUse;
  const id = useId();
  const sizes = data?.splitSizes;
  const size = (n: number | null | undefined) => (n === null || n === undefined ? '∞' : String(n));
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setDragging(false);
    const dropped = droppedData(e.dataTransfer);
    if (dropped?.kind === 'csv' && !busy) actions().uploadCsv(dropped.files);
    if (dropped?.kind === 'images' && !imagesBusy)
      void dropped.upload.then((u) => actions().uploadImages(u));
  };
  return (
    <section
      className={`panel data-panel${dragging ? ' dragging' : ''}`}
      aria-labelledby={`${id}-h`}
      data-testid="data-panel"
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <h2 id={`${id}-h`}>Data</h2>
      <div className="field">
        <label htmlFor={`${id}-family`}>Task family</label>
        <select
          id={`${id}-family`}
          value={csvInUse ? CSV_IN_USE : imageUploadInUse ? IMAGES_IN_USE : family}
          aria-describedby={`${id}-desc`}
          onChange={(e) => {
            if (e.target.value === CSV_STAGED) actions().useCsv();
            else if (e.target.value === IMAGES_STAGED) actions().useImages();
            else if (e.target.value !== CSV_IN_USE && e.target.value !== IMAGES_IN_USE)
              actions().setFamily(e.target.value as BuiltinName);
          }}
        >
          {BUILTIN_FAMILIES.map((f) => (
            <option key={f} value={f}>
              {FAMILY_LABELS[f]}
            </option>
          ))}
          {csvInUse && data && (
            <option value={CSV_IN_USE}>Uploaded CSV (in use): {data.name}</option>
          )}
          {pendingUpload && (
            <option value={CSV_STAGED}>
              Uploaded CSV, not in use yet: {staged.fileNames.join(', ')}
            </option>
          )}
          {imageUploadInUse && data && (
            <option value={IMAGES_IN_USE}>Uploaded images (in use): {data.name}</option>
          )}
          {pendingImages && (
            <option value={IMAGES_STAGED}>
              Uploaded images, not in use yet: {imagesStaged.summary.name}
            </option>
          )}
        </select>
        <p className="help" id={`${id}-desc`} data-testid="data-description">
          {csvInUse || imageUploadInUse ? data?.description : BUILTIN_DESCRIPTIONS[family]}
        </p>
      </div>
      <DataLoad />
      <p className="data-summary" data-testid="data-summary">
        {data
          ? `${data.kind === 'regression' ? 'Regression' : 'Classification'} · ${inputs(data)} · ${data.kind === 'classification' ? 'classes' : 'tasks'} train/val/test ${size(sizes?.train)}/${size(sizes?.val)}/${size(sizes?.test)}`
          : loadFailed
            ? 'No data loaded.'
            : 'Loading the data…'}
      </p>
      <CsvUpload />
      {pendingUpload && !busy && (
        <p className="notice notice-staged" data-testid="csv-staged-note">
          {staged.fileNames.join(', ')} is read but not in use yet; training still uses{' '}
          {data?.name ?? 'the data above'}.{' '}
          <button type="button" className="primary" onClick={() => actions().useCsv()}>
            Use this data
          </button>
        </p>
      )}
      <div className={pendingUpload ? 'csv-staged-view' : undefined}>
        <CsvSummary />
        <CsvRoles />
        <CsvRepairs />
      </div>
      <ImageUpload />
      <ImageSummary />
    </section>
  );
}
