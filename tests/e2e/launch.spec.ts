/**
 * Files opened with the installed app from the desktop. Headless Chromium has no desktop to
 * open a file from, so the browser's part (the File Handling API's `launchQueue`) is stood in
 * for by an init script that keeps the app's consumer; everything after it is the app's own:
 * a CSV lands in a new Dataset cell, a Labbook backup or notebook goes to the restore.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { FIXTURES, NotebookPage } from './pages/notebook';
import { join } from 'node:path';

type Consumer = (params: { files: { getFile(): Promise<File> }[] }) => void;

/** Stands in for the browser's launchQueue: the app's consumer is kept on the window. */
async function withLaunchQueue(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __launch?: Consumer };
    // Chromium has a launchQueue of its own (on the prototype): shadow it.
    Object.defineProperty(window, 'launchQueue', { configurable: true, value: { setConsumer: (fn: Consumer) => (w.__launch = fn) } });
  });
}

/** Opens `bytes` as `name` with the installed app, as a double-click on the desktop would. */
async function launch(page: Page, name: string, type: string, bytes: Buffer): Promise<void> {
  await page.waitForFunction(() => typeof (window as unknown as { __launch?: Consumer }).__launch === 'function');
  await page.evaluate(
    ([n, t, data]) => {
      const file = new File([Uint8Array.from(data)], n, { type: t });
      (window as unknown as { __launch: Consumer }).__launch({ files: [{ getFile: async () => file }] });
    },
    [name, type, [...bytes]] as const,
  );
}

test('a CSV opened with the app lands in a new Dataset cell, imported', async ({ page }) => {
  await withLaunchQueue(page);
  const nb = new NotebookPage(page);
  await nb.goto();
  await launch(page, 'heart-small.csv', 'text/csv', readFileSync(join(FIXTURES, 'heart-small.csv')));
  await nb.expectStored(nb.cell(1), 1);
  await expect(nb.cells).toHaveCount(1);
  expect(await nb.datasetNames()).toEqual(['heart-small']);
});

test('a notebook file opened with the app is restored, and a file it cannot open is named', async ({ page, browser }) => {
  // A shared notebook, exported from another profile.
  const source = await browser.newContext({ acceptDownloads: true });
  const sourcePage = await source.newPage();
  await sourcePage.addInitScript(() => delete (window as unknown as Record<string, unknown>).showSaveFilePicker);
  const made = new NotebookPage(sourcePage);
  await made.goto();
  const note = await made.addCell('Markdown');
  await note.getByLabel('Markdown', { exact: true }).fill('Shared by a colleague');
  await expect(sourcePage.getByText('All changes saved')).toBeVisible();
  const [download] = await Promise.all([sourcePage.waitForEvent('download'), sourcePage.getByRole('button', { name: 'Export notebook' }).click()]);
  const bytes = readFileSync(await download.path());
  await source.close();

  await withLaunchQueue(page);
  const nb = new NotebookPage(page);
  await nb.goto();
  await launch(page, download.suggestedFilename(), 'application/zip', bytes);
  await expect(page.getByRole('status', { name: 'Backup result' })).toHaveText('Added 1 notebook; already had nothing.');
  await expect(nb.notebook).toContainText('Shared by a colleague');

  await launch(page, 'photo.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await expect(page.getByRole('status').filter({ hasText: 'Labbook opens .csv and .zip files; “photo.png” is neither.' })).toBeVisible();
});
