/**
 * How much of the browser's storage the app uses, and asking the browser to
 * keep it (persistent storage is not evicted under storage pressure). The
 * StorageManager API is missing in Node, in insecure contexts and in some
 * browsers, and its calls may reject: these functions then answer null and
 * never throw, because the sessions panel only shows what they find.
 */

/** The parts of navigator.storage used here (injectable for tests). */
export interface StorageManagerLike {
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
  persisted?: () => Promise<boolean>;
  persist?: () => Promise<boolean>;
}

export interface StorageEstimate {
  /** bytes used by this origin, or null when the browser does not say */
  usage: number | null;
  /** bytes this origin may use, or null when the browser does not say */
  quota: number | null;
  /** whether storage is persistent (not evicted under pressure), or null when unknown */
  persisted: boolean | null;
}

export function defaultStorageManager(): StorageManagerLike | undefined {
  try {
    return (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator?.storage;
  } catch {
    return undefined;
  }
}

async function attempt<T>(call: (() => Promise<T>) | undefined, owner: unknown): Promise<T | null> {
  if (typeof call !== 'function') return null;
  try {
    return await call.call(owner);
  } catch {
    return null;
  }
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}

export async function storageEstimate(
  storage: StorageManagerLike | undefined = defaultStorageManager(),
): Promise<StorageEstimate> {
  const [estimate, persisted] = await Promise.all([
    attempt(storage?.estimate, storage),
    attempt(storage?.persisted, storage),
  ]);
  return {
    usage: count(estimate?.usage),
    quota: count(estimate?.quota),
    persisted: typeof persisted === 'boolean' ? persisted : null,
  };
}

/** Asks for persistent storage; true if granted, false if refused, null if it cannot be asked. */
export async function requestPersistence(
  storage: StorageManagerLike | undefined = defaultStorageManager(),
): Promise<boolean | null> {
  const granted = await attempt(storage?.persist, storage);
  return typeof granted === 'boolean' ? granted : null;
}
