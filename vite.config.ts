import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The app is served as static files; workers are ES modules so they can share
// code-split chunks with the page.
export default defineConfig({
  plugins: [svelte()],
  // Recorded in every run's environment, so a result can be traced to the build that made it.
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 5000 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  optimizeDeps: {
    // Listed so the dev server does not discover them late (in the train worker) and reload the page.
    include: ['comlink', 'dexie', 'hash-wasm', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'],
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
