/**
 * The settings the address asked for and this page could not use (a bad
 * value, an unknown name, a link from a newer version): each message names
 * the parameter, the value and what was used instead. Shown under the top
 * bar on every view until dismissed or another address is read.
 */
import { dismissUrlProblems, useAppStore } from '../../store';

export function UrlNotice() {
  const problems = useAppStore((s) => s.url.problems);
  if (problems.length === 0) return null;
  return (
    <div className="notice notice-warn url-notice" role="status" data-testid="url-notice">
      <div>
        <p>
          {problems.length === 1
            ? 'A setting in the address could not be used:'
            : `${problems.length} settings in the address could not be used:`}
        </p>
        <ul>
          {problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      </div>
      <button type="button" className="link" onClick={dismissUrlProblems}>
        Dismiss
      </button>
    </div>
  );
}
