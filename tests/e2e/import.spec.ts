import { expect, test } from './fixtures';
import { NotebookPage, fixture, sha256 } from './pages/notebook';

test.describe('dataset import', () => {
  test('drop a CSV: counts and hash shown, kept after reload, identical bytes not stored twice', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const pets = fixture('pets.csv');
    await nb.dropFile(pets);
    const cell = nb.cell(1);
    await nb.expectStored(cell, 1);
    await expect(nb.rowCount(cell)).toHaveText('6');
    await expect(nb.columnCount(cell)).toHaveText('4');
    const hash = sha256(pets.buffer);
    await expect(cell.locator(`[data-hash="${hash}"]`)).toHaveText(hash.slice(0, 12));
    await expect(nb.sidebar.getByRole('button', { name: 'pets' })).toBeVisible();
    await expect(page.getByText('All changes saved')).toBeVisible();

    await page.reload();
    await expect(nb.rowCount(nb.cell(1))).toHaveText('6');
    await expect(nb.cell(1).locator(`[data-hash="${hash}"]`)).toBeVisible();

    await nb.dropFile(pets);
    await nb.expectStored(nb.cell(2), 1, true);
    expect(await nb.storedCounts()).toMatchObject({ datasets: 1, versions: 1 });
  });

  test('a changed file with the same name becomes version 2, listed with hashes and row counts', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    await nb.dropFile(fixture('pets.csv'));
    await nb.expectStored(nb.cell(1), 1);
    const v2 = { ...fixture('pets-v2.csv'), name: 'pets.csv' };
    await nb.dropFile(v2);
    const cell = nb.cell(2);
    await nb.expectStored(cell, 2);
    await expect(nb.rowCount(cell)).toHaveText('7');
    const versions = cell.getByRole('table', { name: 'Versions of pets' });
    await expect(versions.getByRole('row')).toHaveCount(3);
    await expect(versions.getByRole('row').nth(1)).toContainText(sha256(v2.buffer).slice(0, 12));
    await expect(versions.getByRole('row').nth(1)).toContainText('7');
    await expect(versions.getByRole('row').nth(2)).toContainText(sha256(fixture('pets.csv').buffer).slice(0, 12));
    expect(await nb.storedCounts()).toMatchObject({ datasets: 1, versions: 2 });
  });

  test('the file button works from the keyboard and the profile shows inferred types and statistics', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const cell = await nb.addCell('Dataset');
    // Reachable with Tab from the cell's own controls, like any button.
    await cell.getByRole('button', { name: 'Delete cell 1' }).focus();
    await page.keyboard.press('Tab');
    await expect(cell.getByLabel('Choose CSV file')).toBeFocused();
    await nb.chooseFile(cell, fixture('pets.csv'));
    await nb.expectStored(cell, 1);
    const profile = cell.getByRole('table', { name: 'Column profile' });
    await expect(profile.getByLabel('Type of id')).toHaveValue('integer');
    await expect(profile.getByLabel('Type of species')).toHaveValue('categorical');
    await expect(profile.getByLabel('Type of weight')).toHaveValue('numeric');
    await expect(profile.getByLabel('Type of adopted')).toHaveValue('datetime');
    const weight = profile.locator('tr[data-column="weight"]');
    // weight: 4.5, 12.25, (missing), 0.03, 30, 3.9 → 1 missing of 6, mean 10.136, median 4.5
    await expect(weight).toContainText('1 (16.7%)');
    await expect(weight).toContainText('10.136');
    await expect(weight.locator('td').nth(8)).toHaveText('4.5'); // distribution, type, missing, unique, mean, std, min, 25%, median

    // Change a type: the column is re-profiled and the change survives a reload.
    await profile.getByLabel('Type of weight').selectOption('text');
    await expect(weight.locator('td').nth(4)).toHaveText(''); // the mean
    await expect(page.getByText('All changes saved')).toBeVisible();
    await page.reload();
    await expect(nb.cell(1).getByLabel('Type of weight')).toHaveValue('text');

    await nb.cell(1).getByRole('button', { name: 'Chart of species' }).click();
    await expect(nb.cell(1).getByRole('figure', { name: 'Bar chart of the most frequent values of species' })).toBeVisible();
    await expect(nb.cell(1).locator('.js-plotly-plot')).toBeVisible();
  });

  test('cancel stops a large import and stores nothing', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const header = 'a,b,c,d,e,f\n';
    const row = '1.5,hello,3,world,5.25,x\n';
    const big = Buffer.from(header + row.repeat(1_500_000));
    const cell = await nb.addCell('Dataset');
    await nb.chooseFile(cell, { name: 'big.csv', mimeType: 'text/csv', buffer: big });
    const progress = cell.getByRole('progressbar', { name: 'Importing big.csv' });
    await expect(progress).toBeVisible();
    await expect(cell.getByText(/rows parsed · [\d,]+ rows\/s/)).toBeVisible();
    await cell.getByRole('button', { name: 'Cancel import' }).click();
    await expect(cell.getByText('Import cancelled. Nothing was stored.')).toBeVisible();
    expect(await nb.storedCounts()).toEqual({ datasets: 0, versions: 0, chunks: 0 });
  });

  test('delimiter: semicolon detected, and a forced comma re-parses the same bytes', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const cell = await nb.addCell('Dataset');
    await nb.chooseFile(cell, fixture('semicolon.csv'));
    await nb.expectStored(cell, 1);
    await expect(cell.getByTestId('delimiter')).toHaveText('semicolon (detected)');
    await expect(nb.columnCount(cell)).toHaveText('3');
    await cell.getByLabel('Delimiter').selectOption({ label: 'Comma ( , )' });
    // With a comma, "Ada;91,5;yes" splits in two while the header stays whole: the user is asked.
    await expect(cell.getByRole('alert')).toContainText('1 row has the wrong number of fields');
    await cell.getByRole('button', { name: 'Skip bad rows and import' }).click();
    await expect(cell.getByText(/Re-parsed with the new delimiter/)).toBeVisible();
    await expect(cell.getByTestId('delimiter')).toHaveText('comma (chosen)');
    await expect(nb.columnCount(cell)).toHaveText('1');
    expect(await nb.storedCounts()).toMatchObject({ datasets: 1, versions: 1 });
  });

  test('quoted fields, BOM and CRLF are read correctly', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    await nb.dropFile(fixture('quoted.csv'));
    const cell = nb.cell(1);
    await nb.expectStored(cell, 1);
    await expect(nb.rowCount(cell)).toHaveText('3');
    const preview = cell.getByRole('table', { name: 'Preview of the first rows' });
    await expect(preview.getByRole('columnheader', { name: 'id', exact: true })).toBeVisible();
    await expect(preview).toContainText('Hello, world');
    await expect(preview).toContainText('She said "hi"');
    await expect(cell.getByText('with BOM · CRLF line endings')).toBeVisible();
  });

  test('the sample opens in one click; its target shows the class balance and an imbalance warning', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    await page.getByRole('button', { name: /Open sample dataset \(heart disease/ }).click();
    const cell = nb.cell(1);
    await nb.expectStored(cell, 1);
    await expect(nb.rowCount(cell)).toHaveText('20,000');
    await expect(nb.columnCount(cell)).toHaveText('18');
    await cell.getByLabel('Target column').selectOption('HeartDisease');
    await expect(cell.getByTestId('imbalance-warning')).toContainText('minority class “Yes”');
    const ratio = Number((await cell.getByTestId('imbalance-ratio').innerText()).split(' ')[0]);
    expect(ratio).toBeGreaterThan(8);
    expect(ratio).toBeLessThan(13);
    // Plotly (4.6 MB) loads on the first chart: allow for a busy machine.
    await expect(cell.getByRole('figure', { name: /^Class distribution of HeartDisease/ })).toBeVisible({ timeout: 45_000 });
    // Stored columnar data is no larger than the CSV.
    const stored = await cell.getByTestId('stored-size').innerText();
    expect(Number(/\((\d+)% of the CSV\)/.exec(stored)?.[1])).toBeLessThanOrEqual(100);
  });

  test('deleting a version asks first and leaves nothing behind', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    await nb.dropFile(fixture('pets.csv'));
    await nb.expectStored(nb.cell(1), 1);
    await nb.sidebar.getByRole('button', { name: 'pets' }).click();
    await page.getByRole('button', { name: 'Delete version 1' }).click();
    const dialog = page.getByRole('dialog', { name: /Delete version 1 of “pets”/ });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(nb.sidebar.getByRole('button', { name: 'pets' })).toHaveCount(0);
    expect(await nb.storedCounts()).toEqual({ datasets: 0, versions: 0, chunks: 0 });
    await expect(page.getByTestId('storage-usage')).toBeVisible();
  });

  test('a 300-column file previews 12 columns at a time', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const header = Array.from({ length: 300 }, (_, i) => `f${i + 1}`).join(',');
    const rows = Array.from({ length: 60 }, (_, r) => Array.from({ length: 300 }, (_, c) => r * 1000 + c).join(','));
    const cell = await nb.addCell('Dataset');
    await nb.chooseFile(cell, { name: 'wide.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n')) });
    await nb.expectStored(cell, 1);
    await expect(nb.columnCount(cell)).toHaveText('300');
    const preview = cell.getByRole('table', { name: 'Preview of the first rows' });
    await expect(preview.getByRole('columnheader')).toHaveCount(13);
    await expect(cell.getByText('Columns 1–12 of 300')).toBeVisible();
    await cell.getByRole('button', { name: 'Next columns' }).click();
    await expect(cell.getByText('Columns 13–24 of 300')).toBeVisible();
    await expect(preview.getByRole('columnheader', { name: 'f13', exact: true })).toBeVisible();
    await expect(preview.getByRole('row').nth(2)).toContainText('1012');
  });
});
