/**
 * Sessions crossing the page's edge: export to a file, import from one,
 * share links, and the dataset file a link could not carry. Every document
 * from outside goes through restoreSession (parseSessionBytes,
 * decodeShareFragment): a refusal only sets a message, nothing stored
 * changes.
 *
 * The codec (and with it zod and the session schema) is imported on first
 * use, not with the page: it is a fifth of the app's code and only these
 * actions need it (scripts/check-bundle.ts keeps the entry chunk in budget).
 */
import { CONV_SHARE_BYTES } from '../sessions/limits';
import { newSessionId } from '../sessions/session-id';
import { errorText, type SessionContext } from './sessions-context';
import { withSessions } from './sessions-slice';
import type { ImageUpload } from '../worker/protocol';

type Codec = typeof import('../sessions/codec');
let codecLoad: Promise<Codec> | null = null;

/** The session codec, loaded once (a failed load is retried on the next call). */
export function loadCodec(): Promise<Codec> {
  if (!codecLoad) {
    const attempt = import('../sessions/codec');
    attempt.catch(() => {
      if (codecLoad === attempt) codecLoad = null;
    });
    codecLoad = attempt;
  }
  return codecLoad;
}

/** A file name from a session name: letters, digits, dashes. */
export function fileNameFor(name: string, gzip: boolean): string {
  const base =
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'session';
  return `${base}.json${gzip ? '.gz' : ''}`;
}

/** The same version of one session: same id, same last change, same steps. */
import type { SessionDoc } from '../sessions/schema';

function sameVersion(a: SessionDoc, b: SessionDoc): boolean {
  return (
    a.id === b.id && a.updatedAt === b.updatedAt && a.history.stepsDone === b.history.stepsDone
  );
}

