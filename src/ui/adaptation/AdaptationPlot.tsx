/**
 * The picture of Figure 2 of the MAML paper, live: on a 1-D regression task,
 * the true function (or the query points when it is unknown), the K support
 * points, the meta-learned model before adaptation and after the slider's
 * number of steps, and both baselines after the same steps.
 *
 * The drawing is recharts (AdaptationCanvas, loaded lazily with it); this
 * shell picks the curves for the step, fixes the y range per task (so the
 * plot does not jump while the slider moves), and keeps the caption, legend
 * and sentence in the entry chunk. The drawing is hidden from assistive
 * technology; the sentence and the "Add support point" form are the
 * accessible route to the same thing.
 */
import { Suspense, lazy, memo, useId, useMemo } from 'react';
import { ImageExport } from './ImageExport';
import type { AdaptResult } from '../../worker/adapt-types';
import { META_COLOR, SUPPORT_COLOR, TRUTH_COLOR, modelColor, modelLabel } from './models';
import type { PlotCurve } from './AdaptationCanvas';
import { yRange } from '../charts/shape';
import { useTargetScale } from '../charts/useTargetScale';
import { useWidth } from '../useWidth';

const AdaptationCanvas = lazy(() => import('./AdaptationCanvas'));

export interface AdaptationPlotProps {
  result: AdaptResult;
  step: number;
  summary: string;
  onAddPoint?: (x: number, y: number) => void;
}

const HEIGHT = 300;

function curvesAt(r: AdaptResult, step: number): PlotCurve[] {
  const out: PlotCurve[] = [];
  const [main, ...baselines] = r.models;
  if (!main) return out;
  const before = main.predictions[0];
  if (before && step > 0)
    out.push({
      key: `${main.name}-0`,
      model: main.name,
      step: 0,
      label: `${modelLabel(main.name)}, before adaptation`,
      color: '#93b4f5',
      dash: '6 4',
      width: 1.8,
      values: before,
    });
  for (const b of baselines) {
    const v = b.predictions[step];
    if (v)
      out.push({
        key: `${b.name}-${step}`,
        model: b.name,
        step,
        label: `${modelLabel(b.name)}, ${step} step${step === 1 ? '' : 's'}`,
        color: modelColor(b.name),
        width: 1.8,
        values: v,
      });
  }
  const after = main.predictions[step];
  if (after)
    out.push({
      key: `${main.name}-${step}`,
      model: main.name,
      step,
      label: `${modelLabel(main.name)}, ${step} step${step === 1 ? '' : 's'}`,
      color: META_COLOR,
      width: 2.6,
      values: after,
    });
  return out;
}

function AdaptationPlotImpl(p: AdaptationPlotProps) {
  const id = useId();
  const [ref, width] = useWidth<HTMLDivElement>();
  const r = p.result;
  const curves = useMemo(() => curvesAt(r, p.step), [r, p.step]);
  // The y range stays put while the slider moves: it depends on the task, not the step.
  const yDomain = useMemo(() => {
    const anchors = [r.support.y, r.truth ?? r.query.y];
    const all = r.models.flatMap((m) => [m.predictions[0], m.predictions.at(-1)]);
    return yRange(
      anchors,
      all.filter((v): v is Float32Array => v !== undefined),
    );
  }, [r]);
  // A CSV's inputs and target reach the model standardized; a built-in family's are as drawn.
  const scaled = useTargetScale() !== null;
  if (!r.grid) return null;
  return (
    <figure
      className="chart adapt-figure"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-s`}
      data-testid="adaptation-plot"
    >
      <figcaption id={`${id}-t`}>
        Adaptation to {r.taskLabel}{' '}
        <span className="chart-unit">
          ({scaled ? 'x and y in standardized units' : "x and y in the task's own units"})
        </span>
      </figcaption>
      <div className="chart-canvas" ref={ref} style={{ height: HEIGHT }} aria-hidden="true">
        {width > 0 && (
          <Suspense fallback={null}>
            <AdaptationCanvas
              result={r}
              curves={curves}
              width={Math.max(width, 200)}
              height={HEIGHT}
              yDomain={yDomain}
              onAddPoint={p.onAddPoint}
              xLabel={scaled ? 'x (standardized)' : 'x'}
              yLabel={scaled ? 'y (standardized)' : 'y'}
            />
          </Suspense>
        )}
      </div>
      <ul className="legend" aria-hidden="true">
        {r.truth && (
          <li>
            <span className="swatch" style={{ background: TRUTH_COLOR }} /> true function
          </li>
        )}
        <li>
          <span className="swatch tri" style={{ color: SUPPORT_COLOR }}>
            ▲
          </span>{' '}
          {r.support.x.length} support points
        </li>
        {curves.map((c) => (
          <li key={c.key}>
            <span
              className={c.dash ? 'swatch dashed' : 'swatch'}
              style={{ background: c.dash ? undefined : c.color, borderColor: c.color }}
            />{' '}
            {c.label}
          </li>
        ))}
      </ul>
      <p className="chart-summary" id={`${id}-s`} data-testid="adaptation-plot-summary">
        {p.summary}
      </p>
      <ImageExport box={ref} name={`adaptation-step-${p.step}`} what="the plot" />
    </figure>
  );
}

export const AdaptationPlot = memo(AdaptationPlotImpl);
