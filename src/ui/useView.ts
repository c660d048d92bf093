/**
 * Which view the address asks for: `#benchmark` is the Benchmark page, any
 * other fragment (none, or a share link's `#s1.…`) the training screen. The
 * fragment is the view's home, so the Back button and a bookmark work.
 */
import { useSyncExternalStore } from 'react';

export type View = 'training' | 'benchmark';

const viewOf = (hash: string): View => (hash === '#benchmark' ? 'benchmark' : 'training');

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useView(): View {
  return useSyncExternalStore(subscribe, () => viewOf(window.location.hash));
}
