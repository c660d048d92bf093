/**
 * What the person must read about an upload (a refusal is shown at the top
 * of the Training panel, train/Messages.tsx): the repairs made with their counts, the
 * first problems in full sentences naming file, row and column, and the
 * settings lowered to fit the data. All of it is plain text: a column name
 * with markup in it is shown, never interpreted.
 */
import { useAppStore } from '../../store';
import { repairLines } from './csv-words';

const CAP_LABELS = { shots: 'Shots (K)', ways: 'Ways (N)', queries: 'Queries' } as const;

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
