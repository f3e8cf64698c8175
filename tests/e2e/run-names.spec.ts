import { expect, test } from './fixtures';
import { NotebookPage } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

test('a run is named when trained, renamed on its page, and shown by that name on the Runs page and in the comparison', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.quickRuns(2);

  await nb.sidebar.getByRole('button', { name: 'Runs (2)' }).click();
  const runs = page.getByRole('table', { name: 'All runs' });
  // Readable names with the short id beside them, counted per notebook.
  await expect(runs.getByRole('button', { name: /^logreg-1 [0-9a-f]{8}$/ })).toBeVisible();
  await expect(runs.getByRole('button', { name: /^logreg-2 [0-9a-f]{8}$/ })).toBeVisible();

  await runs.getByRole('button', { name: /^logreg-1 / }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^logreg-1 [0-9a-f]{8}$/ })).toBeVisible();
  const field = page.getByLabel('Run name');
  await expect(field).toHaveValue('logreg-1');
  // An empty name is refused, in words.
  await field.fill('   ');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('alert')).toContainText('cannot be empty');
  await field.fill('  first try ');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^first try [0-9a-f]{8}$/ })).toBeVisible();

  // The name survives a reload, shows in the Runs table, and the search finds it.
  await page.reload();
  await nb.sidebar.getByRole('button', { name: 'Runs (2)' }).click();
  await expect(runs.getByRole('button', { name: /^first try [0-9a-f]{8}$/ })).toBeVisible();
  await page.getByLabel('Search').fill('first try');
  await expect(page.getByTestId('runs-count')).toHaveText('1 of 2 runs');
  await page.getByLabel('Search').fill('');
  await expect(page.getByTestId('runs-count')).toHaveText('2 of 2 runs');

  // The comparison names its columns by the runs' names.
  const boxes = runs.getByRole('checkbox', { name: /^Select run [0-9a-f]{8}$/ });
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const comparison = page.getByRole('region', { name: 'Comparison of 2 runs' });
  const metrics = comparison.getByRole('table', { name: /^Metrics of the selected runs/ });
  const header = await metrics.getByRole('row').first().getByRole('columnheader').allInnerTexts();
  expect(header.some((h) => /^first try · [0-9a-f]{8}/.test(h))).toBe(true);
  expect(header.some((h) => /^logreg-2 · [0-9a-f]{8}/.test(h))).toBe(true);
});
