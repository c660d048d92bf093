/**
 * The "Download model" menu of the session area: TensorFlow.js, safetensors
 * (PyTorch) or the Python folder, each one zip made in the worker (the files
 * `npm run cli -- export` writes for the same session). After a download, a
 * snippet that uses it: the embeddable adapter (src/adapter,
 * docs/embed-example.html) for TensorFlow.js, PyTorch for safetensors,
 * adapt.py and torchrun for the Python folder.
 */
import { useId, useState } from 'react';
import { sessionActions, useAppStore } from '../../store';
import type { ModelExportFormat } from '../../worker/protocol';

const FORMATS: readonly { format: ModelExportFormat; label: string }[] = [
  { format: 'tfjs', label: 'TensorFlow.js (.zip: model.json, weights, adaptation card)' },
  { format: 'safetensors', label: 'safetensors for PyTorch (.zip: weights, adaptation card)' },
  { format: 'python', label: 'Python folder (.zip: model.py, adapt.py, train.py, weights, card)' },
];

/**
 * The snippet shown after a download. A conv net's snippet differs: images go
 * in as rows of H·W·C pixels, a task's queries are predicted in one call
 * (its batch norm uses the batch's statistics, as in the engine), and the
 * PyTorch model is the Python folder's model.py rather than a Sequential of
 * Linear layers.
 */
export function snippetFor(format: ModelExportFormat, fileName: string, conv = false): string {
  if (format === 'safetensors' && conv)
    return [
      `# unzip ${fileName}; the network is Conv-4 (the Python folder's model.py builds it)`,
      `from safetensors.torch import load_file`,
      `state = load_file('model.safetensors')  # conv weights OIHW, Linear [out, in]`,
      `# batch norm uses each batch's statistics: call the net in train() mode, one task at a time`,
    ].join('\n');
  if (format === 'safetensors')
    return [
      `# unzip ${fileName}, then in Python (torch and the safetensors package):`,
      `import json, torch`,
      `from safetensors.torch import load_file`,
      `card = json.load(open('adaptation.json'))`,
      `sizes = card['model']['layers']  # [input, hidden…, output]; ReLU between`,
      `layers = []`,
      `for i in range(len(sizes) - 1):`,
      `    layers += [torch.nn.Linear(sizes[i], sizes[i + 1]), torch.nn.ReLU()]`,
      `net = torch.nn.Sequential(*layers[:-1])`,
      `net.load_state_dict(load_file('model.safetensors'))`,
      `# adapt as card['adaptation'] says (or use the Python folder's adapt.py)`,
    ].join('\n');
  if (format === 'python') {
    const dir = fileName.replace(/\.zip$/, '');
    return [
      `# unzip ${fileName}; needs only PyTorch and numpy`,
      `cd ${dir}`,
      `python adapt.py --support support.csv --query queries.csv`,
      `# continue meta-training, split over 2 processes (gloo on CPU, nccl on GPUs):`,
      `torchrun --standalone --nproc_per_node=2 train.py --meta-steps 100 --out continued/`,
      `# several machines: see README.md in the folder (torchrun --nnodes)`,
    ].join('\n');
  }
  if (conv)
    return [
      `// unzip ${fileName} next to your page (model/), then:`,
      `import { loadAdapter } from './adapter.js';`,
      `const adapter = await loadAdapter('model/model.json');`,
      `// x: one row of H·W·C pixels per image; y: class index`,
      `const task = adapter.adapt({ x: supportImages, y: supportLabels });`,
      `// predict a task's images together: batch norm uses the batch's statistics`,
      `console.log(task.predict(queryImages));`,
    ].join('\n');
  return [
    `// unzip ${fileName} next to your page (model/), then:`,
    `import { loadAdapter } from './adapter.js';`,
    `const adapter = await loadAdapter('model/model.json');`,
    `console.log(adapter.columns); // the feature columns a row lists`,
    `const task = adapter.adapt({ x: [[0.5], [1.2], [2.0]], y: [0.3, 0.9, 1.1] });`,
    `console.log(task.predict([[0.7], [1.5]]));`,
  ].join('\n');
}

const CAPTION: Record<ModelExportFormat, string> = {
  tfjs: 'in a page with the embeddable adapter (see docs/embed-example.html)',
  safetensors: 'in PyTorch',
  python: 'with its Python folder',
};

export function DownloadModel({ hasDoc }: { hasDoc: boolean }) {
  const [open, setOpen] = useState(false);
  const exporting = useAppStore((s) => s.sessions.exportingModel);
  const done = useAppStore((s) => s.sessions.modelExport);
  const conv = useAppStore((s) => s.sessions.doc?.config.backbone === 'conv4');
  const menuId = useId();
  const pick = (format: ModelExportFormat) => {
    setOpen(false);
    sessionActions().downloadModel(format);
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
          {FORMATS.map((f) => (
            <li role="none" key={f.format}>
              <button type="button" role="menuitem" onClick={() => pick(f.format)}>
                {f.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {done && (
        <figure className="snippet">
          <figcaption>
            Use {done.fileName} {CAPTION[done.format]}:
          </figcaption>
          <pre data-testid="model-snippet" tabIndex={0} aria-label="Snippet that loads the model">
            <code>{snippetFor(done.format, done.fileName, conv)}</code>
          </pre>
        </figure>
      )}
    </div>
  );
}
