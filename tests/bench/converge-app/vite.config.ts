/**
 * The convergence benchmark's own little app (not part of Labbook's build):
 * a page with a file input and one module worker that imports, prepares and
 * trains through src/lib exactly as the train worker does. Built into
 * .bench/converge-app and served by `vite preview` from tests/bench/converge.mjs.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  // src/lib/ml/environment.ts reads it; the bench reports its own environment.
  define: { __APP_VERSION__: JSON.stringify('bench') },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: `${repo}.bench/converge-app`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 5000,
  },
  preview: { host: '127.0.0.1' },
  logLevel: 'warn',
});
