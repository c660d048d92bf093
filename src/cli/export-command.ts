/**
 * `export`: write a session's model to a folder in another format.
 *
 *   export --session S.json --format tfjs|safetensors|python --out DIR
 *
 * Each format is one entry of EXPORTERS (session → files in memory); this
 * command only resolves the session and writes the files. A new format is
 * one more entry there and one more choice in EXPORT_FORMATS.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SessionDoc } from '../sessions/index';
import { exportInputFromSession, tfjsExportInput } from '../sessions/export-input';
import { tfjsExportFiles } from '../core/export/tfjs-bundle';
import { pythonFolderFiles, safetensorsFiles, type ExportedFile } from '../core/export/pytorch';
import { useNodeBackend } from './backend-node';
import { CliError } from './errors';
import { readSessionFile } from './session-file';

type Exporter = (doc: SessionDoc) => ExportedFile[] | Promise<ExportedFile[]>;

/** The format switch. */
const EXPORTERS = {
  tfjs: async (doc) =>
    Object.entries(await tfjsExportFiles(tfjsExportInput(doc))).map(([name, bytes]) => ({
      name,
      bytes,
    })),
  safetensors: (doc) => safetensorsFiles(exportInputFromSession(doc)),
  python: (doc) => pythonFolderFiles(exportInputFromSession(doc)),
} satisfies Record<string, Exporter>;

export type ExportFormat = keyof typeof EXPORTERS;
export const EXPORT_FORMATS = Object.keys(EXPORTERS) as ExportFormat[];

export interface ExportFlags {
  session: string;
  format: ExportFormat;
  out: string;
}

/** The files of one format, for a session already read (tests and other commands use it). */
export async function exportFiles(doc: SessionDoc, format: ExportFormat): Promise<ExportedFile[]> {
  if (!doc.weights) throw new CliError('the session has no trained weights yet');
  try {
    return await EXPORTERS[format](doc);
  } catch (e) {
    // the exporters' refusals (images too small for Conv-4's four pools, say) are worded for people
    if (e instanceof Error && !(e instanceof TypeError)) throw new CliError(e.message);
    throw e;
  }
}

export async function writeExport(files: readonly ExportedFile[], out: string): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
    for (const f of files) await writeFile(path.join(out, f.name), f.bytes);
  } catch (e) {
    throw new CliError(`cannot write to ${out}: ${(e as Error).message}`);
  }
}

export async function runExport(f: ExportFlags): Promise<void> {
  const doc = await readSessionFile(f.session);
  if (!doc.weights) throw new CliError(`${f.session} has no trained weights yet`);
  // the TensorFlow.js export builds its model with tfjs: CPU is exact and plenty for a save
  if (f.format === 'tfjs') await useNodeBackend('cpu');
  const files = await exportFiles(doc, f.format);
  await writeExport(files, f.out);
  process.stderr.write(
    `wrote ${files.map((x) => x.name).join(', ')} to ${f.out}\n` +
      (f.format === 'python'
        ? `adapt: python ${path.join(f.out, 'adapt.py')} --support support.csv --query queries.csv\n` +
          `train: torchrun --standalone --nproc_per_node=2 ${path.join(f.out, 'train.py')} --meta-steps 100 --out continued/\n`
        : ''),
  );
}
