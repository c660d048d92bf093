/**
 * Builds what the browser tests load and serves it on free localhost ports:
 * the app (`vite build` with the project's vite.config.ts, served by `vite
 * preview` with its COOP/COEP headers) and the numeric test page (its own
 * small Vite build from tests/e2e/numeric, kept out of the app's dist/).
 */
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

const root = path.resolve(import.meta.dirname, '../..');

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A `vite preview` of a build on a free localhost port with the COOP/COEP
 * headers the app needs (cross-origin isolation: SharedArrayBuffer, WASM threads).
 */
export async function previewIsolated(
  opts: Parameters<typeof preview>[0],
): Promise<{ server: PreviewServer; url: string }> {
  const port = await freePort();
  const server = await preview({
    ...opts,
    logLevel: 'warn',
    preview: { port, strictPort: true, host: '127.0.0.1', headers: isolation },
  });
  return { server, url: `http://127.0.0.1:${port}/` };
}

export interface Served {
  appUrl: string;
  /** the app's build (dist/ layout, manifest included), for the bundle check */
  appDir: string;
  numericUrl: string;
  close(): Promise<void>;
}

export async function buildAndServe(outDir: string): Promise<Served> {
  const numericRoot = path.join(root, 'tests/e2e/numeric');
  // Builds of their own (not dist/): a build run meanwhile cannot swap files under the tests.
  const appOut = path.join(outDir, `app-dist-${process.pid}`);
  const numericOut = path.join(outDir, `numeric-dist-${process.pid}`);
  await build({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: appOut, emptyOutDir: true },
  });
  await build({
    root: numericRoot,
    configFile: false,
    base: './',
    logLevel: 'warn',
    build: { outDir: numericOut, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
  });
  const servers: PreviewServer[] = [];
  const serve = async (opts: Parameters<typeof preview>[0]) => {
    const { server, url } = await previewIsolated(opts);
    servers.push(server);
    return url;
  };
  const appUrl = await serve({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    build: { outDir: appOut },
  });
  const numericUrl = await serve({
    root: numericRoot,
    configFile: false,
    build: { outDir: numericOut },
  });
  return {
    appUrl,
    appDir: appOut,
    numericUrl,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
      await Promise.all([appOut, numericOut].map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}
