/**
 * A tab closed at a bad moment: right after typing, in the middle of an import, during a
 * training run. Each case uses a profile kept on disk, closes the whole browser context, and
 * opens the profile again, as a person reopening the browser would.
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { NotebookPage, fixture } from './pages/notebook';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.mjs';

test.describe.configure({ timeout: 180_000 });

let profile: string;
test.beforeEach(() => {
  profile = mkdtempSync(join(tmpdir(), 'labbook-profile-'));
});
test.afterEach(() => rmSync(profile, { recursive: true, force: true }));

async function open(baseURL: string | undefined): Promise<{ context: BrowserContext; nb: NotebookPage }> {
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), args: CHROMIUM_ARGS, baseURL });
  const page = context.pages()[0] ?? (await context.newPage());
  const nb = new NotebookPage(page);
  await nb.goto();
  return { context, nb };
}

/** Every record of the stores asked for, read with the plain IndexedDB API. */
async function stored(nb: NotebookPage, stores: string[]): Promise<Record<string, Record<string, unknown>[]>> {
  return nb.page.evaluate(
    (names) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('labbook');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const database = req.result;
          const tx = database.transaction(names, 'readonly');
          const out: Record<string, unknown[]> = {};
          for (const name of names) {
            const all = tx.objectStore(name).getAll();
            all.onsuccess = () => {
              // Blobs and typed arrays don't cross to the test: keep the plain fields.
              out[name] = (all.result as Record<string, unknown>[]).map((r) =>
                Object.fromEntries(Object.entries(r).filter(([, v]) => !(v instanceof Blob) && !ArrayBuffer.isView(v))),
              );
            };
          }
          tx.oncomplete = () => {
            database.close();
            resolve(out as Record<string, Record<string, unknown>[]>);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    stores,
  );
}

test('a note typed just before the browser closes is kept', async ({ baseURL }) => {
  const first = await open(baseURL);
  const cell = await first.nb.addCell('Markdown');
  await cell.getByLabel('Markdown', { exact: true }).fill('typed a moment before closing');
  await first.context.close(); // no wait for the autosave delay
  const again = await open(baseURL);
  await expect(again.nb.cell(1)).toContainText('typed a moment before closing');
  await again.context.close();
});

test('a browser closed in the middle of an import leaves the version and its cell written together, or neither', async ({ baseURL }) => {
  // A file big enough that the import is still going when the browser closes.
  const header = 'id,age,bmi,smoker,label';
  const rows = Array.from({ length: 150_000 }, (_, i) => `${i},${20 + (i % 60)},${(18 + (i % 170) / 10).toFixed(1)},${i % 3 === 0 ? 'yes' : 'no'},${i % 7 === 0 ? 1 : 0}`);
  const big = { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n')) };
  const first = await open(baseURL);
  const cell = await first.nb.addCell('Dataset');
  await expect(first.nb.page.getByText('All changes saved')).toBeVisible();
  await first.nb.chooseFile(cell, big);
  await expect(cell.getByRole('progressbar')).toBeVisible();
  await first.context.close();

  const again = await open(baseURL);
  const db = await stored(again.nb, ['notebooks', 'versions', 'chunks', 'datasets']);
  const versions = db.versions ?? [];
  const cells = (db.notebooks ?? []).flatMap((n) => n.cells as { kind: string; config: { versionHash?: string | null } }[]);
  const pointed = cells.filter((c) => c.kind === 'dataset' && c.config.versionHash).map((c) => c.config.versionHash);
  // Complete or absent: each version has every chunk, and a cell points at a version exactly when it is stored.
  for (const v of versions) {
    expect((db.chunks ?? []).filter((c) => c.hash === v.hash)).toHaveLength(v.chunkCount as number);
  }
  expect(pointed.sort()).toEqual(versions.map((v) => v.hash).sort());
  expect((db.datasets ?? []).length).toBe(versions.length);
  await again.context.close();
});

test('a browser closed during training leaves the run marked interrupted at the next start', async ({ baseURL }) => {
  const first = await open(baseURL);
  const train = await first.nb.trainCellOn(fixture('heart-small.csv'));
  await first.nb.startLongRun(train);
  await first.context.close();

  const again = await open(baseURL);
  await again.nb.sidebar.getByRole('button', { name: 'Runs (1)' }).click();
  const row = again.nb.page.getByRole('table', { name: 'All runs' }).getByRole('row').nth(1);
  await expect(row).toContainText('interrupted');
  const db = await stored(again.nb, ['runs', 'runDetails']);
  expect(db.runs?.map((r) => r.status)).toEqual(['interrupted']);
  expect(db.runDetails?.map((d) => d.runId)).toEqual(db.runs?.map((r) => r.id));
  await again.context.close();
});
