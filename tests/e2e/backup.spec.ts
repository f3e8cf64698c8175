import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { NotebookPage } from './pages/notebook';

const STORES = ['notebooks', 'datasets', 'versions', 'chunks', 'runs', 'runDetails', 'models', 'modelVersions', 'modelFiles', 'aliasEvents', 'predictions', 'driftReports'];

/** Every stored primary key by table (alias events by content: their ids are local), straight from IndexedDB. */
function storedKeys(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(
    (stores) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('labbook');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(stores, 'readonly');
          const out: Record<string, string[]> = {};
          let left = stores.length;
          for (const s of stores) {
            const req = s === 'aliasEvents' ? tx.objectStore(s).getAll() : tx.objectStore(s).getAllKeys();
            req.onsuccess = () => {
              const rows = req.result as unknown[];
              out[s] = rows
                .map((r) => (s === 'aliasEvents' ? JSON.stringify({ ...(r as object), id: 0 }) : JSON.stringify(r)))
                .sort();
              if (--left === 0) {
                db.close();
                resolve(out);
              }
            };
          }
        };
      }),
    STORES,
  );
}

/** Headless Chromium has no save picker; make sure of it so the download fallback is used. */
async function noSavePicker(page: Page): Promise<void> {
  await page.addInitScript(() => {
    delete (window as unknown as Record<string, unknown>).showSaveFilePicker;
  });
}

async function backUp(page: Page, button: 'Back up workspace' | 'Export notebook', out: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  expect(download.suggestedFilename()).toMatch(button === 'Back up workspace' ? /^labbook-backup-\d{4}-\d\d-\d\d-\d{4}\.zip$/ : /^labbook-notebook-.*\.zip$/);
  await download.saveAs(out);
  return out;
}

async function restore(page: Page, file: string): Promise<void> {
  await page.getByLabel('Restore from backup…').setInputFiles(file);
}

test.describe('backup and restore', () => {
  test('a workspace backed up is restored identically in a new profile, and twice adds nothing; damaged copies are refused', async ({ page, browser }, info) => {
    test.setTimeout(240_000);
    await noSavePicker(page);
    const nb = new NotebookPage(page);
    await nb.goto();
    await expect(nb.sidebar.getByText('No backup yet')).toBeVisible();
    const train = await nb.trainCellOnSample();
    await nb.train(train);
    const before = await storedKeys(page);
    expect(before.runs?.length).toBeGreaterThan(0);
    expect(before.chunks?.length).toBeGreaterThan(0);
    const zip = await backUp(page, 'Back up workspace', info.outputPath('backup.zip'));
    await expect(page.getByRole('status', { name: 'Backup result' })).toContainText('Backed up');
    await expect(nb.sidebar.getByText(/Last backup: just now/)).toBeVisible();

    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto('/');
    await expect(other.getByRole('heading', { level: 1 })).toBeVisible();

    // A flipped byte in the first binary entry, and a cut-off copy: refused, naming the entry, nothing written.
    const bytes = readFileSync(zip);
    const flipped = Buffer.from(bytes);
    const at = flipped.indexOf(Buffer.from('.bin')) + 4 + 40; // inside the first stored entry's data
    flipped[at] = flipped[at]! ^ 0xff;
    writeFileSync(info.outputPath('flipped.zip'), flipped);
    writeFileSync(info.outputPath('cut.zip'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const empty = await storedKeys(other);
    await restore(other, info.outputPath('flipped.zip'));
    await expect(other.getByRole('alert')).toContainText(/Refused: \S+\.bin (does not match its SHA-256 in the manifest|is damaged)/);
    expect(await storedKeys(other)).toEqual(empty);
    await restore(other, info.outputPath('cut.zip'));
    await expect(other.getByRole('alert')).toContainText('cut.zip is cut off');
    expect(await storedKeys(other)).toEqual(empty);

    await restore(other, zip);
    await expect(other.getByRole('status', { name: 'Backup result' })).toContainText(/^Added .*1 dataset version/);
    const after = await storedKeys(other);
    for (const s of STORES) {
      if (s === 'notebooks') expect(after[s]).toEqual(expect.arrayContaining(before[s]!));
      else expect(after[s], s).toEqual(before[s]);
    }
    await expect(other.getByRole('navigation', { name: 'Side bar' }).getByRole('button', { name: /heart/ })).toBeVisible();

    await restore(other, zip);
    await expect(other.getByRole('status', { name: 'Backup result' })).toContainText(/^Added nothing; already had/);
    const again = await storedKeys(other);
    expect(again).toEqual(after);
    await context.close();
  });

  test('an exported notebook is imported with the same id, cells and results', async ({ page, browser }, info) => {
    test.setTimeout(240_000);
    await noSavePicker(page);
    const nb = new NotebookPage(page);
    await nb.goto();
    const train = await nb.trainCellOnSample();
    await nb.train(train);
    const id = (await storedKeys(page)).notebooks?.[0] ?? "";
    const runs = (await storedKeys(page)).runs;
    const file = await backUp(page, 'Export notebook', info.outputPath('notebook.zip'));

    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto('/');
    await expect(other.getByRole('heading', { level: 1 })).toBeVisible();
    await restore(other, file);
    await expect(other.getByRole('status', { name: 'Backup result' })).toContainText(/^Added 1 notebook, 1 dataset, 1 dataset version/);
    const keys = await storedKeys(other);
    expect(keys.notebooks).toContain(id);
    expect(keys.runs).toEqual(runs);
    await expect(other.getByRole('region', { name: /^Cell 2: / }).getByTestId('run-status')).toHaveText('completed');
    await context.close();
  });
});
