import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The app is served as static files; workers are ES modules so they can share
// code-split chunks with the page.
export default defineConfig({
  plugins: [svelte()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 5000 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  optimizeDeps: { include: ['comlink', 'dexie', 'hash-wasm'] },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
