/**
 * A picture of the data before training, next to Train: a few sample tasks
 * of the built-in family in use (its own sampler, this seed and episode
 * shape), or a few tasks / classes of the uploaded CSV in use (its first two
 * numeric columns). The worker draws the points (src/worker/preview.ts) when
 * the store asks it to (store/preview-sync.ts); this reads the store. Small
 * hand-drawn SVG, a few hundred circles at most, with the sentence under it
 * (preview-words.ts) as its text alternative. A picture of other settings
 * stays while the new one is on its way, marked busy.
 */
import { useId, useMemo } from 'react';
import type { Preview } from '../../worker/protocol';
import { useAppStore } from '../../store';
import { previewKey, previewRequestOf } from '../../store/preview-sync';
import { FAMILY_LABELS } from '../data/family-labels';
import { extent } from './preview-extent';
import { noPictureSentence, previewAxes, previewSummary } from './preview-words';
import { isCsvData } from './fit';

/** Okabe–Ito colours: told apart with the common colour-vision deficiencies. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
const W = 150;
const H = 100;

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
  const data = useAppStore((s) => s.setup.data);
  const pending = useAppStore((s) => (s.csv.inUse ? null : (s.csv.staged?.fileNames ?? null)));
  const staged = useAppStore((s) => s.csv.inUse && s.csv.staged !== null);
  const answer = useAppStore((s) => s.preview.answer);
  const wanted = useAppStore((s) => {
    const r = previewRequestOf(s);
    return r && previewKey(r);
  });
  const id = useId();
  const csv = isCsvData(data);
  if (!data) return null;
  // Only a picture of the same kind of data stands in while the current one is drawn.
  const kind = csv ? 'csv' : 'builtin';
  const usable = answer && answer.request.kind === kind && !(csv && !staged) ? answer : null;
  const none = (answered: boolean) => (
    <p className="help data-preview-none" data-testid="data-preview-summary">
      {noPictureSentence(
        { name: data.name, csv, image: data.imageShape !== undefined },
        pending,
        answered,
      )}
    </p>
  );
  if (!usable) return csv && !staged ? none(false) : null;
  const preview = usable.preview;
  if (!preview) return none(true);
  const n = preview.panels.length;
  const axes = previewAxes(preview);
  return (
    <figure
      className="data-preview"
      data-testid="data-preview"
      aria-busy={previewKey(usable.request) !== wanted || undefined}
    >
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
        {previewSummary(preview, FAMILY_LABELS)} Axes: {axes.x} across, {axes.y} up.
      </p>
    </figure>
  );
}
