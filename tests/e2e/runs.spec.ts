import { expect, test } from './fixtures';
import { NotebookPage, fixture } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

test('after a reload, runs and model versions are listed with their lineage, files verify and aliases move', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 3);
  await train.getByLabel('Model name').fill('heart-risk');
  await nb.train(train);
  await nb.train(train);
  await page.reload();

  await nb.sidebar.getByRole('button', { name: 'Runs (2)' }).click();
  const runs = page.getByRole('table', { name: 'All runs' });
  await expect(runs.getByRole('row')).toHaveCount(3);
  await runs.getByRole('button', { name: / [0-9a-f]{8}$/ }).last().click();
  await expect(page.getByRole('heading', { level: 1, name: /^[a-z]+(-[a-z]+)?-\d+ [0-9a-f]{8}$/ })).toBeVisible();
  const lineage = page.getByRole('navigation', { name: 'Lineage' });
  await expect(lineage.getByRole('button', { name: 'Dataset heart-small v1' })).toBeVisible();
  await expect(lineage.getByRole('button', { name: 'Notebook My first notebook' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Configuration' })).toContainText('HeartDisease');
  await lineage.getByRole('button', { name: 'Model heart-risk v1' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'heart-risk v1' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Files' }).getByRole('row')).toHaveCount(8);
  await page.getByRole('button', { name: 'Verify files' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All 7 files match their SHA-256' })).toBeVisible();
  await page.getByLabel('Alias').fill('Champion!');
  await page.getByRole('button', { name: 'Set alias' }).click();
  await expect(page.getByRole('alert')).toContainText(/alias/i);
  await page.getByLabel('Alias').fill('champion');
  await page.getByRole('button', { name: 'Set alias' }).click();
  await expect(page.getByRole('button', { name: 'Remove alias champion' })).toBeVisible();

  // Move the alias to version 2: the history records both steps.
  await nb.sidebar.getByRole('button', { name: 'Models (1)' }).click();
  await page.getByRole('table', { name: 'Versions of heart-risk' }).getByRole('button', { name: 'v2' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'heart-risk v2' })).toBeVisible();
  await page.getByLabel('Alias').fill('champion');
  await page.getByRole('button', { name: 'Set alias' }).click();
  await expect(page.getByRole('button', { name: 'Remove alias champion' })).toBeVisible();
  const history = page.getByRole('table', { name: 'Alias history' });
  await expect(history.getByRole('row')).toHaveCount(3);
  await expect(history.getByRole('row').nth(2)).toContainText(/champion.*v1.*v2/);

  // From the model version to its dataset version, and back from the dataset to what was trained on it.
  await page.getByRole('navigation', { name: 'Lineage' }).getByRole('button', { name: 'Dataset heart-small v1' }).click();
  await expect(page.getByRole('heading', { name: 'Trained on this version' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Model versions from this version' }).getByRole('button')).toHaveText(['heart-risk v2', 'heart-risk v1']);
  await expect(page.getByRole('list', { name: 'Runs on this version' }).getByRole('listitem')).toHaveCount(2);
});

test('a run whose tab goes away mid-training is shown as interrupted at the next start', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await nb.startLongRun(train);
  await page.reload();
  await nb.sidebar.getByRole('button', { name: 'Runs (1)' }).click();
  await expect(page.getByRole('table', { name: 'All runs' }).getByRole('row').nth(1)).toContainText('interrupted');
});

test('Reproduce re-runs the identical config and shows the same metrics', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await train.getByLabel('Backend').selectOption('wasm');
  await train.getByLabel('Model', { exact: true }).selectOption('mlp');
  await train.getByLabel('Hidden layers (units, comma-separated)', { exact: true }).fill('16, 8');
  await train.getByLabel('Dropout').fill('0.2');
  await nb.miniBatch(train, 4);
  await nb.train(train);
  const auc = await nb.metric(train, 'ROC AUC');
  await train.getByRole('button', { name: /^Open run / }).click();
  await page.getByRole('button', { name: 'Reproduce run' }).click();
  await expect(page.getByTestId('reproduce-verdict')).toHaveText('Same metrics (within 1e-6)', { timeout: 120_000 });
  const row = page.getByRole('table', { name: 'Reproduction' }).getByRole('row', { name: /^ROC AUC/ });
  // The original column is the run trained above (its cell shows 4 decimals), and both columns agree.
  const [original, reproduced] = (await row.getByRole('cell').allInnerTexts()).map(Number);
  expect(Math.abs(original! - auc)).toBeLessThan(5e-5);
  expect(reproduced).toBe(original);
});
