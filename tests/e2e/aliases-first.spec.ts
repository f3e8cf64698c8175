import { expect, test } from './fixtures';
import { NotebookPage } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

test('aliases come first: the version page opens on them, pickers name and preselect the champion, the Models table leads with the honest metric', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.quickRuns(2, { epochs: 3, modelName: 'heart-risk' });

  // heart-small is 8% "Yes": the table leads with balanced accuracy and shows strategy and threshold.
  await nb.openModels();
  const table = page.getByRole('table', { name: 'Versions of heart-risk' });
  const headers = await table.getByRole('row').first().getByRole('columnheader').allInnerTexts();
  expect(headers.slice(0, 4)).toEqual(['Version', 'ID', 'Aliases', 'Balanced accuracy (main)']);
  expect(headers).toContain('Class imbalance');
  expect(headers).toContain('Decision threshold');
  await expect(table.getByRole('row').nth(1)).toContainText('None');
  await expect(table.getByRole('row').nth(1)).toContainText('0.500');

  // The alias editor sits right under the heading, above the lineage.
  await table.getByRole('button', { name: 'v2', exact: true }).click();
  const heading = page.getByRole('heading', { level: 1, name: 'heart-risk v2' });
  await expect(heading).toBeVisible();
  const aliasesTop = (await page.getByRole('heading', { level: 2, name: 'Aliases' }).boundingBox())!.y;
  const lineageTop = (await page.getByRole('navigation', { name: 'Lineage' }).boundingBox())!.y;
  expect(aliasesTop).toBeGreaterThan((await heading.boundingBox())!.y);
  expect(aliasesTop).toBeLessThan(lineageTop);
  await page.getByLabel('Alias').fill('champion');
  await page.getByRole('button', { name: 'Set alias' }).click();
  await expect(page.getByRole('button', { name: 'Remove alias champion' })).toBeVisible();

  // New Predict and Drift cells start with the champion, named by its alias.
  await nb.sidebar.getByRole('button', { name: 'My first notebook', exact: true }).click();
  await nb.addCell('Predict');
  const predict = nb.cell(3); // addCell's locator follows the last cell
  const predictModel = predict.getByLabel('Model version');
  await expect(predictModel.locator('option:checked')).toHaveText(/^heart-risk@champion \(v2, [0-9a-f]{12}\)$/);
  await expect(predictModel.locator('option')).toContainText([/^heart-risk v1 \([0-9a-f]{12}\)$/]);

  await nb.addCell('Drift');
  const drift = nb.cell(4);
  await drift.getByLabel('Reference', { exact: true }).selectOption('model');
  await expect(drift.getByLabel('Model version').locator('option:checked')).toHaveText(/^heart-risk@champion \(v2, /);

  // The user's choice stands: v1 picked, or the choice cleared, is not replaced.
  await predictModel.selectOption({ label: (await predictModel.locator('option', { hasText: /^heart-risk v1/ }).innerText()).trim() });
  await expect(predictModel.locator('option:checked')).toHaveText(/^heart-risk v1 /);
  await predictModel.selectOption('');
  await expect(predictModel).toHaveValue('');
  await nb.addCell('Markdown');
  await expect(predictModel).toHaveValue('');
});
