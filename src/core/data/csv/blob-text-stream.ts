/**
 * A Blob's text, delivered in chunks through the small event interface that
 * Papa Parse accepts from a Node readable stream (`readable`, `read`, `on`,
 * `removeListener`, `pause`, `resume`). Bytes are read slice by slice and
 * decoded with one streaming TextDecoder, so a multi-byte character split
 * between two slices comes out whole. A byte order mark selects UTF-16 and
 * is dropped, as is a UTF-8 one. `pump` emits 'data' per slice, then 'end'
 * (or 'error'); it stops early when `stop()` says so. With `strict`, bytes
 * that are not valid in the encoding end the stream with an InvalidUtf8Error
 * naming the line (counted from the text emitted so far).
 */

/** Bytes that are not valid UTF-8, first on `line` (1-based). */
export class InvalidUtf8Error extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is not valid UTF-8`);
    this.name = 'InvalidUtf8Error';
  }
}

const countNewlines = (s: string) => {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
};

import { decodeWindows1252 } from './text-checks';

type Listener = (chunk?: unknown) => void;
type EventName = 'data' | 'end' | 'error';

export function encodingFromBom(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

export class BlobTextStream {
  readonly readable = true;
  bytesRead = 0;
  private readonly listeners: Record<EventName, Listener[]> = { data: [], end: [], error: [] };

  constructor(
    private readonly blob: Blob,
    private readonly encoding: string,
    private readonly chunkSize: number,
    private readonly strict = false,
  ) {}

  read(): void {}
  pause(): void {}
  resume(): void {}

  on(event: EventName, fn: Listener): this {
    this.listeners[event].push(fn);
    return this;
  }

  removeListener(event: EventName, fn: Listener): this {
    this.listeners[event] = this.listeners[event].filter((f) => f !== fn);
    return this;
  }

  private emit(event: EventName, arg?: unknown): void {
    for (const fn of [...this.listeners[event]]) fn(arg);
  }

  async pump(stop: () => boolean = () => false): Promise<void> {
    let decoder: Pick<TextDecoder, 'decode'>;
    try {
      decoder =
        this.encoding === 'windows-1252'
          ? {
              decode: (b?: AllowSharedBufferSource) =>
                b ? decodeWindows1252(b as Uint8Array) : '',
            }
          : new TextDecoder(this.encoding, { fatal: this.strict });
    } catch (e) {
      this.emit('error', e);
      return;
    }
    let lines = 1;
    try {
      while (this.bytesRead < this.blob.size) {
        if (stop()) return;
        const end = Math.min(this.blob.size, this.bytesRead + this.chunkSize);
        const bytes = new Uint8Array(await this.blob.slice(this.bytesRead, end).arrayBuffer());
        this.bytesRead = end;
        let text: string;
        try {
          text = decoder.decode(bytes, { stream: true });
        } catch {
          const lax = new TextDecoder(this.encoding).decode(bytes, { stream: true });
          const at = Math.max(0, lax.indexOf('\uFFFD'));
          this.emit('error', new InvalidUtf8Error(lines + countNewlines(lax.slice(0, at))));
          return;
        }
        lines += countNewlines(text);
        if (text !== '') this.emit('data', text);
      }
      let tail: string;
      try {
        tail = decoder.decode();
      } catch {
        this.emit('error', new InvalidUtf8Error(lines));
        return;
      }
      if (tail !== '') this.emit('data', tail);
      if (!stop()) this.emit('end');
    } catch (e) {
      this.emit('error', e);
    }
  }
}
