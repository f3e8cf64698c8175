/**
 * A tab closed at a bad moment: right after typing, in the middle of an import, during a
 * training run, a backup or a restore. Each case uses a profile kept on disk, closes the whole
 * browser context, and opens the profile again, as a person reopening the browser would.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { NotebookPage, fixture } from './pages/notebook';
import { holdStore, storedKeys, storedRecords } from './pages/stored';
import { seedRuns } from '../bench/backup-page.mjs';
import { NON_FINITE, runsToJson, storedParts, syntheticRuns } from '../bench/synthetic-runs.mjs';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.mjs';

test.describe.configure({ timeout: 180_000 });

let profile: string;
test.beforeEach(() => {
  profile = mkdtempSync(join(tmpdir(), 'labbook-profile-'));
});
test.afterEach(() => rmSync(profile, { recursive: true, force: true }));

/** Headless Chromium has a save picker that no one can answer: backups go to a download instead. */
function noSavePicker(): void {
  delete (window as unknown as Record<string, unknown>).showSaveFilePicker;
}

async function open(baseURL: string | undefined): Promise<{ context: BrowserContext; nb: NotebookPage }> {
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), args: CHROMIUM_ARGS, baseURL, acceptDownloads: true });
  await context.addInitScript(noSavePicker);
  const page = context.pages()[0] ?? (await context.newPage());
  const nb = new NotebookPage(page);
  await nb.goto();
  return { context, nb };
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
  const db = await storedRecords(again.nb.page, ['notebooks', 'versions', 'chunks', 'datasets']);
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
  const db = await storedRecords(again.nb.page, ['runs', 'runDetails']);
  expect(db.runs?.map((r) => r.status)).toEqual(['interrupted']);
  expect(db.runDetails?.map((d) => d.runId)).toEqual(db.runs?.map((r) => r.id));
  await again.context.close();
});

/** Each dataset version with every one of its chunks, and each run with its details: nothing half-written. */
async function expectWhole(page: Page): Promise<Record<string, Record<string, unknown>[]>> {
  const db = await storedRecords(page, ['versions', 'chunks', 'runs', 'runDetails', 'modelVersions', 'modelFiles']);
  for (const v of db.versions ?? []) expect((db.chunks ?? []).filter((c) => c.hash === v.hash)).toHaveLength(v.chunkCount as number);
  expect((db.runDetails ?? []).map((d) => d.runId).sort()).toEqual((db.runs ?? []).map((r) => r.id).sort());
  for (const m of db.modelVersions ?? []) {
    const files = (m.manifest as { files: unknown[] }).files;
    expect((db.modelFiles ?? []).filter((f) => f.versionId === m.id)).toHaveLength(files.length);
  }
  return db;
}

test('a browser closed in the middle of a backup changes nothing and claims no backup', async ({ baseURL }) => {
  const first = await open(baseURL);
  await first.nb.train(await first.nb.trainCellOnSample());
  const before = await storedKeys(first.nb.page);
  // The backup reads datasets and their versions, then waits at the runs, held here: the tab closes mid-way.
  await holdStore(first.nb.page, 'runs');
  await first.nb.page.getByRole('button', { name: 'Back up workspace' }).click();
  await expect(first.nb.page.getByRole('progressbar', { name: 'Backing up' })).toBeVisible();
  await first.context.close();

  const again = await open(baseURL);
  expect(await storedKeys(again.nb.page)).toEqual(before);
  await expect(again.nb.sidebar.getByText('No backup yet')).toBeVisible();
  const [download] = await Promise.all([again.nb.page.waitForEvent('download'), again.nb.page.getByRole('button', { name: 'Back up workspace' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^labbook-backup-.*\.zip$/);
  await expect(again.nb.sidebar.getByText(/Last backup: just now/)).toBeVisible();
  await again.context.close();
});

test('a browser closed in the middle of a restore leaves each record whole or absent, and restoring again completes it', async ({ baseURL, browser }, info) => {
  // The backup to restore, made in another profile: a dataset version, a trained run with its
  // model version, and 400 more stored runs, so that the restore is still writing runs when the
  // browser closes.
  const source = await browser.newContext({ acceptDownloads: true });
  const sourcePage = await source.newPage();
  await sourcePage.addInitScript(noSavePicker);
  const made = new NotebookPage(sourcePage);
  await made.goto();
  await made.train(await made.trainCellOnSample());
  const hash = (await storedKeys(sourcePage)).versions![0]!.replace(/"/g, '');
  await seedRuns(sourcePage, runsToJson(syntheticRuns(400, { seed: 7, datasetHash: hash }).map(storedParts)), NON_FINITE);
  const wanted = await storedKeys(sourcePage);
  const [download] = await Promise.all([sourcePage.waitForEvent('download'), sourcePage.getByRole('button', { name: 'Back up workspace' }).click()]);
  const zip = info.outputPath('backup.zip');
  await download.saveAs(zip);
  await source.close();

  const first = await open(baseURL);
  const own = (await storedKeys(first.nb.page)).notebooks ?? [];
  await first.nb.page.getByLabel('Restore from backup…').setInputFiles(zip);
  await expect.poll(async () => (await storedRecords(first.nb.page, ['runs'])).runs?.length, { timeout: 60_000, intervals: [50] }).toBeGreaterThan(0);
  await first.context.close();

  const again = await open(baseURL);
  const cut = await expectWhole(again.nb.page);
  // Cut off while writing runs: the versions are there, some runs, and nothing written after them.
  expect(cut.versions).toHaveLength(1);
  expect(cut.runs!.length).toBeGreaterThan(0);
  expect(cut.runs!.length).toBeLessThan(401);
  expect(cut.modelVersions).toEqual([]);
  // Notebooks come last in a backup: none was written that points at what is missing.
  expect((await storedKeys(again.nb.page)).notebooks).toEqual(own);

  await again.nb.page.getByLabel('Restore from backup…').setInputFiles(zip);
  const had = cut.runs!.length;
  await expect(again.nb.page.getByRole('status', { name: 'Backup result' })).toHaveText(
    `Added 1 notebook, 1 model, 1 model version, ${401 - had} run${401 - had === 1 ? '' : 's'}; already had 1 dataset, 1 dataset version, ${had} run${had === 1 ? '' : 's'}.`,
    { timeout: 60_000 },
  );
  await expectWhole(again.nb.page);
  const after = await storedKeys(again.nb.page);
  for (const [table, keys] of Object.entries(wanted)) {
    if (table === 'notebooks') expect(after[table]).toEqual([...own, ...keys].sort());
    else expect(after[table], table).toEqual(keys);
  }
  await again.context.close();
});
