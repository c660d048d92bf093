/**
 * A picture of the data before training, next to Train: a few sample tasks
 * of the built-in family in use (its own sampler, this seed and episode
 * shape), or a few tasks / classes of the uploaded CSV in use (its first two
 * numeric columns, read from the first rows of the file in the page). Small
 * hand-drawn SVG, a few hundred circles at most, with the sentence under it
 * as its text alternative. Points come from preview-data.ts.
 */
import Papa from 'papaparse';
import { useEffect, useId, useMemo, useState } from 'react';
import type { CsvStaged } from '../../worker/protocol';
import { useAppStore } from '../../store';
import { filesFor } from '../data/upload-files';
import { FAMILY_LABELS } from '../data/family-labels';
import { builtinPreview, csvPreview, extent, type Preview } from './preview-data';
import { isCsvData } from './fit';

/** Okabe–Ito colours: told apart with the common colour-vision deficiencies. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
const W = 150;
const H = 100;
/** bytes read from the start of each file: enough rows for a picture, cheap for any file size */
const READ_BYTES = 256 * 1024;

async function readCsvPreview(staged: CsvStaged): Promise<Preview | null> {
  const files = filesFor(staged.fileNames);
  if (!files) return null;
  let header: string[] | null = null;
  const rows: string[][] = [];
  const fileOfRow: string[] = [];
  for (const f of files) {
    const cut = f.size > READ_BYTES;
    const text = await f.slice(0, READ_BYTES).text();
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
    const data = cut ? parsed.data.slice(0, -1) : parsed.data;
    const [head, ...body] = data;
    if (!head) continue;
    header ??= head;
    for (const r of body) {
      rows.push(r);
      fileOfRow.push(f.name);
    }
  }
  if (!header) return null;
  return csvPreview(
    header,
    rows,
    staged.report.schema,
    (i) => fileOfRow[i] ?? '',
    staged.fileNames.join(', '),
  );
}

function useCsvPreview(staged: CsvStaged | null): Preview | null {
  const [state, setState] = useState<{ from: CsvStaged | null; preview: Preview | null }>({
    from: null,
    preview: null,
  });
  useEffect(() => {
    if (!staged) return;
    let live = true;
    readCsvPreview(staged)
      .catch(() => null)
      .then((preview) => live && setState({ from: staged, preview }));
    return () => {
      live = false;
    };
  }, [staged]);
  return state.from === staged ? state.preview : null;
}

function Panel({ preview, index }: { preview: Preview; index: number }) {
  const p = preview.panels[index];
  const box = useMemo(() => extent(preview.panels), [preview]);
  if (!p) return null;
  const sx = (x: number) => 6 + ((x - box.x[0]) / (box.x[1] - box.x[0])) * (W - 12);
  const sy = (y: number) => H - 16 - ((y - box.y[0]) / (box.y[1] - box.y[0])) * (H - 26);
  return (
    <g transform={`translate(${index * (W + 8)},0)`}>
      <rect x={0.5} y={0.5} width={W - 1} height={H - 1} className="preview-frame" />
      <text x={W / 2} y={H - 4} textAnchor="middle" className="preview-title">
        {p.title.length > 24 ? `${p.title.slice(0, 23)}…` : p.title}
      </text>
      {p.points.map((q, i) => (
        <circle
          key={i}
          cx={sx(q.x)}
          cy={sy(q.y)}
          r={2.2}
          fill={q.support ? COLOURS[q.c % COLOURS.length] : 'none'}
          stroke={COLOURS[q.c % COLOURS.length]}
          strokeWidth={1}
        />
      ))}
    </g>
  );
}

export function DataPreview() {
  const family = useAppStore((s) => s.setup.family);
  const data = useAppStore((s) => s.setup.data);
  const seed = useAppStore((s) => s.setup.config.seed);
  const shots = useAppStore((s) => s.setup.config.shots);
  const ways = useAppStore((s) => s.setup.config.ways);
  const queries = useAppStore((s) => s.setup.config.queries);
  const staged = useAppStore((s) => (s.csv.inUse ? s.csv.staged : null));
  const pending = useAppStore((s) => (s.csv.inUse ? null : (s.csv.staged?.fileNames ?? null)));
  const id = useId();
  const csv = isCsvData(data);
  const builtin = useMemo(() => {
    if (csv || !data) return null;
    try {
      return builtinPreview(family, { seed, shots, ways, queries }, FAMILY_LABELS[family]);
    } catch {
      return null;
    }
  }, [csv, data, family, seed, shots, ways, queries]);
  const fromCsv = useCsvPreview(csv ? staged : null);
  const preview = csv ? fromCsv : builtin;
  if (!data) return null;
  if (!preview)
    return (
      <p className="help data-preview-none" data-testid="data-preview-summary">
        {!csv
          ? data.imageShape
            ? 'No picture of image data yet: sample images are not shown here.'
            : 'No picture of this data.'
          : pending
            ? `No picture of ${data.name} while ${pending.join(', ')} is staged (not in use).`
            : `No picture of ${data.name}: its file is not open in this page.`}
      </p>
    );
  const n = preview.panels.length;
  return (
    <figure className="data-preview" data-testid="data-preview">
      <figcaption className="preview-heading">What will be learned</figcaption>
      <svg
        viewBox={`0 0 ${n * (W + 8) - 8} ${H}`}
        role="img"
        aria-labelledby={`${id}-sum`}
        preserveAspectRatio="xMinYMin meet"
      >
        {preview.panels.map((_, i) => (
          <Panel key={i} preview={preview} index={i} />
        ))}
      </svg>
      <p className="help" id={`${id}-sum`} data-testid="data-preview-summary">
        {preview.summary} Axes: {preview.xLabel} across, {preview.yLabel} up.
      </p>
    </figure>
  );
}
