import { defineConfig } from '@playwright/test';

const CI = !!process.env.CI;

// Debian's Chromium (apt-get install chromium); Playwright downloads no browser here.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Measured on the 2-core, GPU-less machines (Chromium 156, headless, page on
// http://127.0.0.1): `--enable-unsafe-webgpu` is what makes
// `navigator.gpu.requestAdapter()` return an adapter (page and dedicated worker);
// `--use-webgpu-adapter=swiftshader` pins that adapter to SwiftShader so results do
// not depend on whether the machine has a GPU; `--enable-features=Vulkan` changes
// nothing here but is harmless (WebGL2 stays ANGLE on SwiftShader).
const args = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
];

export default defineConfig({
  testDir: 'tests/e2e',
  // Artifacts (traces, screenshots) go in a subfolder: Playwright empties its
  // outputDir at start, and test-results/ also holds unit.json from vitest.
  outputDir: 'test-results/e2e-artifacts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: 'http://127.0.0.1:4173',
    browserName: 'chromium',
    trace: 'on-first-retry',
    launchOptions: { executablePath, args },
  },
  // The runner (tests/run.mjs) builds dist/ before Playwright starts.
  webServer: {
    command: 'npx vite preview --host 127.0.0.1 --port 4173 --strictPort',
    url: 'http://127.0.0.1:4173',
    reuseExistingServer: !CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
