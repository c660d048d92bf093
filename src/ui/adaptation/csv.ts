/**
 * CSV exports of the adaptation figures, as pure functions of what the
 * charts and the table show. Numbers are written with full precision (the
 * shortest text that reads back as the same double), so the file holds
 * exactly the values behind the table's rounded cells; a missing value (a
 * step where the model diverged) is an empty cell.
 */
import type { AdaptResult, EvaluationCurve } from '../../worker/adapt-types';

const num = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);

const line = (cells: (string | number)[]) =>
  cells
    .map((c) => (typeof c === 'string' && /[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
    .join(',');

/** The adaptation curve, one row per model and step (the table's numbers, plus the band). */
export function curveCsv(curve: EvaluationCurve): string {
  const p = curve.protocol;
  const rows = [
    line([
      'model',
      'step',
      'mean',
      'ci95',
      'lower',
      'upper',
      'median',
      'diverged',
      'metric',
      'tasks',
      'shots',
      'ways',
      'queries',
      'inner_lr',
      'seed',
      'distinct_units',
      'unit_kind',
    ]),
  ];
  for (const name of curve.order) {
    const m = curve.models[name];
    if (!m) continue;
    curve.steps.forEach((step, i) => {
      const mean = m.mean[i] ?? null;
      const ci = m.ci95[i] ?? null;
      const band = mean !== null && ci !== null;
      rows.push(
        line([
          name,
          step,
          num(mean),
          num(ci),
          band ? num(mean - ci) : '',
          band ? num(mean + ci) : '',
          num(m.median[i]),
          m.diverged[i] ?? 0,
          curve.metric,
          p.episodes,
          p.shots,
          p.ways ?? '',
          p.queries,
          p.innerLr,
          p.seed,
          p.distinctUnits,
          p.unitKind,
        ]),
      );
    });
  }
  return rows.join('\n') + '\n';
}

/** The adaptation plot at one step: x, the truth, and each model's prediction. */
export function predictionsCsv(r: AdaptResult, step: number): string {
  const grid = r.grid;
  if (!grid) return '';
  const head = ['x', 'truth', ...r.models.map((m) => `${m.name}_step_${step}`)];
  const rows = [line(head)];
  for (let i = 0; i < grid.length; i++) {
    rows.push(
      line([
        num(grid[i]),
        num(r.truth?.[i]),
        ...r.models.map((m) => num(m.predictions[step]?.[i])),
      ]),
    );
  }
  return rows.join('\n') + '\n';
}

/** A file name that states the protocol, e.g. adaptation-curve-maml-600-tasks-K10-seed1.csv. */
export function curveFileName(curve: EvaluationCurve): string {
  const p = curve.protocol;
  const ways = p.ways ? `-N${p.ways}` : '';
  return `adaptation-curve-${curve.algorithm}-${p.episodes}-tasks-K${p.shots}${ways}-seed${p.seed}.csv`;
}
