/**
 * Bringing CSV files in: the "Upload CSV" file picker (several files at once:
 * each is one task), the samples shipped in public/samples ("Try a sample",
 * each with the line saying where its data come from), and the progress bar
 * while the worker reads. Dropping files on the data panel is handled by the
 * panel (DataPanel.tsx); everything ends in the store's uploadCsv action.
 */
import { useEffect, useId, useState } from 'react';
import { actions, useAppStore } from '../../store';
import { fmtInt } from '../format';

interface SampleInfo {
  file: string;
  title: string;
  description: string;
  source: string;
}

const SAMPLES_URL = `${import.meta.env.BASE_URL}samples/`;

function useSamples(): SampleInfo[] {
  const [samples, setSamples] = useState<SampleInfo[]>([]);
  useEffect(() => {
    let live = true;
    fetch(`${SAMPLES_URL}index.json`)
      .then((r) => (r.ok ? (r.json() as Promise<SampleInfo[]>) : []))
      .then((list) => live && setSamples(list))
      .catch(() => live && setSamples([]));
    return () => {
      live = false;
    };
  }, []);
  return samples;
}

async function trySample(s: SampleInfo, onError: (m: string) => void): Promise<void> {
  try {
    const r = await fetch(`${SAMPLES_URL}${s.file}`);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const blob = await r.blob();
    actions().uploadCsv([new File([blob], s.file, { type: 'text/csv' })]);
  } catch (e) {
    onError(
      `The sample ${s.file} could not be fetched (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
}

export function CsvProgress() {
  const phase = useAppStore((s) => s.csv.phase);
  const reading = useAppStore((s) => s.csv.reading);
  const progress = useAppStore((s) => s.csv.progress);
  const id = useId();
  if (phase === 'idle') return null;
  if (phase === 'building')
    return (
      <p className="help" role="status">
        Applying the column roles…
      </p>
    );
  const fraction = progress?.fraction ?? 0;
  return (
    <div className="csv-progress" data-testid="csv-progress">
      <label htmlFor={id}>Reading {reading.join(', ')}</label>
      <progress
        id={id}
        max={1}
        value={fraction}
        aria-valuetext={`${Math.round(100 * fraction)}%`}
      />
      <p className="help" role="status">
        {Math.round(100 * fraction)}% · {fmtInt(progress?.rows ?? 0)} rows read
        {fraction >= 1 ? ' · building the tasks…' : ''}
      </p>
    </div>
  );
}

export function CsvUpload() {
  const samples = useSamples();
  const busy = useAppStore((s) => s.csv.phase !== 'idle');
  const [sampleError, setSampleError] = useState<string | null>(null);
  const id = useId();
  return (
    <div className="csv-upload">
      <div className="field">
        <label htmlFor={`${id}-file`}>Upload CSV</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
          multiple
          disabled={busy}
          aria-describedby={`${id}-help`}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            // Cleared so picking the same file again (after fixing it) uploads it again.
            e.target.value = '';
            actions().uploadCsv(files);
          }}
        />
        <p className="help" id={`${id}-help`}>
          One file in long format (one row per example, a header row), or several files at once
          (each file one task, same columns). You can also drop files on this panel.
        </p>
      </div>
      {samples.length > 0 && (
        <div className="samples" role="group" aria-labelledby={`${id}-samples`}>
          <h3 id={`${id}-samples`}>Try a sample</h3>
          <ul>
            {samples.map((s) => (
              <li key={s.file}>
                <button
                  type="button"
                  className="link"
                  disabled={busy}
                  onClick={() => {
                    setSampleError(null);
                    void trySample(s, setSampleError);
                  }}
                >
                  {s.title}
                </button>
                <p className="help">{s.description}</p>
                <p className="help sample-source">Source: {s.source}</p>
              </li>
            ))}
          </ul>
          {sampleError && <p className="field-error">{sampleError}</p>}
        </div>
      )}
      <CsvProgress />
    </div>
  );
}
