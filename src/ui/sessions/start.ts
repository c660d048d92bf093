/**
 * Sessions at page start: list what is stored (and what a crash left to
 * resume), forget deleted sessions older than a day, open a share link's
 * session when the address carries one (now and when the fragment changes),
 * and ask the worker for a last checkpoint when the page is being hidden.
 */
import { SHARE_PREFIX } from '../../sessions/limits';
import type { SessionStore } from '../../sessions/store/index';
import { sessionActions } from '../../store';

const DAY_MS = 24 * 60 * 60 * 1000;

export function startSessions(store: SessionStore): void {
  const acts = sessionActions();
  const openFromHash = () => {
    const hash = location.hash.slice(1);
    // Any "s<digits>." fragment is a session link (newer ones get a clear message).
    if (hash.startsWith(SHARE_PREFIX) || /^s\d+\./.test(hash)) void acts.openLink(hash);
  };
  void store
    .purgeTrash(DAY_MS)
    .catch(() => 0)
    .then(() => acts.refresh());
  openFromHash();
  window.addEventListener('hashchange', openFromHash);
  window.addEventListener('pagehide', () => acts.checkpointNow());
}
