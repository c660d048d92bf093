/**
 * The browser's AssetLoader: fetches a file of the app's public folder and
 * reports progress as bytes arrive, for the worker's progress bar. `total`
 * is the Content-Length when the server sends one (null otherwise, e.g.
 * with on-the-fly compression), and the last report always has
 * loaded === the final size. A failed request rejects with the URL and the
 * HTTP status; nothing is cached here (the browser's HTTP cache does it).
 */
import type { AssetLoader } from '../builtin';

export interface AssetProgress {
  path: string;
  loaded: number;
  total: number | null;
}

export async function fetchWithProgress(
  url: string,
  onProgress: (loaded: number, total: number | null) => void,
  fetchImpl: typeof fetch = fetch,
): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (e) {
    throw new Error(
      `Could not download ${url}: ${e instanceof Error ? e.message : String(e)}. Check the connection and try again.`,
      { cause: e },
    );
  }
  if (!res.ok) throw new Error(`Could not download ${url}: HTTP ${res.status} ${res.statusText}.`);
  const header = Number(res.headers.get('content-length'));
  const total = Number.isFinite(header) && header > 0 ? header : null;
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    onProgress(bytes.length, total);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = res.body.getReader();
  onProgress(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, total);
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * An AssetLoader over `baseUrl` (the app's base, e.g. Vite's BASE_URL
 * resolved against the page), reporting each file's progress.
 */
export function browserAssetLoader(
  baseUrl: string,
  onProgress: (p: AssetProgress) => void = () => {},
  fetchImpl: typeof fetch = fetch,
): AssetLoader {
  return (path, onFileProgress) =>
    fetchWithProgress(
      new URL(path, baseUrl).href,
      (loaded, total) => {
        onProgress({ path, loaded, total });
        onFileProgress?.(loaded, total);
      },
      fetchImpl,
    );
}
