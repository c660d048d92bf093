/**
 * The SHA-256 of the committed asset public/omniglot/omniglot-28.bin, as
 * scripts/build-omniglot.ts prints it. The loaders check a downloaded or
 * read asset against it (a truncated download or a stale cached copy is
 * refused with both digests in the message), and a unit test recomputes it
 * from the file, so the asset cannot change without this line changing.
 */
import { DataError } from '../types';

export const OMNIGLOT_ASSET_SHA256 =
  '149a715e6c8ca1355946d3b1441883fc79643b35cc227d36ede9188ec1964c43';

/** Where the asset lives under the app's public folder (and the repo's public/). */
export const OMNIGLOT_ASSET_PATH = 'omniglot/omniglot-28.bin';

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // crypto.subtle exists in browsers, workers and Node ≥ 20 alike.
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function checkOmniglotAsset(bytes: Uint8Array, where: string): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got !== OMNIGLOT_ASSET_SHA256) {
    throw new DataError(
      `The Omniglot asset from ${where} is damaged or out of date: its SHA-256 is ${got}, expected ${OMNIGLOT_ASSET_SHA256} (${bytes.length} bytes read).`,
      { file: where },
    );
  }
}
