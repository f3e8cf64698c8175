import { expect, test, type Locator } from './fixtures';
import { NotebookPage, fixture } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

/** The column index (among a row's cells, after its row header) whose header contains `text`. */
async function columnOf(table: Locator, text: string): Promise<number> {
  const headers = await table.getByRole('row').first().getByRole('columnheader').allInnerTexts();
  return headers.findIndex((h) => h.includes(text)) - 1;
}

test('select runs on the Runs page: only the differing setting is listed, with overlaid curves, matrices and plots', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 4);
  await train.getByLabel('Early stopping').uncheck();
  await nb.sweep(train, 'Learning rate', '0.003, 0.1', 2);

  await nb.sidebar.getByRole('button', { name: 'Runs (2)' }).click();
  await expect(page.getByTestId('runs-count')).toHaveText('2 of 2 runs');
  const table = page.getByRole('table', { name: 'All runs' });
  // Keyboard: tab to the first row's box and tick it with Space, as a person would.
  const boxes = table.getByRole('checkbox', { name: /^Select run / });
  await boxes.first().focus();
  await page.keyboard.press('Space');
  await boxes.nth(1).check();
  await expect(page.getByTestId('selected-count')).toHaveText('2 selected');

  const comparison = page.getByRole('region', { name: 'Comparison of 2 runs' });
  const diff = comparison.getByRole('table', { name: 'Settings that differ' });
  // Both runs share every setting but the learning rate.
  await expect(diff.getByRole('row')).toHaveCount(2);
  await expect(diff.getByRole('row').nth(1)).toHaveText(/^Learning rate\s*(0\.003\s*0\.1|0\.1\s*0\.003)$/);

  const metrics = comparison.getByRole('table', { name: /^Metrics of the selected runs/ });
  // The honest metrics come first for this imbalanced target, and one run holds each best value.
  await expect(metrics.getByRole('row').nth(1).getByRole('rowheader')).toHaveText('Balanced accuracy');
  const auc = await nb.comparisonRow(metrics, 'ROC AUC');
  expect(auc).toHaveLength(2);
  for (const v of auc) expect(v).toBeGreaterThan(0.5);
  const bestAt = auc[0]! >= auc[1]! ? 0 : 1;
  await expect(metrics.getByRole('row', { name: /^ROC AUC / }).getByRole('cell').nth(bestAt)).toContainText('(best)');
  if (auc[0] !== auc[1]) await expect(metrics.getByRole('row', { name: /^ROC AUC / }).getByRole('cell').nth(1 - bestAt)).not.toContainText('(best)');

  // Overlaid learning curves: one line per run, named by its learning rate, at the last epoch.
  await expect(comparison.getByRole('img', { name: /^Validation loss per epoch: [\w-]+ · [0-9a-f]{8} · 0\.(003|1) [\d.]+, [\w-]+ · [0-9a-f]{8} · 0\.(003|1) [\d.]+ at epoch 4$/ })).toBeVisible();
  await expect(comparison.getByRole('img', { name: /^ROC curves of 2 runs: / })).toBeVisible();
  await expect(comparison.getByRole('img', { name: /^Precision-recall curves of 2 runs: / })).toBeVisible();
  await expect(comparison.getByRole('table', { name: /^Confusion matrix of [\w-]+ · [0-9a-f]{8}/ })).toHaveCount(2);
  await expect(comparison.getByRole('img', { name: /^Parallel coordinates of 2 runs/ })).toBeVisible();
  await expect(comparison.getByRole('img', { name: /against Learning rate/ })).toBeVisible();

  // Pin the first as baseline: the other run's ROC AUC is shown as its difference.
  const baseline = comparison.getByLabel('Baseline run');
  const firstId = (await baseline.locator('option').nth(1).getAttribute('value'))!;
  await baseline.selectOption(firstId);
  const pinned = await nb.comparisonRow(metrics, 'ROC AUC');
  const other = metrics.getByRole('row', { name: /^ROC AUC / }).getByRole('cell').nth(1);
  const sign = pinned[1]! - pinned[0]! >= 0 ? '\\+' : '−';
  await expect(other).toContainText(new RegExp(`${sign}\\d\\.\\d{4}`));

  // Sorting by a metric puts the best first; a filter that matches nothing says so.
  // (The table's default columns for this imbalanced target are the honest metrics: balanced accuracy,
  // minority recall and F1, average precision.)
  const ap = await nb.comparisonRow(metrics, 'Average precision');
  await table.getByRole('button', { name: 'Sort by Average precision' }).click();
  await expect(table.getByRole('columnheader', { name: 'Sort by Average precision' })).toHaveAttribute('aria-sort', 'descending');
  const apAt = (await table.getByRole('row').first().getByRole('columnheader').allInnerTexts()).findIndex((h) => h.startsWith('Average precision'));
  const sortedFirst = Number((await table.getByRole('row').nth(1).getByRole('cell').nth(apAt).innerText()).split(/\s/)[0]);
  expect(sortedFirst).toBeCloseTo(Math.max(...ap), 4);
  await page.getByLabel('Search').fill('no such run');
  await expect(page.getByText('No runs match these filters.')).toBeVisible();
  await expect(page.getByTestId('runs-count')).toHaveText('0 of 2 runs');
});

