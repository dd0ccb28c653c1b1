// Builds the playground: `vite build -c web/vite.config.ts` writes web/dist, which works from
// any static host (relative asset paths via base './').
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  // The page imports the library straight from ../src; let the dev server read it.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The budget test measures gzip size itself; Vite's own report would only slow builds.
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  // The playground gets the one-thread WASM backend: its small networks never reach the threaded
  // backend's split threshold, whose shared-memory kernels would double the page's download
  // (see threads-unavailable.ts).
  resolve: {
    alias: [{ find: /^\.\/wasm\/threads\.js$/, replacement: fileURLToPath(new URL('../src/backend/wasm/threads-unavailable.ts', import.meta.url)) }],
  },
});
