/**
 * A new version of the app: its service worker waits, the page says so, and it reloads only
 * when the person asks and nothing running would be cut short. This spec serves a copy of the
 * build from its own small server (on E2E_UPDATE_PORT), so it can publish a "new version" (a
 * changed index.html and service worker) while a page of the old one is open.
 */
import { expect, test } from './fixtures';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { NotebookPage, fixture } from './pages/notebook';

const PORT = Number(process.env.E2E_UPDATE_PORT ?? 4312);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const DIST = process.env.E2E_DIST ?? 'dist';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv',
};

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ baseURL: ORIGIN, serviceWorkers: 'allow' });

let site: string;
let server: Server;

test.beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'labbook-site-'));
  cpSync(DIST, site, { recursive: true });
  // Files are read at each request, so a new version can be published under a running server.
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', ORIGIN).pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = path === '/' ? 'index.html' : path;
    try {
      const body = readFileSync(join(site, file));
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(site, { recursive: true, force: true });
});

/** Publishes "version 2": index.html gains a marker and the service worker a new revision for it. */
function publishNewVersion(): void {
  const index = join(site, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('<head>', '<head><meta name="labbook-build" content="v2">'));
  const sw = join(site, 'sw.js');
  const text = readFileSync(sw, 'utf8');
  const next = text.replace(/(url:"index\.html",revision:")[0-9a-f]+"/, '$1v2-of-index"');
  expect(next).not.toBe(text);
  writeFileSync(sw, next);
}

test('a new version waits while a run trains, never reloads by itself, and reloads on request', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await nb.startLongRun(train);
  await page.evaluate(() => ((window as unknown as Record<string, unknown>).__sameDocument = true));

  publishNewVersion();
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update();
  });
  const banner = page.getByRole('status').filter({ hasText: 'A new version is ready' });
  await expect(banner).toContainText(/Reload once the .+ ends\./, { timeout: 30_000 });
  await expect(banner.getByRole('button', { name: 'Reload' })).toHaveCount(0);
  // Still the same document, still training: nothing reloaded by itself.
  await expect(train.getByRole('progressbar', { name: 'Training progress' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).__sameDocument)).toBe(true);
  await expect(page.locator('meta[name="labbook-build"]')).toHaveCount(0);

  await train.getByRole('button', { name: 'Cancel training' }).click();
  await expect(train.getByTestId('run-status')).toHaveText('cancelled', { timeout: 10_000 });
  await banner.getByRole('button', { name: 'Reload' }).click();
  await expect(page.locator('meta[name="labbook-build"]')).toHaveAttribute('content', 'v2', { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(nb.sidebar.getByRole('button', { name: 'Runs (1)' })).toBeVisible();
});
