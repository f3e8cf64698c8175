import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './tests/chromium.mjs';

const CI = !!process.env.CI;
// E2E_PORT / E2E_DIST let several checkouts or people run the suite side by side
// (each its own build folder and preview port); the defaults are what CI uses.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const DIST = process.env.E2E_DIST ?? 'dist';
const OUT = process.env.E2E_OUT ?? 'test-results';

// Debian's Chromium with WebGPU on SwiftShader: see tests/chromium.mjs.
const executablePath = chromiumPath();
const args = CHROMIUM_ARGS;

export default defineConfig({
  testDir: 'tests/e2e',
  // Artifacts (traces, screenshots) go in a subfolder: Playwright empties its
  // outputDir at start, and test-results/ also holds unit.json from vitest.
  outputDir: `${OUT}/e2e-artifacts`,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  reporter: [['list'], ['json', { outputFile: `${OUT}/e2e.json` }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    trace: 'on-first-retry',
    launchOptions: { executablePath, args },
  },
  // The runner (tests/run.mjs) builds dist/ before Playwright starts.
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
