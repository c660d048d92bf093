/**
 * The data summary of the staged upload, before any training: rows read,
 * dropped and used; tasks and examples per task (min / median / max);
 * classes and examples per class; the meta-split of tasks (or classes); the
 * largest K every task can serve; missing values per column; and a preview
 * of the first rows exactly as read (text, never markup).
 */
import type { DataReport } from '../../core/data/csv/report';
import type { DataLimits } from '../../worker/protocol';
import { useAppStore } from '../../store';
import { fmtInt } from '../format';
import { classesText, missingList, spreadText, splitText } from './csv-words';

function Preview({ report }: { report: DataReport }) {
  const p = report.preview;
  return (
    <div className="table-scroll">
      <table className="csv-preview" data-testid="csv-preview">
        <caption>First rows of {p.fileName} (row numbers as in a spreadsheet)</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            {p.header.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((row, r) => (
            <tr key={r}>
              <th scope="row">{p.rowNumbers[r]}</th>
              {row.map((cell, c) => (
                <td key={c}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function largestK(limits: DataLimits): string {
  return limits.shots === null ? 'unlimited' : String(limits.shots);
}

export function CsvSummary() {
  const staged = useAppStore((s) => s.csv.staged);
  const inUse = useAppStore((s) => s.csv.inUse);
  if (!staged) return null;
  const r = staged.report;
  const regression = r.schema.kind === 'regression';
  const episodic = r.schema.mode === 'episodic';
  const missing = missingList(r);
  return (
    <div className="csv-summary" data-testid="csv-summary">
      <h3>
        {staged.fileNames.join(', ')}{' '}
        <span className="help">{inUse ? '(in use)' : '(not in use)'}</span>
      </h3>
      <dl className="csv-stats">
        <div>
          <dt>Problem</dt>
          <dd>
            {regression ? 'Regression' : `Classification, ${episodic ? 'episodic' : 'per-task'}`}
          </dd>
        </div>
        <div>
          <dt>Rows</dt>
          <dd data-testid="csv-rows">
            {fmtInt(r.rows.read)} read · {fmtInt(r.rows.dropped)} dropped · {fmtInt(r.rows.used)}{' '}
            used
          </dd>
        </div>
        {!episodic && (
          <div>
            <dt>Tasks</dt>
            <dd data-testid="csv-tasks">{fmtInt(r.tasks)}</dd>
          </div>
        )}
        {!episodic && (
          <div>
            <dt>Examples per task</dt>
            <dd>{spreadText(r.examplesPerTask)} (min / median / max)</dd>
          </div>
        )}
        {!regression && (
          <div>
            <dt>Classes (examples)</dt>
            <dd data-testid="csv-classes">{classesText(r)}</dd>
          </div>
        )}
        {!regression && (
          <div>
            <dt>Examples per class</dt>
            <dd>{spreadText(r.examplesPerClass)} (min / median / max)</dd>
          </div>
        )}
        <div>
          <dt>Meta-train / val / test</dt>
          <dd data-testid="csv-split">{splitText(r)}</dd>
        </div>
        <div>
          <dt>Largest K</dt>
          <dd data-testid="csv-largest-k">{largestK(staged.limits)}</dd>
        </div>
        <div>
          <dt>Model inputs</dt>
          <dd>{r.normalization.inputDim}</dd>
        </div>
        <div>
          <dt>Read in</dt>
          <dd
            data-testid="csv-timing"
            data-parse-ms={Math.round(staged.parseMs)}
            data-build-ms={Math.round(staged.buildMs)}
            data-peak-bytes={staged.memory?.peakBytes ?? ''}
            data-memory-method={staged.memory?.method ?? 'unavailable'}
          >
            {(staged.parseMs / 1000).toFixed(2)} s, tasks built in{' '}
            {(staged.buildMs / 1000).toFixed(2)} s
          </dd>
        </div>
      </dl>
      <p className="help" data-testid="csv-missing">
        Missing values:{' '}
        {missing.length === 0
          ? 'none'
          : missing.map((m) => `${m.column}: ${fmtInt(m.count)}`).join(', ')}
      </p>
      <Preview report={r} />
    </div>
  );
}
