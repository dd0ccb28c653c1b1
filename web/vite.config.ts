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
});
