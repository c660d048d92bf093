/**
 * The session's evaluation on held-out tasks, with the CLI's protocol: each
 * model's mean metric ± 95% CI after 0, 1, … adaptation steps. Every cell
 * also carries the full-precision value (data-value) so tests compare it
 * with `evaluate --json` exactly.
 */
import type { EvaluationResult } from '../../sessions/schema';
import { fmt } from '../format';

export function EvaluationTable({ evaluation }: { evaluation: EvaluationResult }) {
  const e = evaluation;
  const metric = e.metric === 'mse' ? 'MSE' : 'accuracy';
  return (
    <table className="session-eval" data-testid="session-evaluation">
      <caption>
        {metric} (mean ± 95% CI) on {e.episodes} held-out tasks, {e.shots}-shot, inner lr{' '}
        {e.innerLr}, seed {e.seed}
      </caption>
      <thead>
        <tr>
          <th scope="col">model</th>
          {e.steps.map((s) => (
            <th scope="col" key={s}>
              {s} step{s === 1 ? '' : 's'}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Object.entries(e.models).map(([name, m]) => (
          <tr key={name} data-model={name}>
            <th scope="row">{name}</th>
            {e.steps.map((s, i) => (
              <td key={s} data-step={s} data-value={String(m.mean[i] ?? 'null')}>
                {fmt(m.mean[i])} ± {fmt(m.ci95[i])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