export function createTransfers(ctx: SessionContext) {
  const {
    get,
    patch,
    say,
    enqueue,
    refresh,
    askPersistence,
    show,
    sessions,
    env,
    port,
    latestDoc,
  } = ctx;

  async function exportFile(gzip: boolean): Promise<void> {
    try {
      const doc = await latestDoc();
      if (!doc) return say('error', 'There is no session to export yet: train or open one.');
      const { serializeSession } = await loadCodec();
      const bytes = serializeSession(doc, { gzip });
      env.download(
        fileNameFor(doc.name, gzip),
        bytes,
        gzip ? 'application/gzip' : 'application/json',
      );
      say('info', `Exported "${doc.name}" (${Math.ceil(bytes.length / 1024)} KiB).`);
    } catch (e) {
      say('error', errorText(e));
    }
  }

  /**
   * Reads a session file; a valid one is stored (as a new session if its id
   * is taken by another version) and opened. The same file imported again
   * (same session id, same last change) is not stored twice: the stored copy
   * is opened and the message says so.
   */
  async function importFile(fileName: string, bytes: Uint8Array): Promise<void> {
    let res;
    try {
      res = (await loadCodec()).parseSessionBytes(bytes);
    } catch (e) {
      return say('error', `${fileName}: ${errorText(e)}`);
    }
    if (!res.ok) return say('error', `${fileName}: ${res.error}`);
    let doc = res.session;
    await enqueue(async () => {
      const existing = await sessions.getSession(doc.id);
      if (existing && sameVersion(existing, doc)) {
        show(existing, {
          id: existing.id,
          name: existing.name,
          createdAt: existing.createdAt,
          readOnly: false,
          stored: true,
        });
        say(
          'info',
          `${fileName} was imported before: "${existing.name}" is already saved (same session, same version), so it was opened instead of stored twice.`,
        );
        await refresh();
        return;
      }
      if (existing) doc = { ...doc, id: newSessionId() };
      await sessions.saveSession(doc);
      await askPersistence();
      show(doc, {
        id: doc.id,
        name: doc.name,
        createdAt: doc.createdAt,
        readOnly: false,
        stored: true,
      });
      const migrated =
        res.migratedFrom !== undefined ? ` (upgraded from format version ${res.migratedFrom})` : '';
      say('info', `Imported "${doc.name}" from ${fileName}${migrated}.`);
      await refresh();
    });
  }

  async function share(): Promise<void> {
    let doc;
    let res;
    let conv: boolean;
    try {
      doc = await latestDoc();
      if (!doc) return say('error', 'There is no session to share yet: train or open one.');
      // A conv net's weights cannot fit the usual budget: a longer link, said below.
      conv = doc.weights?.shapes[0]?.length === 4;
      res = (await loadCodec()).shareFragmentFor(
        doc,
        conv ? { maxBytes: CONV_SHARE_BYTES } : undefined,
      );
    } catch (e) {
      return say('error', errorText(e));
    }
    if (!res.ok) return say('error', res.error);
    const url = `${env.baseUrl()}#${res.fragment}`;
    patch((s) => withSessions(s, () => ({ shareUrl: url })));
    const notes = [
      conv
        ? `The link is long (${Math.round(url.length / 1024)} kB: it carries the conv net's weights, never the images); browsers open it, but chat apps and mail may cut it — export the session file for those.`
        : '',
      res.thinnedHistory
        ? 'The curves in the link are thinned to a few hundred points each; Export keeps every step.'
        : '',
      res.droppedRows
        ? `The dataset's rows were left out (too large for a link): whoever opens it will be asked for the file "${doc.dataset.name}".`
        : '',
      res.droppedCheckpoint ? 'The link does not carry the state needed to continue training.' : '',
    ].filter(Boolean);
    try {
      await env.copy(url);
      say('info', ['Share link copied to the clipboard.', ...notes].join(' '));
    } catch {
      say('info', ['Copy the share link below.', ...notes].join(' '));
    }
  }

  /** Opens a share link's session read-only (nothing is stored until "Save a copy"). */
  async function openLink(fragment: string): Promise<void> {
    let res;
    try {
      res = (await loadCodec()).decodeShareFragment(fragment);
    } catch (e) {
      return say('error', `The link cannot be opened: ${errorText(e)}`);
    }
    if (!res.ok) return say('error', res.error);
    const doc = res.session;
    show(doc, {
      id: doc.id,
      name: doc.name,
      createdAt: doc.createdAt,
      readOnly: true,
      stored: false,
    });
    // The read-only banner above Train (ui/train/Messages.tsx) says what can be done with it.
    say('info', `Opened the shared session "${doc.name}" from the link.`);
  }

  /** The dataset file(s) a session without rows asked for; the hash must match. */
  async function chooseDatasetFiles(
    files: { fileName: string; bytes: Uint8Array }[],
  ): Promise<void> {
    const { doc, datasetPrompt } = get().sessions;
    if (!doc || !datasetPrompt) return;
    const all = new Uint8Array(files.reduce((n, f) => n + f.bytes.length, 0));
    let o = 0;
    for (const f of files) {
      all.set(f.bytes, o);
      o += f.bytes.length;
    }
    let sha: string;
    try {
      sha = await (await loadCodec()).sha256Hex(all);
    } catch (e) {
      return say('error', errorText(e));
    }
    if (sha !== datasetPrompt.sha256)
      return say(
        'error',
        `${files.map((f) => f.fileName).join(', ')} is not the dataset "${datasetPrompt.name}" of this session (its SHA-256 differs). Nothing was loaded.`,
      );
    patch((s) => withSessions(s, () => ({ datasetPrompt: null })));
    port.send({
      type: 'load-session',
      doc,
      csvFiles: files,
      persist: !get().sessions.current?.readOnly,
    });
    say('info', `The file matches the session's dataset "${datasetPrompt.name}".`);
  }

  /**
   * The image set (a zip or a folder) an uploaded-images session asked for:
   * the worker checks it is the set the session was trained on (a zip of
   * the same folder matches the folder) and loads it; when it is not, its
   * message names what differs, the prompt stays and nothing changes. The
   * prompt goes when the session is loaded (sessions-slice, session-loaded).
   */
  function chooseImageSet(upload: ImageUpload): void {
    const { doc, datasetPrompt, current } = get().sessions;
    if (!doc || !datasetPrompt) return;
    port.send({
      type: 'load-session',
      doc,
      csvFiles: null,
      images: upload,
      persist: !current?.readOnly,
    });
    const what = upload.kind === 'zip' ? upload.file.name : upload.name;
    say('info', `Checking “${what}” against the session's image set “${datasetPrompt.name}”…`);
  }

  return { exportFile, importFile, share, openLink, chooseDatasetFiles, chooseImageSet };
}
