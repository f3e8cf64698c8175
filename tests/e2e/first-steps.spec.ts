import { expect, test } from './fixtures';
import { NotebookPage, fixture } from './pages/notebook';

test.describe('first steps on an empty notebook', () => {
  test('says what Labbook is for and shows the three steps', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const steps = nb.notebook.getByRole('region', { name: 'Get started' });
    await expect(steps).toContainText('lab notebook for machine learning on tabular data');
    await expect(steps).toContainText('stay on this device');
    for (const name of ['Import data', 'Train a model', 'Compare, check drift, share']) {
      await expect(steps.getByRole('heading', { level: 3, name, exact: true })).toBeVisible();
    }
  });

  test('the sample button adds a dataset cell, opens the sample and focuses the cell', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    await page.getByRole('button', { name: 'Open the sample data (heart disease)' }).click();
    const cell = nb.cell(1);
    await expect(cell).toBeFocused();
    await nb.expectStored(cell, 1);
    await expect(page.getByRole('region', { name: 'Get started' })).toHaveCount(0);
  });

  test('the file chooser imports into a new dataset cell', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    await page.getByLabel('Choose a CSV file…').setInputFiles(fixture('pets.csv'));
    await nb.expectStored(nb.cell(1), 1);
  });

  test('each step button is reachable by keyboard and does what it says', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const train = page.getByRole('button', { name: 'Add a Train cell' });
    await train.focus();
    await page.keyboard.press('Enter');
    await expect(nb.cell(1)).toHaveAccessibleName('Cell 1: Train');
    await expect(nb.cell(1)).toBeFocused();

    await nb.cell(1).getByRole('button', { name: 'Delete cell 1' }).click();
    await page.getByRole('button', { name: 'Add a Compare cell' }).click();
    await expect(nb.cell(1)).toHaveAccessibleName('Cell 1: Compare');

    await nb.cell(1).getByRole('button', { name: 'Delete cell 1' }).click();
    await page.getByRole('button', { name: 'Add a Drift cell' }).click();
    await expect(nb.cell(1)).toHaveAccessibleName('Cell 1: Drift');

    await nb.cell(1).getByRole('button', { name: 'Delete cell 1' }).click();
    await page.getByRole('button', { name: 'Open the Models page' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();
  });

  test('the preview and profile tables scroll from the keyboard', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const cell = await nb.addCell('Dataset');
    await nb.chooseFile(cell, fixture('pets.csv'));
    await nb.expectStored(cell, 1);
    for (const name of ['Preview of pets.csv', 'Column profile of pets.csv']) {
      const region = cell.getByRole('region', { name, exact: true });
      await expect(region).toHaveAttribute('tabindex', '0');
      await region.focus();
      await expect(region).toBeFocused();
    }
  });
});
