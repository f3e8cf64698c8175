import { expect, test } from './fixtures';
import { NotebookPage, fixture } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

test('train on the sample dataset with the default settings: test metrics, curves and the backend auto chose', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOnSample();
  // Defaults a user expects: the two-valued target, binary task, identifiers left out, a seeded 70/15/15 split.
  await expect(train.getByLabel('Target column')).toHaveValue('HeartDisease');
  await expect(train.getByLabel('Task')).toHaveValue('binary');
  await expect(train.getByLabel('Backend')).toHaveValue('auto');
  await expect(train.getByRole('checkbox', { name: /^BMI/ })).toBeChecked();
  await expect(train.getByTestId('split-preview')).toHaveText('Split: 14,000 train · 3,000 validation · 3,000 test rows');
  await expect(train.getByTestId('class-balance')).toContainText(/imbalance ratio \d+\.\d\d : 1/);
  await expect(train.getByTestId('train-imbalance-warning')).toContainText(/“Yes” is only \d\.\d% of rows/);
  await nb.train(train);
  const auc = await nb.metric(train, 'ROC AUC');
  expect(auc).toBeGreaterThan(0.75);
  expect(auc).toBeLessThanOrEqual(1);
  expect(await nb.metric(train, 'Test rows')).toBe(3000);
  // 8.6% positives: the metrics that stay honest under imbalance come first.
  await expect(train.getByRole('table', { name: 'Test metrics' }).getByRole('row').nth(1)).toContainText('Balanced accuracy');
  await expect(train.getByRole('table', { name: 'Classification report' }).getByRole('row', { name: /^Yes/ })).toBeVisible();
  // The default linear model is fitted to convergence: its curves are per solver iteration, and it says it converged.
  await expect(train.getByRole('img', { name: /^Loss per iteration: train loss [\d.]+, validation loss [\d.]+ at iteration \d+/ })).toBeVisible();
  await expect(train.getByRole('img', { name: /^ROC AUC per iteration: / })).toBeVisible();
  await expect(train.getByTestId('solver-line')).toContainText(/^Converged: Newton’s method, \d+ iterations/);
  // The test split's ROC curve carries the same AUC as the metrics table, to 3 decimals.
  const roc = train.getByRole('img', { name: /^ROC curve: Yes AUC [\d.]+\.$/ });
  const curveAuc = Number((await roc.getAttribute('aria-label'))!.match(/AUC ([\d.]+)\.$/)![1]);
  expect(Math.abs(curveAuc - auc)).toBeLessThan(0.0006);
  await expect(train.getByRole('img', { name: /^Precision-recall curve: Yes average precision [\d.]+; a random guess scores 0\.0\d\d\.$/ })).toBeVisible();
  // Confusion matrix rows add up to the test split: 3,000 rows, the positives as stratified (8.6% of 20,000 -> about 258).
  const matrix = train.getByRole('table', { name: /^Confusion matrix/ });
  const totals = (await matrix.getByRole('row').locator('td:last-child').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
  expect(totals.reduce((a, b) => a + b, 0)).toBe(3000);
  expect(totals[1]).toBeGreaterThan(200);
  expect(totals[1]).toBeLessThan(320);
  await expect(train.getByTestId('backend-used')).toHaveText(/^(webgpu|webgl|wasm|cpu)$/);
  await expect(train.getByTestId('backend')).toContainText(/auto: \w+ was fastest at [\d.]+ ms per step/);
});

test('force the webgpu backend on a small dataset: the run records webgpu and its adapter', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await train.getByLabel('Backend').selectOption('webgpu');
  await nb.miniBatch(train, 3);
  await nb.train(train);
  await expect(train.getByTestId('backend-used')).toHaveText('webgpu');
  await expect(train.getByTestId('backend')).toContainText('webgpu, as chosen');
  await expect(train.getByTestId('backend')).toContainText(/GPU adapter: .*(swiftshader|SwiftShader|google)/i);
  expect(await nb.metric(train, 'Test rows')).toBe(90);
});

test('cancel a run: it stops promptly and is recorded as cancelled, with no model version', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await nb.startLongRun(train);
  await train.getByRole('button', { name: 'Cancel training' }).click();
  await expect(train.getByTestId('run-status')).toHaveText('cancelled', { timeout: 5_000 });
  await expect(train.getByText(/Cancelled by the user after \d+ epochs/).first()).toBeVisible();
  await expect(train.getByRole('button', { name: 'Train model' })).toBeEnabled();
  await expect(nb.sidebar.getByRole('button', { name: 'Runs (1)' })).toBeVisible();
  await expect(nb.sidebar.getByRole('button', { name: 'Models (0)' })).toBeVisible();
});

test('settings out of range are named before training, and nothing is stored', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await train.getByLabel('Solver', { exact: true }).selectOption('minibatch');
  await train.getByLabel('Learning rate', { exact: true }).fill('0');
  await expect(train.getByRole('alert')).toContainText('Learning rate must be more than 0.');
  await expect(train.getByRole('button', { name: 'Train model' })).toBeDisabled();
  await train.getByLabel('Test share').fill('0.3');
  await expect(train.getByRole('alert')).toContainText('Train, validation and test shares must add up to 1 (they add up to 1.15).');
  await train.getByLabel('Test share').fill('0.15');
  await train.getByLabel('Learning rate', { exact: true }).fill('10');
  await expect(train.getByRole('button', { name: 'Train model' })).toBeEnabled();
  await expect(nb.sidebar.getByRole('button', { name: 'Runs (0)' })).toBeVisible();
});

test('class weights and a tuned threshold: the rebalancing and the threshold against 0.5 are shown on test', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await train.getByLabel('Backend').selectOption('cpu');
  await train.getByLabel('Class imbalance', { exact: true }).selectOption('class-weights');
  await train.getByLabel('Decision threshold', { exact: true }).selectOption('max-f1');
  await nb.train(train);
  await expect(train.getByTestId('imbalance-note')).toHaveText(/^Balanced class weights: 'No' rows weigh 0\.\d\d, 'Yes' rows weigh \d+\.\d\d\.$/);
  const table = train.getByRole('table', { name: /^Decision threshold: Threshold [\d.e-]+ maximizes F1 on the validation split/ });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row').nth(1)).toContainText('0.500 (default)');
  await expect(table.getByRole('row').nth(2)).toContainText('(chosen)');
  // The chosen threshold is stored with the model version (in its hashed metrics.json) and shown there.
  const chosen = (await table.getByRole('row').nth(2).getByRole('rowheader').innerText()).replace(' (chosen)', '');
  await train.getByRole('button', { name: 'HeartDisease model v1' }).click();
  await expect(page.getByTestId('version-threshold')).toHaveText(new RegExp(`^${chosen.replace('.', '\\.')} \\(Threshold`));
});
