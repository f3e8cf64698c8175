/**
 * Offline: after one visit, the service worker serves the whole app. This spec runs its own
 * `vite preview` (on OFFLINE_PORT, from the same build folder) so it can stop the server
 * without disturbing the other specs; then the browser is also set offline.
 */
import { expect, test } from './fixtures';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, NotebookPage, fixture, type FileSpec } from './pages/notebook';

const PORT = Number(process.env.E2E_OFFLINE_PORT ?? 4311);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const DIST = process.env.E2E_DIST ?? 'dist';

test.describe.configure({ mode: 'serial', timeout: 240_000 });
test.use({ baseURL: ORIGIN, serviceWorkers: 'allow' });

let server: ChildProcess | null = null;

function stopServer(): void {
  if (server?.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
  server = null;
}

test.beforeAll(async () => {
  server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', DIST], {
    detached: true,
    stdio: 'ignore',
  });
  for (let i = 0; i < 120; i++) {
    const up = await fetch(ORIGIN).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`vite preview did not start on ${ORIGIN}`);
});

test.afterAll(stopServer);

/** heart-small without its target column: new data to predict on and to check for drift. */
function unlabelled(): FileSpec {
  const rows = readFileSync(join(FIXTURES, 'heart-small.csv'), 'utf8').trim().split('\n');
  const text = rows.map((line) => line.split(',').slice(1).join(',')).join('\n') + '\n';
  return { name: 'new-patients.csv', mimeType: 'text/csv', buffer: Buffer.from(text) };
}

test('installable: the manifest names the app, its icons and the CSV and zip file handlers; pages carry the CSP header', async () => {
  const manifest = (await (await fetch(`${ORIGIN}/manifest.webmanifest`)).json()) as Record<string, unknown>;
  expect(manifest).toMatchObject({ name: 'Labbook', start_url: '/', display: 'standalone' });
  expect(manifest.file_handlers).toEqual([{ action: '/', accept: { 'text/csv': ['.csv'], 'application/zip': ['.zip'] } }]);
  expect((manifest.icons as { sizes: string }[]).map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  const page = await fetch(`${ORIGIN}/`);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(await page.text()).toContain('http-equiv="Content-Security-Policy"');
});

test('after one visit the app works with the server gone and the browser offline: import, train, predict, drift', async ({ page, context }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  // The service worker has precached everything once it controls the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });

  stopServer();
  await context.setOffline(true);
  await expect.poll(() => fetch(ORIGIN).then(() => 'up', () => 'down')).toBe('down');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await nb.train(train);
  expect(await nb.metric(train, 'Test rows')).toBe(90);

  const predict = await nb.addCell('Predict');
  await predict.getByLabel('Model version').selectOption({ index: 1 });
  await predict.getByLabel('Choose CSV to predict on').setInputFiles(unlabelled());
  await predict.getByRole('button', { name: 'Predict 600 rows' }).click();
  await expect(predict.getByTestId('prediction-summary')).toContainText(/^Predicted 600 rows at threshold/, { timeout: 60_000 });

  const drift = await nb.addCell('Drift');
  const refSelect = drift.getByLabel('Reference data');
  await refSelect.selectOption((await refSelect.locator('option', { hasText: /^heart-small v1/ }).getAttribute('value'))!);
  await drift.getByLabel('Choose new CSV').setInputFiles(unlabelled());
  // The predict cell stored these bytes already: the drift cell reuses that version.
  await expect(drift.getByRole('status').filter({ hasText: /Stored as version 1 of "new-patients"|Already stored/ })).toBeVisible();
  await drift.getByRole('button', { name: 'Check drift' }).click();
  // The same people without their label: nothing drifted.
  await expect(drift.getByTestId('drift-summary')).toHaveText(/^0 of 17 features drifted/, { timeout: 60_000 });

  // The bundled sample is precached too.
  const sample = await nb.addCell('Dataset');
  await sample.getByRole('button', { name: 'Open sample dataset' }).click();
  await nb.expectStored(sample, 1);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
