/**
 * Accessibility checked by a tool: axe-core on the main screens, as a user reaches them
 * through the UI, with zero serious or critical violations.
 */
import { expect, test } from './fixtures';
import { serious } from './pages/axe';
import { NotebookPage, fixture } from './pages/notebook';

test.describe.configure({ timeout: 240_000 });

test('no serious or critical axe-core violations on the main screens', async ({ page }) => {
  const nb = new NotebookPage(page);
  const found: string[] = [];
  await nb.goto();
  found.push(...(await serious(page, 'empty notebook')));

  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  found.push(...(await serious(page, 'imported dataset')));

  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 3);
  await train.getByLabel('Model name').fill('heart-risk');
  await nb.train(train);
  found.push(...(await serious(page, 'train cell with a result')));

  // A second run, so there is something to compare.
  await nb.train(train);

  const drift = await nb.addCell('Drift');
  const reference = drift.getByLabel('Reference data');
  await reference.selectOption((await reference.locator('option', { hasText: /^heart-small v1/ }).getAttribute('value'))!);
  await nb.dropFile(fixture('heart-small.csv'), drift.getByRole('group', { name: 'Drop a CSV here to check it for drift' }));
  await drift.getByRole('button', { name: 'Check drift' }).click();
  await expect(drift.getByTestId('drift-summary')).toBeVisible({ timeout: 60_000 });
  found.push(...(await serious(page, 'drift result')));

  await nb.sidebar.getByRole('button', { name: /^Runs \(2\)$/ }).click();
  await expect(page.getByTestId('runs-count')).toHaveText('2 of 2 runs');
  found.push(...(await serious(page, 'Runs page')));

  const boxes = page.getByRole('table', { name: 'All runs' }).getByRole('checkbox', { name: /^Select run / });
  await boxes.first().check();
  await boxes.nth(1).check();
  await expect(page.getByRole('region', { name: 'Comparison of 2 runs' })).toBeVisible();
  found.push(...(await serious(page, 'compare view')));

  await nb.openModels();
  found.push(...(await serious(page, 'Models page')));
  await page.getByRole('table', { name: 'Versions of heart-risk' }).getByRole('button', { name: 'v1', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^heart-risk v1/ })).toBeVisible();
  found.push(...(await serious(page, 'model version page')));

  expect(found).toEqual([]);
});
