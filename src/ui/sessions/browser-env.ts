/**
 * The browser side of the session actions' environment: downloads through a
 * temporary object URL, the clipboard, and the page's address for links.
 */
import type { SessionEnv } from '../../store/sessions-actions';

export const browserSessionEnv: SessionEnv = {
  download(fileName, bytes, mime) {
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
  copy: (text) => navigator.clipboard.writeText(text),
  baseUrl: () => `${location.origin}${location.pathname}${location.search}`,
};

export async function readFileBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}
