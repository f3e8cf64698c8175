import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { NotebookPage, type FileSpec } from './pages/notebook';
import { WORKSPACE_STORES as STORES, storedKeys } from './pages/stored';

/** Headless Chromium has no save picker; make sure of it so the download fallback is used. */
async function noSavePicker(page: Page): Promise<void> {
  await page.addInitScript(() => {
    delete (window as unknown as Record<string, unknown>).showSaveFilePicker;
  });
}

const batch: FileSpec = { name: 'heart-new-batch.csv', mimeType: 'text/csv', buffer: readFileSync(join(import.meta.dirname, '..', '..', 'datasets', 'heart-new-batch.csv')) };

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
    await train.getByLabel('Model name').fill('heart-risk');
    await nb.train(train);
    // A model version with an alias, a prediction and a drift report.
    await train.getByRole('button', { name: 'heart-risk v1' }).click();
    await page.getByLabel('Alias').fill('champion');
    await page.getByRole('button', { name: 'Set alias' }).click();
    await expect(page.getByRole('button', { name: 'Remove alias champion' })).toBeVisible();
    await nb.sidebar.getByRole('button', { name: 'My first notebook', exact: true }).click();
    await nb.predictFile(batch, 5000);
    const drift = await nb.addCell('Drift');
    await drift.getByLabel('Reference data').selectOption({ label: (await drift.getByLabel('Reference data').locator('option', { hasText: /^heart-sample v1/ }).innerText()).trim() });
    await drift.getByLabel('Choose new CSV').setInputFiles(batch);
    await drift.getByRole('button', { name: 'Check drift' }).click();
    await expect(drift.getByTestId('drift-summary')).toContainText('features drifted', { timeout: 60_000 });
    const before = await storedKeys(page);
    for (const s of STORES) expect(before[s]?.length, s).toBeGreaterThan(0);
    expect(before.models).toEqual([expect.stringMatching(/"champion":"[0-9a-f]{64}"/)]);
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
    await expect(other.getByRole('status', { name: 'Backup result' })).toHaveText(
      'Added 1 notebook, 2 datasets, 2 dataset versions, 1 model, 1 model version, 1 alias event, 1 run, 1 prediction, 1 drift report; already had nothing.',
    );
    const after = await storedKeys(other);
    for (const s of STORES) {
      if (s === 'notebooks') expect(after[s]).toEqual(expect.arrayContaining(before[s]!));
      else expect(after[s], s).toEqual(before[s]);
    }
    await expect(other.getByRole('navigation', { name: 'Side bar' }).getByRole('button', { name: 'heart-sample', exact: true })).toBeVisible();

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
