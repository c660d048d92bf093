/**
 * "Download model": the page asks the worker (which holds the weights) for
 * the export, then hands the zip to the browser's download and keeps its
 * name so the panel can show the snippet that loads it. One export at a
 * time; an error while waiting ends the wait (the message is the worker's).
 */
import type { ModelExportFormat, WorkerEvent } from '../worker/protocol';
import type { SessionContext } from './sessions-context';
import { withSessions } from './sessions-slice';

export function createModelDownload(ctx: SessionContext) {
  const { get, patch, port, env, say } = ctx;

  function downloadModel(format: ModelExportFormat): void {
    if (get().sessions.exportingModel) return;
    patch((s) => withSessions(s, () => ({ exportingModel: true })));
    port.send({ type: 'export-model', format });
  }

  function receive(events: readonly WorkerEvent[]): void {
    for (const e of events) {
      if (e.type === 'model-export') {
        env.download(e.fileName, e.bytes, 'application/zip');
        patch((s) =>
          withSessions(s, () => ({
            exportingModel: false,
            modelExport: { format: e.format, fileName: e.fileName, files: e.files },
          })),
        );
        say('info', `Downloaded ${e.fileName} (${e.files.join(', ')}).`);
      } else if (e.type === 'error' && get().sessions.exportingModel) {
        patch((s) => withSessions(s, () => ({ exportingModel: false })));
      }
    }
  }

  return { downloadModel, receive };
}
