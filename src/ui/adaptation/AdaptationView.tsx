/**
 * One task adapted: for 1-D regression the plot (click to add a support
 * point) with the step slider and a Play button that walks the steps, and
 * the keyboard form for support points; for images the episode's pictures
 * with each model's predictions (ImageEpisode); for every problem the query metric
 * of each model after each step on this task (accuracy per step for
 * classification).
 */
import { memo, useEffect, useMemo, useState } from 'react';
import { adaptationActions, useAppStore } from '../../store';
import type { AdaptResult } from '../../worker/adapt-types';
import { LineFigure, type Series } from '../charts/LineFigure';
import { ADAPT_STEP_AXIS, axisUnit, metricUnit } from '../charts/units';
import { useTargetScale } from '../charts/useTargetScale';
import { fmt } from '../format';
import { AdaptationPlot } from './AdaptationPlot';
import { predictionsCsv } from './csv';
import { downloadText } from './download';
import { metricLabel, modelColor, modelLabel } from './models';
import { adaptationSentence, taskMetricSentence } from './summary';
import { SupportForm } from './SupportForm';
import { ImageEpisode } from './ImageEpisode';

const UNIT: [number, number] = [0, 1];
const AUTO: ['auto', 'auto'] = ['auto', 'auto'];
const percent = (v: number) => `${fmt(100 * v, 3)}%`;

const StepSlider = memo(function StepSlider({ result }: { result: AdaptResult }) {
  const step = useAppStore((s) => s.adaptation.step);
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const a = useAppStore.getState().adaptation;
      if (a.step >= result.steps) setPlaying(false);
      else adaptationActions().setStep(a.step + 1);
    }, 600);
    return () => clearInterval(timer);
  }, [playing, result.steps]);
  return (
    <div className="adapt-slider">
      <label htmlFor="adapt-step">Step</label>
      <input
        id="adapt-step"
        type="range"
        min={0}
        max={result.steps}
        step={1}
        value={Math.min(step, result.steps)}
        aria-label="Adaptation step"
        aria-valuetext={`${step} of ${result.steps} steps`}
        onChange={(e) => adaptationActions().setStep(Number(e.target.value))}
      />
      <output htmlFor="adapt-step" data-testid="adapt-step-value">
        {step} / {result.steps}
      </output>
      <button
        type="button"
        onClick={() => {
          if (!playing && step >= result.steps) adaptationActions().setStep(0);
          setPlaying(!playing);
        }}
      >
        {playing ? 'Pause animation' : 'Play'}
      </button>
    </div>
  );
});

/** Stable, so the memoized plot does not redraw when a job starts or ends. */
const addPoint = (x: number, y: number) => adaptationActions().addPoint(x, y);

const TaskMetric = memo(function TaskMetric({ result }: { result: AdaptResult }) {
  const target = useTargetScale();
  const data = useMemo(
    () =>
      Array.from({ length: result.steps + 1 }, (_, s) => {
        const row: { step: number } & Record<string, number> = { step: s };
        for (const m of result.models) row[m.name] = m.metric[s] as number;
        return row;
      }),
    [result],
  );
  const series: Series[] = useMemo(
    () =>
      result.models.map((m) => ({
        key: m.name,
        name: modelLabel(m.name),
        color: modelColor(m.name),
        width: 2,
        dots: true,
      })),
    [result],
  );
  const accuracy = result.metric === 'accuracy';
  const unit = metricUnit(result.metric, target);
  return (
    <LineFigure
      title={`Query ${metricLabel(result.metric)} on this task after each step`}
      unit={unit}
      axis={axisUnit('metric', result.metric)}
      xAxis={ADAPT_STEP_AXIS}
      summary={taskMetricSentence(result, unit)}
      data={data}
      series={series}
      testId="adaptation-task-metric"
      empty="No steps."
      yDomain={accuracy ? UNIT : AUTO}
      yFormat={accuracy ? percent : undefined}
      height={170}
    />
  );
});

export const AdaptationView = memo(function AdaptationView() {
  const result = useAppStore((s) => s.adaptation.result);
  const step = useAppStore((s) => s.adaptation.step);
  const target = useTargetScale();
  const summary = useMemo(
    () => adaptationSentence(result, step, result ? metricUnit(result.metric, target) : undefined),
    [result, step, target],
  );
  if (!result) return null;
  const oneD = result.grid !== null;
  return (
    <div className="adapt-view">
      {oneD && (
        <>
          <AdaptationPlot
            result={result}
            step={Math.min(step, result.steps)}
            summary={summary}
            onAddPoint={addPoint}
          />
          <StepSlider result={result} />
          <p className="hint">
            Click on the plot to add a support point there, or type one below; the adaptation is
            redone at once.
          </p>
          <div className="adapt-row">
            <SupportForm />
            <button
              type="button"
              onClick={() =>
                downloadText(`adaptation-step-${step}.csv`, predictionsCsv(result, step))
              }
            >
              Export plot CSV
            </button>
          </div>
        </>
      )}
      {!oneD && result.images && <ImageEpisode result={result} />}
      {!oneD && (
        <p className="chart-summary" data-testid="adaptation-plot-summary">
          {summary}
        </p>
      )}
      <TaskMetric result={result} />
    </div>
  );
});
