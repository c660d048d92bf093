/**
 * What the person must read about an upload: why it was refused (the data
 * shown before stays as it was), the repairs made with their counts, the
 * first problems in full sentences naming file, row and column, and the
 * settings lowered to fit the data. All of it is plain text: a column name
 * with markup in it is shown, never interpreted.
 */
import { useAppStore } from '../../store';
import { repairLines } from './csv-words';

const CAP_LABELS = { shots: 'Shots (K)', ways: 'Ways (N)', queries: 'Queries' } as const;

export function CsvRefusal() {
  const refusal = useAppStore((s) => s.csv.refusal);
  const hasStaged = useAppStore((s) => s.csv.staged !== null);
  if (!refusal) return null;
  return (
    <div className="notice notice-error" role="alert" data-testid="csv-refusal">
      <p>
        <strong>{refusal.stage === 'parse' ? 'Upload refused' : 'Roles not changed'}:</strong>{' '}
        {refusal.message}
      </p>
      <p className="help">
        {hasStaged
          ? 'The data shown below is unchanged.'
          : 'Nothing was loaded; the data in use is unchanged.'}
      </p>
    </div>
  );
}

export function CsvRepairs() {
  const report = useAppStore((s) => s.csv.staged?.report);
  const lowered = useAppStore((s) => s.csv.lowered);
  const inUse = useAppStore((s) => s.csv.inUse);
  const config = useAppStore((s) => s.setup.config);
  if (!report) return null;
  const lines = repairLines(report.problemCounts);
  return (
    <div className="csv-repairs">
      <h3>Repairs and notes</h3>
      {lines.length === 0 ? (
        <p className="help" data-testid="csv-repairs">
          No repairs were needed.
        </p>
      ) : (
        <ul data-testid="csv-repairs">
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
      {report.problems.length > 0 && (
        <details className="csv-problems">
          <summary>Details (the first {report.problems.length})</summary>
          <ul data-testid="csv-problems">
            {report.problems.map((p, i) => (
              <li key={i}>{p.message}</li>
            ))}
          </ul>
        </details>
      )}
      {inUse && lowered.length > 0 && (
        <p className="notice notice-warn" data-testid="csv-lowered">
          Lowered to fit this data:{' '}
          {lowered.map((k) => `${CAP_LABELS[k]} = ${config[k]}`).join(', ')}.
        </p>
      )}
      {report.notes.length > 0 && (
        <ul className="help csv-notes">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
