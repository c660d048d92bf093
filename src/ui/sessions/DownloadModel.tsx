/**
 * The "Download model" menu of the session area: TensorFlow.js (a zip of
 * model.json, model.weights.bin and adaptation.json, made in the worker) now;
 * safetensors and the Python folder are listed, disabled, with the reason,
 * until their export lands. After a download, the snippet that loads the
 * model with the embeddable adapter (src/adapter, docs/embed-example.html).
 */
import { useId, useState } from 'react';
import { sessionActions, useAppStore } from '../../store';

const LATER = 'coming with the PyTorch export (not in this build yet)';

export function snippetFor(fileName: string): string {
  return [
    `// unzip ${fileName} next to your page (model/), then:`,
    `import { loadAdapter } from './adapter.js';`,
    `const adapter = await loadAdapter('model/model.json');`,
    `console.log(adapter.columns); // the feature columns a row lists`,
    `const task = adapter.adapt({ x: [[0.5], [1.2], [2.0]], y: [0.3, 0.9, 1.1] });`,
    `console.log(task.predict([[0.7], [1.5]]));`,
  ].join('\n');
}

export function DownloadModel({ hasDoc }: { hasDoc: boolean }) {
  const [open, setOpen] = useState(false);
  const exporting = useAppStore((s) => s.sessions.exportingModel);
  const done = useAppStore((s) => s.sessions.modelExport);
  const menuId = useId();
  const pick = () => {
    setOpen(false);
    sessionActions().downloadModel('tfjs');
  };
  return (
    <div
      className="download-model"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        disabled={!hasDoc || exporting}
        onClick={() => setOpen((o) => !o)}
      >
        {exporting ? 'Exporting model…' : 'Download model'}
      </button>
      {open && (
        <ul id={menuId} role="menu" aria-label="Download model as">
          <li role="none">
            <button type="button" role="menuitem" onClick={pick}>
              TensorFlow.js (.zip: model.json, weights, adaptation card)
            </button>
          </li>
          <li role="none">
            <button type="button" role="menuitem" disabled aria-description={LATER} title={LATER}>
              safetensors (PyTorch) — {LATER}
            </button>
          </li>
          <li role="none">
            <button type="button" role="menuitem" disabled aria-description={LATER} title={LATER}>
              Python folder (adapt.py, train.py) — {LATER}
            </button>
          </li>
        </ul>
      )}
      {done && (
        <figure className="snippet">
          <figcaption>
            Use {done.fileName} in a page with the embeddable adapter (see docs/embed-example.html):
          </figcaption>
          <pre data-testid="model-snippet" tabIndex={0} aria-label="Snippet that loads the model">
            <code>{snippetFor(done.fileName)}</code>
          </pre>
        </figure>
      )}
    </div>
  );
}
