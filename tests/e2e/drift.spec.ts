import { expect, test, type Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotebookPage, type FileSpec } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

const DATASETS = join(import.meta.dirname, '..', '..', 'datasets');
const batch: FileSpec = { name: 'heart-new-batch.csv', mimeType: 'text/csv', buffer: readFileSync(join(DATASETS, 'heart-new-batch.csv')) };
const SHIFTED = ['AgeCategory', 'BMI', 'PhysicalActivity', 'SleepTime'];

async function verdicts(cell: Locator): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const row of await cell.getByRole('table', { name: /^Feature drift/ }).locator('tbody tr').all()) {
    out[(await row.getAttribute('data-feature'))!] = await row.getByTestId('drift-verdict').innerText();
  }
  return out;
}

test('the sample’s new batch on a drift cell: the shifted features are flagged, the others not; reports export', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const data = await nb.addCell('Dataset');
  await data.getByRole('button', { name: 'Open sample dataset' }).click();
  await nb.expectStored(data, 1);
  await nb.addCell('Drift');
  const cell = nb.cell(2);
  const refSelect = cell.getByLabel('Reference data');
  const sampleValue = await refSelect.locator('option', { hasText: /^heart-sample v1/ }).getAttribute('value');
  await refSelect.selectOption(sampleValue!);
  // Dropped on the drift cell, the file becomes its new data (not a new dataset cell).
  await nb.dropFile(batch, cell.getByRole('group', { name: 'Drop a CSV here to check it for drift' }));
  await expect(cell.getByRole('status').filter({ hasText: 'Stored as version 1 of "heart-new-batch"' })).toBeVisible();
  await expect(nb.cells).toHaveCount(2);
  await expect(cell.getByRole('region', { name: /^Schema of the new data/ }).getByTestId('schema-ok')).toBeVisible();
  await cell.getByRole('button', { name: 'Check drift' }).click();
  await expect(cell.getByTestId('drift-summary')).toHaveText(/^4 of 18 features drifted \(22%\): .+\. That is below the 50% at which the dataset counts as drifted\.$/, { timeout: 60_000 });
  const v = await verdicts(cell);
  expect(Object.keys(v)).toHaveLength(18);
  for (const [name, verdict] of Object.entries(v)) expect(verdict).toBe(SHIFTED.includes(name) ? 'drifted' : 'no drift');
  // Most drifted first; each feature draws both distributions.
  const first = await cell.locator('tbody tr').first().getAttribute('data-feature');
  expect(SHIFTED).toContain(first);
  await expect(cell.getByRole('img', { name: /^BMI: reference and new data over 20 bins/ })).toBeVisible();

  // A stricter threshold on one column, and a lower dataset share: the verdict follows.
  await cell.getByLabel('Threshold for Sex').fill('0');
  await cell.getByLabel('Threshold for Sex').press('Enter');
  await cell.getByLabel('Dataset drifts when this share of features drift').fill('0.25');
  await cell.getByLabel('Dataset drifts when this share of features drift').press('Enter');
  await cell.getByRole('button', { name: 'Check drift' }).click();
  await expect(cell.getByTestId('drift-summary')).toHaveText(/^5 of 18 features drifted \(28%\).*the dataset has drifted\.$/, { timeout: 60_000 });
  // The reference's statistics are kept: the second check reuses them.
  await expect(cell.getByText('the reference’s statistics were reused')).toBeVisible();

  const [json] = await Promise.all([page.waitForEvent('download'), cell.getByRole('button', { name: 'Export report (JSON)' }).click()]);
  const doc = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(doc.format).toBe('labbook-drift-report');
  expect(doc.result.features).toHaveLength(18);
  const [html] = await Promise.all([page.waitForEvent('download'), cell.getByRole('button', { name: 'Export report (HTML)' }).click()]);
  const text = readFileSync((await html.path())!, 'utf8');
  expect(text).toContain('5 of 18 features drifted');
  expect(text).not.toMatch(/<script/i);

  // The report is kept with the notebook.
  await page.reload();
  await expect(nb.cell(2).getByTestId('drift-summary')).toContainText('5 of 18 features drifted');
});

test('against a model version: prediction and label drift, and its metrics on the new data next to its test metrics', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.trainCellOnSample();
  const train = nb.cell(2);
  await train.getByLabel('Backend').selectOption('cpu');
  await train.getByLabel('Epochs', { exact: true }).fill('3');
  await nb.train(train);
  await nb.addCell('Drift');
  const cell = nb.cell(3);
  await cell.getByLabel('Reference', { exact: true }).selectOption('model');
  await cell.getByLabel('Model version').selectOption({ index: 1 });
  await cell.getByLabel('Choose new CSV').setInputFiles(batch);
  await cell.getByRole('button', { name: 'Check drift' }).click();
  await expect(cell.getByTestId('drift-summary')).toContainText('4 of 17 features drifted', { timeout: 90_000 });
  // The new batch carries its labels: label drift and concept drift are measured.
  await expect(cell.getByRole('table', { name: 'The model on the new data' })).toContainText('Prediction drift');
  await expect(cell.getByRole('table', { name: 'The model on the new data' })).toContainText('Label drift');
  const concept = cell.getByRole('table', { name: /^Metrics on the new data against the test split/ });
  await expect(concept.getByRole('row', { name: /^ROC AUC / })).toBeVisible();
  await expect(cell.getByTestId('drift-summary')).toContainText(/the model’s recall of “Yes” (fell|rose|stayed)/);

  // The report is listed with the model version it concerns.
  await nb.openModels();
  await page.getByRole('table', { name: 'Versions of HeartDisease model' }).getByRole('button', { name: 'v1', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Drift reports of this version' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Drift reports of this version' })).toContainText('4 of 17 features drifted');
  await nb.sidebar.getByRole('button', { name: 'My first notebook', exact: true }).click();

  // Retrain with this data: reference + new batch as one dataset version, and a train cell on it
  // with the model's config.
  await nb.cell(3).getByRole('button', { name: 'Retrain with this data' }).click();
  const combined = nb.cell(4);
  await expect(combined).toHaveAccessibleName('Cell 4: Dataset');
  await nb.expectStored(combined, 1);
  await expect(nb.rowCount(combined)).toContainText('25,000');
  const retrain = nb.cell(5);
  await expect(retrain).toHaveAccessibleName('Cell 5: Train');
  await expect(retrain.getByLabel('Target column')).toHaveValue('HeartDisease');
  await expect(retrain.getByLabel('Backend')).toHaveValue('cpu');
  await expect(retrain.getByLabel('Epochs', { exact: true })).toHaveValue('3');
  await expect(retrain.getByTestId('split-preview')).toHaveText('Split: 17,500 train · 3,750 validation · 3,750 test rows');
});
