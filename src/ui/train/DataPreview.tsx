/**
 * A picture of the data before training, next to Train: a few sample tasks
 * of the built-in family in use (its own sampler, this seed and episode
 * shape), or a few tasks / classes of the uploaded CSV in use (its first two
 * numeric columns). The worker computes the points (src/worker/preview.ts)
 * when the store asks it to (store/preview-sync.ts); this reads the store.
 * Each panel is a recharts scatter drawn in the chart worker
 * (charts/offthread), like every chart of the app, so a new seed or upload
 * costs the page a markup assignment per panel; the panel titles and the
 * sentence under the picture (preview-words.ts, also its text alternative)
 * stay here. A picture of other settings stays while the new one is on its
 * way, marked busy.
 */
import { memo, useId, useMemo } from 'react';
import type { PreviewPanel } from '../../core/data/preview';
import type { Preview } from '../../worker/protocol';
import { useAppStore } from '../../store';
import { previewKey, previewRequestOf } from '../../store/preview-sync';
import { ChartDrawing } from '../charts/offthread/ChartDrawing';
import { FAMILY_LABELS } from '../data/family-labels';
import { useWidth } from '../useWidth';
import { extent, panelDrawing } from './preview-extent';
import { noPictureSentence, previewAxes, previewSummary } from './preview-words';
import { isCsvData } from './fit';

/** A panel's largest size and the gap between panels; narrower boxes shrink them alike. */
const W = 150;
const H = 84;
const GAP = 8;
/** the panel's border (styles.css, .preview-panel) */
const FRAME = 1;

const Panel = memo(function Panel(p: {
  panel: PreviewPanel;
  box: ReturnType<typeof extent>;
  width: number;
  height: number;
}) {
  const drawing = useMemo(
    () => panelDrawing(p.panel, p.box, p.width, p.height),
    [p.panel, p.box, p.width, p.height],
  );
  const title = p.panel.title;
  return (
    <div className="preview-panel">
      <div style={{ width: p.width, height: p.height }}>
        <ChartDrawing drawing={drawing} />
      </div>
      <span className="preview-title">{title.length > 24 ? `${title.slice(0, 23)}…` : title}</span>
    </div>
  );
});

/** The panels side by side on one extent, as wide as the box allows (W at most) inside their frames. */
function Panels({ preview, labelledBy }: { preview: Preview; labelledBy: string }) {
  const [ref, box] = useWidth<HTMLDivElement>();
  const points = useMemo(() => extent(preview.panels), [preview]);
  const n = preview.panels.length;
  const width = Math.min(W, Math.floor((box - GAP * (n - 1)) / Math.max(1, n)) - 2 * FRAME);
  const height = Math.round((width * H) / W);
  return (
    <div
      className="preview-panels"
      role="img"
      aria-labelledby={labelledBy}
      ref={ref}
      style={{ gap: GAP }}
    >
      {width > 0 &&
        preview.panels.map((panel, i) => (
          <Panel key={i} panel={panel} box={points} width={width} height={height} />
        ))}
    </div>
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
  const axes = previewAxes(preview);
  return (
    <figure
      className="data-preview"
      data-testid="data-preview"
      aria-busy={previewKey(usable.request) !== wanted || undefined}
    >
      <figcaption className="preview-heading">What will be learned</figcaption>
      <Panels preview={preview} labelledBy={`${id}-sum`} />
      <p className="help" id={`${id}-sum`} data-testid="data-preview-summary">
        {previewSummary(preview, FAMILY_LABELS)} Axes: {axes.x} across, {axes.y} up.
      </p>
    </figure>
  );
}
