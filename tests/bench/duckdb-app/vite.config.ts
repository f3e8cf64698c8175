/**
 * The import benchmark's DuckDB-wasm page (not part of Labbook's build): the
 * single-threaded (eh) bundle, its wasm and worker served from node_modules
 * through Vite, so nothing is downloaded at run time. Built into
 * .bench/duckdb-app and served by `vite preview` from tests/bench/import.mjs.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  build: {
    target: 'es2022',
    outDir: `${repo}.bench/duckdb-app`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 5000,
  },
  preview: { host: '127.0.0.1' },
  logLevel: 'warn',
});
