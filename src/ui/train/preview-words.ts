/**
 * The words of the data picture (DataPreview.tsx): its axis names and the
 * sentence under it, which is also its text alternative. Pure functions of
 * the worker's Preview (src/core/data/preview.ts) and the families' display
 * names, unit-tested.
 */
import type { BuiltinName } from '../../core/spec/builtin';
import type { Preview } from '../../worker/protocol';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What runs across (x) and up (y). */
export function previewAxes(p: Preview): { x: string; y: string } {
  const o = p.origin;
  if (o.from === 'csv') return { x: o.xColumn, y: o.yColumn };
  if (p.kind === 'classification') return { x: 'input 1', y: 'input 2' };
  return { x: o.inputDim > 1 ? `input 1 of ${o.inputDim}` : 'x', y: 'target' };
}

/**
 * "3 sample tasks of Sinusoid drawn with seed 1: 10 support (filled) and 10
 * query (open) points each." — `familyLabels` name the built-in families.
 */
export function previewSummary(
  p: Preview,
  familyLabels: Readonly<Record<BuiltinName, string>>,
): string {
  const o = p.origin;
  const n = p.panels.length;
  if (o.from === 'builtin') {
    const what =
      p.kind === 'classification'
        ? `${o.ways} classes each (colours), ${o.shots} support (filled) and ${o.queries} query (open) points per class`
        : `${o.shots} support (filled) and ${o.queries} query (open) points each`;
    return `${n} sample tasks of ${familyLabels[o.family]} drawn with seed ${o.seed}: ${what}.`;
  }
  const unit =
    p.kind === 'classification'
      ? `${plural(o.classes, 'class', 'classes')} (colours)${o.episodic ? '' : ` per task, ${plural(n, 'task')}`}`
      : `${plural(n, 'task')}, ${o.rows} rows`;
  return `${o.fileNames.join(', ')}: ${unit}, ${o.yColumn} against ${o.xColumn}, from the first rows of the file.`;
}

/**
 * Why there is no picture: a built-in family without one (Omniglot), an
 * upload staged but not in use, an uploaded file this page no longer has
 * (a session's data), or an upload with no two numbers to plot.
 */
export function noPictureSentence(
  data: { name: string; csv: boolean; image?: boolean },
  pending: readonly string[] | null,
  answered: boolean,
): string {
  if (data.image) return 'No picture of image data yet: sample images are not shown here.';
  if (!data.csv) return 'No picture of this data.';
  if (pending)
    return `No picture of ${data.name} while ${pending.join(', ')} is staged (not in use).`;
  if (answered) return `No picture of ${data.name}: it has no numeric column to plot.`;
  return `No picture of ${data.name}: its file is not open in this page.`;
}
