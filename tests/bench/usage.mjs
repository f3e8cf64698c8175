#!/usr/bin/env node
/**
 * Usage-by-kind benchmark (`node tests/bench/usage.mjs [--no-build]`): seeds 1,000
 * synthetic stored runs (tests/bench/synthetic-runs.mjs) into the app's IndexedDB in
 * headless Chromium, reloads, and times how long the storage panel takes to show
 * the runs' bytes, with the longest main-thread task from the reload until then
 * (the goal: none over 50 ms). Prints figures and never fails on time. Builds into
 * .bench/usage-dist (`--no-build` reuses it) and serves that on port 4182.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.mjs';
import { startPreview } from './preview.mjs';
import { longTasksBetween, observeLongTasks } from './longtasks.mjs';
import { NON_FINITE, runsToJson, storedParts, syntheticRuns } from './synthetic-runs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, '.bench');
const PORT = 4182;
const RUNS = 1000;
mkdirSync(out, { recursive: true });
const appDist = join(out, 'usage-dist');
if (!process.argv.includes('--no-build') || !existsSync(join(appDist, 'index.html'))) {
  execFileSync('npx', ['vite', 'build', '--outDir', appDist, '--emptyOutDir', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
const runs = syntheticRuns(RUNS, { seed: 20_250_602, datasetHash: 'c0ffee'.repeat(10) + 'beef' });
const parts = [];
for (let i = 0; i < runs.length; i += 100) parts.push(runsToJson(runs.slice(i, i + 100).map(storedParts)));

const preview = await startPreview(root, PORT, ['--outDir', appDist]);
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await observeLongTasks(page);
  await page.goto(preview.base);
  await page.getByRole('heading', { level: 1 }).waitFor();
  for (const text of parts) {
    await page.evaluate(
      ([json, marker]) => {
        const revive = (_key, value) => (typeof value === 'string' && value.startsWith(marker) ? Number(value.slice(marker.length)) : value);
        (window.__seedRuns ??= []).push(...JSON.parse(json, revive));
      },
      [text, NON_FINITE],
    );
  }
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('labbook');
        open.onsuccess = () => {
          const tx = open.result.transaction(['runs', 'runDetails'], 'readwrite');
          for (const { summary, details } of window.__seedRuns) {
            tx.objectStore('runs').put(summary);
            tx.objectStore('runDetails').put(details);
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  const rows = [];
  for (let i = 0; i < 3; i++) {
    await page.reload();
    const shown = await page.waitForFunction(
      () => {
        const list = document.querySelector('[data-testid="usage-by-kind"]');
        const runs = [...(list?.querySelectorAll('li') ?? [])].find((li) => li.textContent?.trim().startsWith('Runs'));
        return runs && !/Runs 0 B/.test(runs.textContent ?? '') ? { at: performance.now(), text: [...list.querySelectorAll('li')].map((li) => li.textContent.trim()).join(' · ') } : null;
      },
      null,
      { timeout: 120_000, polling: 'raf' },
    );
    const { at, text } = await shown.jsonValue();
    const tasks = await longTasksBetween(page, 0, at);
    const starts = await page.evaluate(() => window.__longtasks.map((t) => `${(t.start / 1000).toFixed(2)} s: ${t.duration.toFixed(0)} ms`).join(', '));
    rows.push({ at, text, starts, ...tasks });
  }
  console.log(`Usage by kind with ${RUNS.toLocaleString('en-US')} stored runs (100 epochs and curves each), 3 reloads:`);
  for (const r of rows) {
    console.log(`  shown ${(r.at / 1000).toFixed(2)} s after navigation (includes the 1 s debounce); longest main-thread task ${r.longest.toFixed(0)} ms (${r.count} over 50 ms${r.starts ? `, at ${r.starts}` : ''}); ${r.text}`);
  }
} finally {
  await browser.close();
  preview.stop();
}
