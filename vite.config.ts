import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// COOP/COEP make the page cross-origin isolated, which WASM threads need
// (SharedArrayBuffer). The same headers must be set by whoever hosts dist/.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  // The manifest lets scripts/check-bundle.ts find the entry chunk and its static imports.
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, manifest: true },
});
