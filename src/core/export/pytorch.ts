/**
 * The PyTorch-side exports of a model, as files in memory (name → bytes) so
 * the CLI writes them to a folder and the browser can zip or download them:
 * - 'safetensors': model.safetensors (+ inner_lr.safetensors for Meta-SGD)
 *   and the adaptation card adaptation.json;
 * - 'python': the same plus model.py, adapt.py, train.py and a README
 *   (src/core/export/python/, see scripts/python-templates.ts).
 * Conv-4 models export to safetensors and the card; their Python folder holds
 * model.py (build_conv4 loads the weights) but not yet adapt.py and train.py.
 */
import { hasLearnedLr, isConv, weightTensorCount, weightsSpec, type MlpSpec } from '../spec/model';
import { adaptationCard, RATES_FILE, WEIGHTS_FILE, type ExportInput } from './card';
import { PYTHON_TEMPLATES } from './python-templates';
import { writeSafetensors } from './safetensors';
import { convTorchTensors, mlpTorchTensors } from './torch-layout';

export interface ExportedFile {
  name: string;
  bytes: Uint8Array;
}

export function safetensorsFiles(e: ExportInput): ExportedFile[] {
  const card = adaptationCard(e);
  const meta = { format: 'pt', algorithm: e.config.algorithm, card: 'adaptation.json' };
  const cardFile = {
    name: 'adaptation.json',
    bytes: new TextEncoder().encode(JSON.stringify(card, null, 2) + '\n'),
  };
  if (isConv(e.spec))
    return [
      { name: WEIGHTS_FILE, bytes: writeSafetensors(convTorchTensors(e.spec, e.arrays), meta) },
      cardFile,
    ];
  const spec = weightsSpec(e.spec) as MlpSpec;
  // the network's arrays; Meta-SGD's rates follow in a file of their own, MAML++'s table is in the card
  const P = weightTensorCount(e.spec);
  const files: ExportedFile[] = [
    {
      name: WEIGHTS_FILE,
      bytes: writeSafetensors(mlpTorchTensors(spec, e.arrays.slice(0, P)), meta),
    },
  ];
  if (hasLearnedLr(e.spec))
    files.push({
      name: RATES_FILE,
      bytes: writeSafetensors(mlpTorchTensors(spec, e.arrays.slice(P)), {
        ...meta,
        content: 'Meta-SGD learned inner learning rates, one per weight',
      }),
    });
  files.push(cardFile);
  return files;
}

export function pythonFolderFiles(e: ExportInput): ExportedFile[] {
  const text = (name: string, s: string) => ({ name, bytes: new TextEncoder().encode(s) });
  // Conv-4: the network and its loader only; adapt.py and train.py handle MLPs so far
  if (isConv(e.spec))
    return [...safetensorsFiles(e), text('model.py', PYTHON_TEMPLATES['model.py'])];
  return [
    ...safetensorsFiles(e),
    ...Object.entries(PYTHON_TEMPLATES).map(([name, s]) => text(name, s)),
  ];
}
