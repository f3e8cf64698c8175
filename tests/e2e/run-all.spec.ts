import { expect, test } from './fixtures';
import { NotebookPage, fixture } from './pages/notebook';
import type { Locator } from '@playwright/test';
import { serious } from './pages/axe';

test.describe.configure({ timeout: 240_000 });

const state = (cell: Locator) => cell.getByTestId('cell-pipeline-state');

test('Run all runs what changed and keeps the rest cached: dataset -> train -> predict, then a new learning rate', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.trainCellOn(fixture('heart-small.csv'));
  // By position: a new cell would otherwise become "the last cell".
  const train = nb.cell(2);
  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 2);
  const data = nb.cell(1);
  await nb.addCell('Predict');
  const predict = nb.cell(3);
  const summary = page.getByTestId('run-all-summary');
  const runAll = page.getByRole('button', { name: 'Run all', exact: true });

  // Nothing ran yet: every cell says so, each with its fingerprint.
  await expect(state(data)).toHaveText('not run yet');
  await expect(state(train)).toHaveText('not run yet');
  const trainPrint = await train.getByTestId('cell-fingerprint').getAttribute('title');
  expect(trainPrint).toMatch(/^[0-9a-f]{64}$/);

  // First Run all: the dataset and the training run; the predict cell has no model yet, so it waits.
  await runAll.click();
  await expect(summary).toContainText('2 ran, 0 up to date (cached), 1 skipped, 0 failed', { timeout: 120_000 });
  await expect(state(predict)).toContainText('skipped: not set up');
  await expect(train.getByTestId('run-status')).toHaveText('completed');
  // The result links to the fingerprint that produced it.
  await expect(train.getByTestId('cell-last-result')).toContainText(`from fingerprint ${trainPrint!.slice(0, 12)}`);
  await expect(train.getByTestId('cell-last-result')).toContainText(/run logreg-1/);
  // The run itself records the cell fingerprint that produced it.
  await train.getByRole('button', { name: /^Open run / }).click();
  const facts = page.locator('dl.facts > div', { has: page.getByText('Cell fingerprint', { exact: true }) });
  await expect(facts.locator('[data-hash]')).toHaveAttribute('data-hash', trainPrint!);
  await nb.sidebar.getByRole('button', { name: 'My first notebook', exact: true }).click();

  // Point the predict cell at the model and the data; Run all now predicts, and nothing else runs.
  await predict.getByLabel('Model version').selectOption({ index: 1 });
  await predict.getByLabel('Data', { exact: true }).selectOption({ index: 1 });
  await runAll.click();
  await expect(summary).toContainText('1 ran, 2 up to date (cached), 0 skipped, 0 failed', { timeout: 60_000 });
  await expect(predict.getByTestId('prediction-summary')).toContainText('Predicted');
  const v1Model = await predict.getByLabel('Model version').inputValue();

  // Second Run all: every cell is cached, and says so.
  await runAll.click();
  await expect(summary).toContainText('0 ran, 3 up to date (cached), 0 skipped, 0 failed');
  for (const cell of [data, train, predict]) await expect(state(cell)).toHaveText('up to date (cached)');
  await expect(page.getByTestId('cell-run')).toHaveCount(1);

  // A new learning rate: the train cell and everything downstream is stale, the dataset is not.
  await train.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.05');
  await expect(state(train)).toHaveText('stale: changed since its last result');
  await expect(state(predict)).toHaveText('stale: changed since its last result');
  await expect(state(data)).toHaveText('up to date (cached)');
  const newPrint = await train.getByTestId('cell-fingerprint').getAttribute('title');
  expect(newPrint).not.toBe(trainPrint);
  await runAll.click();
  await expect(summary).toContainText('2 ran, 1 up to date (cached), 0 skipped, 0 failed', { timeout: 120_000 });
  await expect(state(data)).toHaveText('up to date (cached)');
  await expect(state(train)).toHaveText('ran: up to date');
  await expect(state(predict)).toHaveText('ran: up to date');
  await expect(page.getByTestId('cell-run')).toHaveCount(2);
  // The predict cell now uses the new model version, and its result came from the new fingerprint chain.
  const v2Model = await predict.getByLabel('Model version').inputValue();
  expect(v2Model).not.toBe(v1Model);
  await expect(predict.getByLabel('Model version').locator('option:checked')).toContainText('v2');
  await expect(train.getByTestId('cell-last-result')).toContainText(`from fingerprint ${newPrint!.slice(0, 12)}`);

  // The Run all bar and the cells' pipeline lines pass axe-core's serious and critical rules.
  expect(await serious(page, 'run all')).toEqual([]);

  // The stamps are stored with the notebook: after a reload the cells are still up to date.
  await page.reload();
  await expect(state(nb.cell(2))).toHaveText('up to date');
  await expect(state(nb.cell(3))).toHaveText('up to date');
});

test('Cancel stops the whole Run all: the training run ends cancelled and the predict cell never starts', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.trainCellOn(fixture('heart-small.csv'));
  // By position: a new cell would otherwise become "the last cell".
  const train = nb.cell(2);
  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 1000, 4);
  await train.getByLabel('Early stopping').uncheck();
  await nb.addCell('Predict');
  const predict = nb.cell(3);
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(train.getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute('aria-valuetext', /Epoch \d+ of 1000/, { timeout: 60_000 });
  await expect(page.getByRole('progressbar', { name: 'Run all' })).toHaveAttribute('aria-valuetext', /Cell 2 of 3 \(Train\) running/);
  await page.getByRole('button', { name: 'Cancel run all' }).click();
  await expect(page.getByTestId('run-all-summary')).toContainText('Run all cancelled: 1 ran', { timeout: 30_000 });
  await expect(train.getByTestId('run-status')).toHaveText('cancelled');
  await expect(state(train)).toHaveText('cancelled');
  await expect(state(predict)).toContainText('not started');
});
