/**
 * Storage health: usage by kind in the side bar's storage panel, the warning when
 * storage is nearly full, and the notice at start when stored records are gone.
 */
import { test, expect, type Page } from './fixtures';
import { NotebookPage, fixture } from './pages/notebook';

/** The storage panel's "stored by kind" list, as { Datasets: "380.0 KB", … }. */
async function usageByKind(page: Page): Promise<Record<string, string>> {
  const items = await page.getByRole('list', { name: 'Stored by kind' }).getByRole('listitem').allInnerTexts();
  return Object.fromEntries(items.map((t) => /^(\S+) (.+)$/.exec(t.trim())!.slice(1, 3) as [string, string]));
}

/** The ledger's counts as the app last wrote them (null when there is none). */
function ledgerCounts(page: Page): Promise<Record<string, number> | null> {
  return page.evaluate(() => {
    const text = localStorage.getItem('labbook:ledger');
    return text ? (JSON.parse(text) as { counts: Record<string, number> }).counts : null;
  });
}

const goneAlert = (page: Page) => page.getByRole('alert').filter({ hasText: 'Stored work is missing' });

test('usage by kind shows the datasets after an import and the runs after a training run', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  // A first visit: nothing was expected, so nothing is reported missing, and the quota is far from full.
  await expect.poll(() => usageByKind(page)).toMatchObject({ Datasets: '0 B', Runs: '0 B' });
  await expect(goneAlert(page)).toHaveCount(0);
  await expect(page.getByRole('alert').filter({ hasText: /Storage is \d+% full/ })).toHaveCount(0);

  const train = await nb.trainCellOnSample();
  await expect.poll(async () => (await usageByKind(page)).Datasets).toMatch(/^\d+(\.\d+)? KB$/);
  expect((await usageByKind(page)).Runs).toBe('0 B');

  await nb.miniBatch(train, 2);
  await nb.train(train);
  await expect.poll(async () => (await usageByKind(page)).Runs).not.toBe('0 B');
  const stacked = page.getByRole('img', { name: /^Stored by kind: Datasets .+ · Runs .+ · Models/ });
  await expect(stacked).toBeVisible();
});

test('at 80% of the quota the storage panel warns how full it is and what to do', async ({ page }) => {
  await page.addInitScript(() => {
    // What a nearly full origin reports: 850 MB used of a 1 GB quota.
    navigator.storage.estimate = () => Promise.resolve({ usage: 850_000_000, quota: 1_000_000_000 });
  });
  const nb = new NotebookPage(page);
  await nb.goto();
  const warning = page.getByRole('alert').filter({ hasText: 'Storage is 85% full (850.0 MB of 1.00 GB)' });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('Back up the workspace, then delete old dataset versions or runs');
  await expect(page.getByTestId('storage-usage')).toHaveText('850.0 MB used of 1.00 GB');
});

test('records gone at start (the database was deleted while the app was closed) are reported, with a way on', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.dropFile(fixture('pets.csv'));
  await nb.expectStored(nb.cell(1), 1);
  await expect.poll(() => ledgerCounts(page)).toMatchObject({ notebooks: 1, datasets: 1, versions: 1 });

  // Close the app (a page on the same origin that is not the app), then delete its database.
  await page.goto('/favicon.svg');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.deleteDatabase('labbook');
        req.onsuccess = () => resolve();
        req.onerror = () => reject(req.error);
        req.onblocked = () => reject(new Error('blocked: the app still holds the database'));
      }),
  );

  await nb.goto();
  const alert = goneAlert(page);
  await expect(alert).toContainText(
    "Labbook expected 1 dataset, 1 dataset version and 1 notebook in this browser (last seen",
  );
  await expect(alert).toContainText("but they are gone: the browser evicted or cleared the site's storage");
  await expect(alert).toContainText('Restore them from a backup');
  await expect(alert.getByText('Restore from a backup…')).toBeVisible();
  // The ledger is held while the alert is up: a reload says the same.
  await page.reload();
  await expect(goneAlert(page)).toContainText('1 dataset version');

  // Dismiss accepts what is stored now: the ledger starts over and the next start is quiet.
  await goneAlert(page).getByRole('button', { name: 'Dismiss' }).click();
  await expect(goneAlert(page)).toHaveCount(0);
  expect(await ledgerCounts(page)).toMatchObject({ notebooks: 1, datasets: 0, versions: 0 });
  await page.reload();
  await expect(nb.notebook).toBeVisible();
  await expect(goneAlert(page)).toHaveCount(0);
});

test("the app's own deletions are not reported as missing at the next start", async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.dropFile(fixture('pets.csv'));
  await nb.expectStored(nb.cell(1), 1);
  await expect.poll(() => ledgerCounts(page)).toMatchObject({ versions: 1 });
  await nb.sidebar.getByRole('button', { name: 'pets' }).click();
  await page.getByRole('button', { name: 'Delete version 1' }).click();
  await page.getByRole('dialog', { name: /Delete version 1 of “pets”/ }).getByRole('button', { name: 'Delete' }).click();
  await expect(nb.sidebar.getByRole('button', { name: 'pets' })).toHaveCount(0);
  await expect.poll(() => ledgerCounts(page)).toMatchObject({ datasets: 0, versions: 0 });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(goneAlert(page)).toHaveCount(0);
});
