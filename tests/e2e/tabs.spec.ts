/**
 * Several tabs on one profile: each shows the others' changes, a stale tab never writes over
 * newer work, a version in use can't be deleted, and a deleted database is noticed.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import { NotebookPage, fixture } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

async function twoTabs(page: Page): Promise<[NotebookPage, NotebookPage]> {
  const a = new NotebookPage(page);
  await a.goto();
  const b = new NotebookPage(await page.context().newPage());
  await b.goto();
  return [a, b];
}

/** The text of every Markdown cell, in order. */
async function notes(nb: NotebookPage): Promise<string[]> {
  return nb.page.getByLabel('Markdown', { exact: true }).evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
}

test('a rename in one tab shows in the other at once', async ({ page }) => {
  const [a, b] = await twoTabs(page);
  await a.sidebar.getByRole('button', { name: 'Rename notebook My first notebook' }).click();
  await a.sidebar.getByLabel('New name for My first notebook').fill('Heart study');
  await a.sidebar.getByRole('button', { name: 'Save' }).click();
  // Within two seconds (the change travels by BroadcastChannel, typically in milliseconds).
  await expect(b.sidebar.getByRole('button', { name: 'Heart study', exact: true })).toBeVisible({ timeout: 2_000 });
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Heart study');
});

test('cells added and typed in two tabs at once are both kept; the later edit of one cell wins', async ({ page }) => {
  const [a, b] = await twoTabs(page);
  // Both tabs add a cell and type at the same moment: each tab's save is made over the revision
  // it read, so the second one to land is merged with the first instead of replacing it.
  await Promise.all([a.addCell('Markdown'), b.addCell('Markdown')]);
  await expect(a.cells).toHaveCount(2);
  await expect(b.cells).toHaveCount(2);
  await Promise.all([
    a.cell(1).getByLabel('Markdown', { exact: true }).fill('written in tab A'),
    b.cell(2).getByLabel('Markdown', { exact: true }).fill('written in tab B'),
  ]);
  await expect(a.page.getByText('All changes saved')).toBeVisible();
  await expect(b.page.getByText('All changes saved')).toBeVisible();
  await expect.poll(() => notes(a)).toEqual(['written in tab A', 'written in tab B']);
  await expect.poll(() => notes(b)).toEqual(['written in tab A', 'written in tab B']);

  // One cell edited in A, then in B: B's later edit is kept everywhere, nothing else changes.
  await a.cell(1).getByLabel('Markdown', { exact: true }).fill('A edits cell 1');
  await expect(a.page.getByText('All changes saved')).toBeVisible();
  await b.cell(1).getByLabel('Markdown', { exact: true }).fill('B edits cell 1 later');
  await expect(b.page.getByText('All changes saved')).toBeVisible();
  await expect.poll(() => notes(a)).toEqual(['B edits cell 1 later', 'written in tab B']);
  await expect(a.cell(1).getByRole('status').filter({ hasText: 'Changed in another tab' })).toBeVisible();

  await Promise.all([a.page.reload(), b.page.reload()]);
  for (const nb of [a, b]) {
    // After a reload, notes are shown rendered.
    await expect(nb.cells).toHaveCount(2);
    await expect(nb.cell(1)).toContainText('B edits cell 1 later');
    await expect(nb.cell(2)).toContainText('written in tab B');
  }
});

test('a run training in one tab shows as running in the other, and its version cannot be deleted there', async ({ page }) => {
  const [a, b] = await twoTabs(page);
  const train = await a.trainCellOn(fixture('heart-small.csv'));
  // Tab B sees the new cells and the stored dataset without a reload.
  await expect(b.cells).toHaveCount(2);
  await expect(b.sidebar.getByRole('button', { name: 'heart-small' })).toBeVisible();
  await a.startLongRun(train);

  await expect(b.cell(2).getByTestId('run-status')).toHaveText('running');
  await b.sidebar.getByRole('button', { name: 'Runs (1)' }).click();
  await expect(b.page.getByRole('table', { name: 'All runs' }).getByRole('row').nth(1)).toContainText('running');

  await b.sidebar.getByRole('button', { name: 'heart-small' }).click();
  await b.page.getByRole('button', { name: 'Delete version 1' }).click();
  await b.page.getByRole('dialog', { name: /Delete version 1 of/ }).getByRole('button', { name: 'Delete' }).click();
  await expect(b.page.getByRole('status').filter({ hasText: 'A training run is using this version right now' })).toBeVisible();
  expect((await b.storedCounts()).versions).toBe(1);

  await train.getByRole('button', { name: 'Cancel training' }).click();
  await expect(train.getByTestId('run-status')).toHaveText('cancelled');
  await b.sidebar.getByRole('button', { name: 'Runs (1)' }).click();
  await expect(b.page.getByRole('table', { name: 'All runs' }).getByRole('row').nth(1)).toContainText('cancelled');

  // A model version and an alias set in tab A show in tab B.
  await a.miniBatch(train, 2);
  await train.getByLabel('Model name').fill('heart-risk');
  await a.train(train);
  await expect(b.sidebar.getByRole('button', { name: 'Models (1)' })).toBeVisible();
  await a.sidebar.getByRole('button', { name: 'Models (1)' }).click();
  await a.page.getByRole('table', { name: 'Versions of heart-risk' }).getByRole('button', { name: 'v1', exact: true }).click();
  await b.sidebar.getByRole('button', { name: 'Models (1)' }).click();
  await b.page.getByRole('table', { name: 'Versions of heart-risk' }).getByRole('button', { name: 'v1', exact: true }).click();
  await a.page.getByLabel('Alias').fill('champion');
  await a.page.getByRole('button', { name: 'Set alias' }).click();
  await expect(b.page.getByRole('button', { name: 'Remove alias champion' })).toBeVisible();
});

test('a database deleted from another tab is noticed: the app stops claiming saves and says what happened', async ({ page }) => {
  const [a, b] = await twoTabs(page);
  const cell = await a.addCell('Markdown');
  await cell.getByLabel('Markdown', { exact: true }).fill('before');
  await expect(a.page.getByText('All changes saved')).toBeVisible();

  await b.page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.deleteDatabase('labbook');
        req.onsuccess = () => resolve();
        req.onerror = () => reject(req.error);
      }),
  );
  await expect(a.page.getByRole('alert').filter({ hasText: "Labbook's database was deleted" })).toBeVisible();
  await cell.getByLabel('Markdown', { exact: true }).fill('after the deletion');
  await expect(a.page.getByText('Not saved')).toBeVisible();
  await expect(a.page.getByText('All changes saved')).toHaveCount(0);
  // Nothing was written behind the app's back: no new, empty database appeared.
  const names = await b.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(names).not.toContain('labbook');
  await expect(a.page.getByRole('button', { name: 'Reload' })).toBeVisible();
});

test('a newer schema opened in another tab makes this tab stop and ask for a reload', async ({ page }) => {
  const [a, b] = await twoTabs(page);
  await b.page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        // What a newer Labbook does when it adds a schema version: open the database at a higher version.
        const req = indexedDB.open('labbook', 1000);
        req.onsuccess = () => {
          req.result.close();
          resolve();
        };
        req.onerror = () => reject(req.error);
      }),
  );
  await expect(a.page.getByRole('alert').filter({ hasText: 'A newer version of Labbook opened in another tab' })).toBeVisible();
  await expect(a.page.getByRole('button', { name: 'Reload' })).toBeVisible();
  await expect(a.page.getByText('All changes saved')).toHaveCount(0);
});
