import { expect, test } from './fixtures';
import { NotebookPage, fixture, type FileSpec } from './pages/notebook';
import { Rng } from '../../src/lib/core/common';
import { unscaleTarget } from '../../src/lib/core/training';
import { olsFit, preparedDefault, softmaxFit, softmaxScores } from '../support/reference-fit';

test.describe.configure({ timeout: 180_000 });

const normal = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const csvFile = (name: string, text: string): FileSpec => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

/** 300 rows, 3 classes drawn from a softmax of linear scores (so not separable), one categorical feature. */
function threeClassCsv(): string {
  const rng = new Rng(11);
  const lines = ['x1,x2,x3,site,species'];
  for (let i = 0; i < 300; i++) {
    const [x1, x2, x3] = [normal(rng), normal(rng), normal(rng)];
    const site = ['north', 'south', 'east'][Math.floor(rng.next() * 3)]!;
    const z = [0, 1.8 * x1 - 1.2 * x2 + (site === 'south' ? 0.6 : 0), -1.4 * x1 + 1.5 * x3 + 0.3];
    const e = z.map((v) => Math.exp(v));
    let u = rng.next() * e.reduce((a, b) => a + b, 0);
    let c = 0;
    while (u > e[c]! && c < 2) u -= e[c++]!;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${x3.toFixed(4)},${site},${['alpha', 'beta', 'gamma'][c]}`);
  }
  return lines.join('\n');
}

/** 400 rows with a known linear truth plus noise: y = 3 + 2·x1 − 1.5·x2 + 0.5·x3 + 0.8·[g = b] + N(0, 0.5²). */
function linearCsv(): string {
  const rng = new Rng(7);
  const lines = ['x1,x2,x3,g,y'];
  for (let i = 0; i < 400; i++) {
    const [x1, x2, x3] = [normal(rng), normal(rng) * 2, normal(rng) + 1];
    const g = rng.next() < 0.5 ? 'a' : 'b';
    const y = 3 + 2 * x1 - 1.5 * x2 + 0.5 * x3 + (g === 'b' ? 0.8 : 0) + 0.5 * normal(rng);
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${x3.toFixed(4)},${g},${y.toFixed(4)}`);
  }
  return lines.join('\n');
}

test('a 300-row 3-class table with every default but the target reaches the converged optimum', async ({ page }) => {
  const csv = threeClassCsv();
  // The optimum, fitted here the long way on the same training rows.
  const data = await preparedDefault(csv, 'species', 'multiclass');
  const d = data.featureNames.length;
  const theta = softmaxFit(data.train.x, data.train.y, data.train.rows, d, 3);
  const best = softmaxScores(theta, data.test.x, data.test.y, data.test.rows, d);

  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(csvFile('three-class.csv', csv));
  await train.getByLabel('Target column').selectOption('species');
  await expect(train.getByLabel('Task')).toHaveValue('multiclass');
  await expect(train.getByTestId('budget-line')).toContainText('Fits to convergence');
  await nb.train(train);
  await expect(train.getByTestId('solver-line')).toContainText(/^Converged: Newton’s method/);
  const accuracy = await nb.metric(train, 'Accuracy');
  const logLoss = await nb.metric(train, 'Log loss');
  expect(Math.abs(accuracy - best.accuracy)).toBeLessThanOrEqual(0.01);
  expect(Math.abs(logLoss - best.logLoss)).toBeLessThanOrEqual(0.01);
  // What a 10-epoch mini-batch default reached on such a table (0.80) is far below: the optimum is well above chance here.
  expect(best.accuracy).toBeGreaterThan(0.6);
});

test('a 400-row regression table with a known linear truth reaches the least-squares solution', async ({ page }) => {
  const csv = linearCsv();
  const data = await preparedDefault(csv, 'y', 'regression');
  const d = data.featureNames.length;
  const w = olsFit(data.train.x, data.train.y, data.train.rows, d);
  if (data.target.task !== 'regression') throw new Error('expected a regression target');
  const predicted = Array.from({ length: data.test.rows }, (_, i) => w.slice(0, d).reduce((s, v, j) => s + v * data.test.x[i * d + j]!, w[d]!));
  const yTrue = unscaleTarget(data.target, data.test.y.subarray(0, data.test.rows));
  const yPred = unscaleTarget(data.target, predicted);
  const mean = yTrue.reduce((a, b) => a + b, 0) / yTrue.length;
  let sse = 0;
  let sst = 0;
  yTrue.forEach((v, i) => {
    sse += (v - yPred[i]!) ** 2;
    sst += (v - mean) ** 2;
  });
  const r2 = 1 - sse / sst;
  const rmse = Math.sqrt(sse / yTrue.length);

  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(csvFile('linear.csv', csv));
  await train.getByLabel('Target column').selectOption('y');
  await expect(train.getByLabel('Task')).toHaveValue('regression');
  await nb.train(train);
  await expect(train.getByTestId('solver-line')).toContainText(/^Converged: least squares, solved directly/);
  expect(Math.abs((await nb.metric(train, 'R²')) - r2)).toBeLessThanOrEqual(0.01);
  expect(Math.abs((await nb.metric(train, 'RMSE')) - rmse)).toBeLessThanOrEqual(0.01 * rmse);
  // The truth explains most of the variance: noise 0.5 against a signal of about 3.7 standard deviations.
  expect(r2).toBeGreaterThan(0.9);
});

test('a run still improving at its last epoch says so, and Continue training starts a child run from its weights', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await train.getByLabel('Backend').selectOption('cpu');
  // Three epochs of 13 small batches: far too short, so the validation loss is still falling at the end.
  await nb.miniBatch(train, 3, 32);
  await nb.train(train);
  const finding = train.getByTestId('run-finding').filter({ hasText: /^Still improving: validation loss went from [\d.]+ to [\d.]+ over the last 2 epochs/ });
  await expect(finding).toBeVisible();
  const parentLoss = await lastValidationLoss(train);
  await finding.getByRole('button', { name: 'Continue training' }).click();
  await expect(nb.sidebar.getByRole('button', { name: 'Runs (2)' })).toBeVisible({ timeout: 60_000 });
  await expect(train.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
  await expect(train.getByText(/^Continued from run [\w-]+ [0-9a-f]{8}: it started from that run’s last weights\.$/)).toBeVisible();
  // The child starts where the parent stopped: its validation loss keeps falling below the parent's last one.
  expect(await lastValidationLoss(train)).toBeLessThan(parentLoss);
  await expect(nb.sidebar.getByRole('button', { name: 'Models (1)' })).toBeVisible();
  await expect(train.getByRole('button', { name: /^HeartDisease model v2$/ })).toBeVisible();
});

/** The validation loss at the last epoch, from the loss chart's accessible summary. */
async function lastValidationLoss(cell: import('@playwright/test').Locator): Promise<number> {
  const label = await cell.getByRole('img', { name: /^Loss per epoch: / }).last().getAttribute('aria-label');
  return Number(/validation loss ([\d.e-]+)/.exec(label ?? '')![1]);
}
