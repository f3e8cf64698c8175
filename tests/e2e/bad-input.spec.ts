import { expect, test, type Locator } from './fixtures';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotebookPage, fixture, type FileSpec } from './pages/notebook';

async function importInNewCell(nb: NotebookPage, file: FileSpec): Promise<Locator> {
  const cell = await nb.addCell('Dataset');
  await nb.chooseFile(cell, file);
  return cell;
}

test.describe('bad input gets a clear message and stores nothing', () => {
  const refused: [string, FileSpec, RegExp][] = [
    ['empty file', fixture('empty.csv'), /This file is empty/i],
    ['header only', fixture('header-only.csv'), /header row but no data rows/i],
    [
      'binary file renamed .csv',
      { name: 'photo.csv', mimeType: 'text/csv', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]) },
      /not text/i,
    ],
    ['unterminated quote', fixture('unterminated.csv'), /quote.*line 3/i],
  ];
  for (const [what, file, message] of refused) {
    test(what, async ({ page }) => {
      const nb = new NotebookPage(page);
      await nb.goto();
      const cell = await importInNewCell(nb, file);
      await expect(cell.getByRole('alert')).toHaveText(message);
      expect(await nb.storedCounts()).toEqual({ datasets: 0, versions: 0, chunks: 0 });
    });
  }

  test('ragged rows: counted, first lines named; cancel stores nothing, skip imports the rest', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const cell = await importInNewCell(nb, fixture('ragged.csv'));
    const alert = cell.getByRole('alert');
    await expect(alert).toContainText('2 rows have the wrong number of fields');
    await expect(alert).toContainText('lines 3, 5');
    await alert.getByRole('button', { name: 'Cancel import' }).click();
    await expect(cell.getByText('Import cancelled. Nothing was stored.')).toBeVisible();
    expect(await nb.storedCounts()).toEqual({ datasets: 0, versions: 0, chunks: 0 });

    const again = await importInNewCell(nb, fixture('ragged.csv'));
    await again.getByRole('button', { name: 'Skip bad rows and import' }).click();
    await nb.expectStored(again, 1);
    await expect(nb.rowCount(again)).toHaveText('3');
    await expect(again.getByText(/2 rows with the wrong number of fields were skipped/)).toBeVisible();
  });

  test('a file larger than the storage left is refused by the browser, and nothing is stored', async ({ playwright, baseURL }, testInfo) => {
    // Quota overrides only bind on a real (persistent) profile, so this test opens one of its own.
    const launch = testInfo.project.use.launchOptions ?? {};
    const context = await playwright.chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'labbook-quota-')), { ...launch, baseURL });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      // The limit must be in place before the app opens its database.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL ?? '').origin, quotaSize: 100_000 });
      const nb = new NotebookPage(page);
      await nb.goto();
      await page.getByRole('button', { name: /Open sample dataset \(heart disease/ }).click();
      const alert = nb.cell(1).getByRole('alert');
      await expect(alert).toContainText('Not enough browser storage to keep this dataset');
      await expect(alert).toContainText('Nothing was stored');
      expect(await nb.storedCounts()).toEqual({ datasets: 0, versions: 0, chunks: 0 });
    } finally {
      await context.close();
    }
  });

  test('column names like __proto__, constructor and a.b are kept verbatim and harmless', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const cell = await importInNewCell(nb, fixture('odd-headers.csv'));
    await nb.expectStored(cell, 1);
    const preview = cell.getByRole('table', { name: 'Preview of the first rows' });
    for (const name of ['__proto__', 'constructor', 'a.b', 'column_4', 'a.b_2']) {
      await expect(preview.getByRole('columnheader', { name, exact: true })).toBeVisible();
    }
    await expect(cell.getByText('column 4: empty header')).toBeVisible();
    await expect(cell.getByText('column 5: duplicate “a.b”')).toBeVisible();
    await expect(cell.getByText(/Column names kept exactly as written/)).toBeVisible();
    expect(await page.evaluate(() => Object.keys(Object.prototype).length)).toBe(0);
  });

  test('HTML and script in cells and headers are shown as inert text', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const cell = await importInNewCell(nb, fixture('html.csv'));
    await nb.expectStored(cell, 1);
    const preview = cell.getByRole('table', { name: 'Preview of the first rows' });
    await expect(preview.getByRole('columnheader', { name: '<b>name</b>' })).toBeVisible();
    await expect(preview).toContainText('<script>window.__xss=2</script>');
    await cell.getByRole('button', { name: 'Chart of <b>name</b>' }).click();
    // Plotly (4.6 MB) loads on the first chart: allow for a busy machine.
    await expect(cell.locator('.js-plotly-plot')).toBeVisible({ timeout: 45_000 });
    expect(await page.evaluate(() => (window as Window & { __xss?: number }).__xss)).toBeUndefined();
    await expect(cell.locator('img')).toHaveCount(0);
    await expect(cell.locator('b')).toHaveCount(0);
  });

  test('Latin-1 text is decoded correctly and reported', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const cell = await importInNewCell(nb, fixture('latin1.csv'));
    await nb.expectStored(cell, 1);
    await expect(cell.getByText(/not valid UTF-8, so it was read as Latin-1/)).toBeVisible();
    const preview = cell.getByRole('table', { name: 'Preview of the first rows' });
    await expect(preview).toContainText('José');
    await expect(preview).toContainText('Besançon');
  });
});
