/**
 * "Copy results as JSON": the same report `npm run bench:browser` prints, to
 * the clipboard; when the browser refuses the clipboard, the JSON appears in
 * a labelled, pre-selected text area to copy by hand.
 */
import { useState } from 'react';
import type { BenchRow } from '../../bench/cases';
import { resultsJson } from './format';

export function CopyJson({ rows }: { rows: BenchRow[] }) {
  const [note, setNote] = useState('');
  const [fallback, setFallback] = useState<string | null>(null);
  const copy = async () => {
    const json = resultsJson(rows);
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(json);
      setFallback(null);
      setNote(`Copied ${rows.length} result${rows.length === 1 ? '' : 's'} as JSON.`);
    } catch {
      setFallback(json);
      setNote('The browser refused the clipboard: copy the JSON below.');
    }
  };
  return (
    <div>
      <button type="button" disabled={rows.length === 0} onClick={() => void copy()}>
        Copy results as JSON
      </button>{' '}
      <span role="status" className="hint" data-testid="bench-copy-note">
        {note}
      </span>
      {fallback !== null && (
        <label>
          <span className="visually-hidden">Results as JSON</span>
          <textarea
            className="bench-json"
            readOnly
            value={fallback}
            data-testid="bench-json"
            ref={(el) => el?.select()}
          />
        </label>
      )}
    </div>
  );
}