test('Compare strategies opens the comparison: per-strategy minority recall, measured against no rebalancing', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.trainCellOnSample();
  const train = nb.cell(2); // not cells.last(): the compare cell will open under it
  await train.getByLabel('Backend').selectOption('cpu');
  await train.getByText('Sweep and compare strategies').click();
  await train.getByRole('button', { name: 'Compare strategies' }).click();
  await expect(train.getByRole('progressbar', { name: 'Sweep progress' })).toBeVisible();
  await expect(train.getByRole('status').filter({ hasText: 'Sweep completed: 5 of 5 runs.' })).toBeVisible({ timeout: 170_000 });

  // The sweep's own table ranks the runs by balanced accuracy: a rebalanced run beats doing nothing.
  const results = train.getByRole('table', { name: 'Sweep results' });
  await expect(results.getByRole('row')).toHaveCount(6);
  await expect(train.getByLabel('Best by')).toHaveValue('balancedAccuracy');
  await expect(results.locator('tr[data-best="true"]')).not.toContainText('none');

  // The comparison opens as a compare cell under the train cell.
  const cell = nb.cell(3);
  await expect(cell).toHaveAccessibleName('Cell 3: Compare');
  const comparison = cell.getByRole('region', { name: 'Comparison of 5 runs' });
  await expect(comparison).toBeVisible();
  await expect(cell.getByTestId('runs-count')).toHaveText('5 of 5 runs'); // filtered to this sweep
  const diff = comparison.getByRole('table', { name: 'Settings that differ' });
  await expect(diff.getByRole('row')).toHaveCount(2);
  await expect(diff.getByRole('row').nth(1).getByRole('rowheader')).toHaveText('Class imbalance');

  const metrics = comparison.getByRole('table', { name: /^Metrics of the selected runs/ });
  const header = await metrics.getByRole('row').first().getByRole('columnheader').allInnerTexts();
  // "none" is the pinned baseline and leads; every strategy has its own column.
  expect(header[1]).toMatch(/· none \(baseline\)$/);
  for (const s of ['class-weights', 'oversample', 'undersample', 'smote']) expect(header.some((h) => h.endsWith(`· ${s}`))).toBe(true);
  const recall = await nb.comparisonRow(metrics, 'Minority recall');
  expect(recall).toHaveLength(5);
  const at = async (s: string) => recall[await columnOf(metrics, `· ${s}`)]!;
  expect(await at('class-weights')).toBeGreaterThan(recall[0]! + 0.3);
  expect(await at('smote')).toBeGreaterThan(recall[0]! + 0.3);
  // Deltas from the baseline are shown as improvements.
  const weightsCell = metrics.getByRole('row', { name: /^Minority recall / }).getByRole('cell').nth(await columnOf(metrics, '· class-weights'));
  await expect(weightsCell).toContainText(/\+0\.\d{4}/);
  await expect(comparison.getByRole('table', { name: /^Confusion matrix of [\w-]+ · [0-9a-f]{8}/ })).toHaveCount(5);

  // It is saved with the notebook.
  await page.reload();
  await expect(nb.cell(3).getByRole('region', { name: 'Comparison of 5 runs' })).toBeVisible();
});

test('Cancel sweep stops the running run and starts no more', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 1000, 4);
  await train.getByLabel('Early stopping').uncheck();
  await train.getByText('Sweep and compare strategies').click();
  await train.getByLabel('Values of Learning rate').fill('0.001, 0.01, 0.1');
  await train.getByRole('button', { name: 'Run sweep (3 runs)' }).click();
  await expect(train.getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute('aria-valuetext', /Epoch \d+ of 1000/);
  await train.getByRole('button', { name: 'Cancel sweep' }).click();
  await expect(train.getByRole('status').filter({ hasText: 'Sweep cancelled: 1 of 3 runs.' })).toBeVisible({ timeout: 10_000 });
  await expect(nb.sidebar.getByRole('button', { name: 'Runs (1)' })).toBeVisible();
  await expect(train.getByRole('table', { name: 'Sweep results' }).getByRole('row').nth(1)).toContainText('cancelled');
});
