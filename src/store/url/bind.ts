/**
 * Keeps the address and the store in step: the settings the page starts with
 * come from readUrl (main.tsx); from then on every change of the
 * configuration, family or backend is written to `location.hash` with
 * history.replaceState (no history entry per edit), and a settings fragment
 * pasted into this tab is read and applied (after confirmation when a run
 * exists, as any change that would discard one).
 *
 * Invariants: only an empty or a settings fragment is ever replaced; a share
 * link (`#s1.…`) and a view (`#benchmark`) are left as they are. A fragment
 * this page wrote itself is never read back (Back from #benchmark returns to
 * it): only one from outside is applied. The address is given as a small
 * window-like object, so Node tests drive this without a DOM.
 */
import type { StoreApi } from 'zustand';
import type { Actions } from '../actions';
import type { AppState } from '../slices';
import {
  REMEMBERED_KEY,
  fragmentKind,
  readUrl,
  rememberedText,
  settingsHash,
  type UrlProblem,
} from './codec';
import type { UrlSettings } from './settings';

/** Where the settings marked `remember` are kept (localStorage in the page). */
export interface RememberStore {
  setItem(key: string, value: string): void;
}

export interface UrlWindow {
  location: { pathname: string; search: string; hash: string };
  history: Pick<History, 'replaceState' | 'state'>;
  addEventListener(type: 'hashchange', listener: () => void): void;
  removeEventListener(type: 'hashchange', listener: () => void): void;
}

/** What of the store the address carries (the switches are not written, so their values do not matter). */
export function settingsOf(s: AppState): UrlSettings {
  return {
    config: s.setup.config,
    family: s.csv.inUse || s.images.inUse ? null : s.setup.family,
    backend: s.backend.requested,
    hideWebgpu: s.backend.hideWebgpu,
    debug: false,
  };
}

const touchesUrl = (a: AppState, b: AppState) =>
  a.setup.config !== b.setup.config ||
  a.setup.family !== b.setup.family ||
  a.setup.pending !== b.setup.pending ||
  a.csv.inUse !== b.csv.inUse ||
  a.images.inUse !== b.images.inUse ||
  a.backend.requested !== b.backend.requested;

/**
 * Starts keeping the address up to date; `problems` are those of the read
 * at start, shown until dismissed. Returns a function that stops it.
 */
export function keepUrl(
  store: Pick<StoreApi<AppState>, 'getState' | 'setState' | 'subscribe'>,
  actions: Pick<Actions, 'applySettings'>,
  win: UrlWindow,
  problems: UrlProblem[],
  remember?: RememberStore,
): () => void {
  let lastWritten: string | null = null;
  const showProblems = (list: UrlProblem[]) => store.setState({ url: { problems: list } });

  function write(): void {
    const { pathname, search, hash } = win.location;
    const kind = fragmentKind(hash);
    if (kind !== 'none' && kind !== 'settings') return;
    const next = settingsHash(settingsOf(store.getState()));
    lastWritten = next;
    if (next !== hash) win.history.replaceState(win.history.state, '', pathname + search + next);
  }

  function onHashChange(): void {
    const { search, hash } = win.location;
    const kind = fragmentKind(hash);
    if (kind === 'settings' && hash !== lastWritten) {
      const read = readUrl(search, hash);
      showProblems(read.problems);
      const { config, family, backend } = read.settings;
      actions.applySettings({ config, family, backend });
    }
    write();
  }

  showProblems(problems);
  write();
  const unsubscribe = store.subscribe((s, prev) => {
    if (touchesUrl(s, prev)) write();
    // Only a change made here is remembered, not what an address asked for at start.
    if (remember && s.backend.requested !== prev.backend.requested) {
      try {
        remember.setItem(REMEMBERED_KEY, rememberedText(settingsOf(s)));
      } catch {
        // storage full or blocked (private mode): the address still carries the choice
      }
    }
  });
  win.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}
