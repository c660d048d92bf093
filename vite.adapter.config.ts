/**
 * The embeddable adapter (src/adapter/adapter.ts) as one standalone ES module,
 * dist-adapter/adapter.js, with @tensorflow/tfjs left as its only import:
 * a page maps that name to its own copy of tfjs (docs/embed-example.html uses
 * an import map). `npm run build:adapter`.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    target: 'es2022',
    outDir: 'dist-adapter',
    emptyOutDir: true,
    lib: { entry: 'src/adapter/adapter.ts', formats: ['es'], fileName: () => 'adapter.js' },
    rollupOptions: { external: ['@tensorflow/tfjs'] },
  },
});
