// Builds the playground: `vite build -c web/vite.config.ts` writes web/dist, which works from
// any static host (relative asset paths via base './').
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

const noWasm = fileURLToPath(new URL('./no-wasm.ts', import.meta.url));

/**
 * The page's bundle leaves the WASM backend out (web/no-wasm.ts): its thread only evaluates the
 * computation-graph example. Top-level plugins apply to the page's build only; the training
 * worker's bundle (worker.plugins, none) keeps the WASM backend.
 */
const pageWithoutWasm: Plugin = {
  name: 'nabla-page-without-wasm',
  apply: 'build',
  enforce: 'pre',
  resolveId(source, importer) {
    if (!importer) return null;
    if (source === './wasm/index.js' && /src[\\/]backend[\\/]registry\.ts$/.test(importer)) return noWasm;
    if (source === './backend/wasm/index.js' && /src[\\/]index\.ts$/.test(importer)) return noWasm;
    return null;
  },
};

export default defineConfig({
  root,
  plugins: [pageWithoutWasm],
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
