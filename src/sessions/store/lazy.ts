/**
 * The sessions store for the page, loaded on first use: the store parses
 * every record it reads with zod schemas, and zod plus the session schema
 * are a fifth of the app's code, so they stay out of the entry chunk (see
 * scripts/check-bundle.ts) and arrive with the first call, which the page
 * makes right after its first render. Same API and errors as
 * createSessionStore; a failed load rejects that call and is retried on
 * the next.
 */
import type { SessionStore, SessionStoreOptions } from './session-store';

export function lazySessionStore(options: SessionStoreOptions = {}): SessionStore {
  let loading: Promise<SessionStore> | null = null;
  const load = (): Promise<SessionStore> => {
    if (!loading) {
      const attempt = import('./session-store').then((m) => m.createSessionStore(options));
      attempt.catch(() => {
        if (loading === attempt) loading = null;
      });
      loading = attempt;
    }
    return loading;
  };
  return {
    listSessions: async () => (await load()).listSessions(),
    getSession: async (id) => (await load()).getSession(id),
    saveSession: async (doc, opts) => (await load()).saveSession(doc, opts),
    renameSession: async (id, name) => (await load()).renameSession(id, name),
    duplicateSession: async (id, newName) => (await load()).duplicateSession(id, newName),
    deleteSession: async (id) => (await load()).deleteSession(id),
    undoDelete: async (id) => (await load()).undoDelete(id),
    purgeTrash: async (olderThanMs) => (await load()).purgeTrash(olderThanMs),
    listTrash: async () => (await load()).listTrash(),
    saveCheckpoint: async (id, checkpoint, opts) =>
      (await load()).saveCheckpoint(id, checkpoint, opts),
    getCheckpoint: async (id) => (await load()).getCheckpoint(id),
    clearCheckpoint: async (id) => (await load()).clearCheckpoint(id),
    listResumable: async () => (await load()).listResumable(),
    storageEstimate: async () => (await load()).storageEstimate(),
    requestPersistence: async () => (await load()).requestPersistence(),
    // Nothing loaded means nothing open.
    close: async () => (loading ? (await loading.catch(() => null))?.close() : undefined),
  };
}
