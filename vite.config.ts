import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The Content-Security-Policy of the production build (departures from the strict base policy
// are explained in docs/ARCHITECTURE.md). Delivered as a <meta> in index.html and, with
// frame-ancestors (which only works as a header), as a header from `vite preview`, so the
// workers, which don't inherit the page's <meta> policy, are covered too.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Puts the policy in index.html at build time only; the dev server (with its HMR client) is untouched. */
function cspMeta(): Plugin {
  return {
    name: 'labbook-csp-meta',
    apply: 'build',
    // Right after the charset, before any script or style it must govern.
    transformIndexHtml: (html) => html.replace('<meta charset="UTF-8" />', `$&\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
  };
}

/**
 * @stdlib's series helpers (under gammainc, used by the drift tests) probe for generator support
 * with eval() at load. Under script-src without 'unsafe-eval' the probe is refused (a CSP
 * violation report, then the slower fallback), so it is answered here: every browser the
 * build targets (es2022) has generators.
 */
function noEvalProbes(): Plugin {
  const id = '\0labbook:has-generator-support';
  return {
    name: 'labbook-no-eval-probes',
    enforce: 'pre',
    resolveId: (source) => (source === '@stdlib/assert-has-generator-support' ? id : null),
    load: (loaded) => (loaded === id ? 'module.exports = function hasGeneratorSupport() { return true; };' : null),
  };
}

/**
 * danfojs without its pre-bundled copies: `danfojs` resolves to its unbundled entry (which
 * imports our one TF.js), and its `plotly.js-dist-min` import gets an empty module (we plot
 * with Plotly ourselves; loading it in the data worker would die on `window`). Registered for
 * the page, the workers and the dev server's dependency optimizer.
 */
const DANFO_ENTRY = fileURLToPath(new URL('./node_modules/danfojs/dist/danfojs-browser/src/index.js', import.meta.url));
function danfojsWithoutPlotly(): Plugin {
  const id = '\0labbook:danfojs-no-plotly';
  return {
    name: 'labbook-danfojs-no-plotly',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== 'plotly.js-dist-min' || !importer) return null;
      return /[\\/]danfojs[\\/]/.test(importer) ? id : null;
    },
    load: (loaded) => (loaded === id ? 'export default {}; export const newPlot = () => {};' : null),
  };
}

// Offline and installable: the service worker precaches the whole build (every chunk, the
// workers, the TF.js wasm files, Plotly, the sample CSV). registerType 'prompt': a new version
// waits until the user reloads (components/common/UpdateBanner.svelte). Off under `vite dev`.
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  devOptions: { enabled: false },
  manifest: {
    name: 'Labbook',
    short_name: 'Labbook',
    description: 'A machine-learning lab notebook that runs entirely in your browser.',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: '#1f5fa8',
    background_color: '#f7f7f5',
    icons: [
      { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
    // Not yet in the plugin's manifest type; Chromium-based desktop installs read them.
    ...({
      file_handlers: [{ action: '/', accept: { 'text/csv': ['.csv'], 'application/zip': ['.zip'] } }],
      launch_handler: { client_mode: 'focus-existing' },
    } as Record<string, unknown>),
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,wasm,csv,json,webmanifest,svg,png,ico}'],
    // Plotly (4.6 MB) and the train worker (2.4 MB) are above workbox's 2 MiB default.
    maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    navigateFallback: 'index.html',
    // The first install takes the open page at once, so it works offline without a reload.
    // Updates still wait for the user: no skipWaiting.
    clientsClaim: true,
    cleanupOutdatedCaches: true,
  },
});

const previewHeaders = { 'Content-Security-Policy': `${CSP}; frame-ancestors 'none'` };

// The app is served as static files; workers are ES modules so they can share
// code-split chunks with the page.
export default defineConfig({
  plugins: [noEvalProbes(), danfojsWithoutPlotly(), svelte(), cspMeta(), pwa],
  resolve: { alias: [{ find: /^danfojs$/, replacement: DANFO_ENTRY }] },
  // Recorded in every run's environment, so a result can be traced to the build that made it.
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  worker: { format: 'es', plugins: () => [noEvalProbes(), danfojsWithoutPlotly()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 5000 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1', headers: previewHeaders },
  optimizeDeps: {
    // Listed so the dev server does not discover them late (in the train worker) and reload the page.
    include: ['comlink', 'dexie', 'hash-wasm', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm', 'danfojs'],
    rolldownOptions: { plugins: [danfojsWithoutPlotly()] },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
