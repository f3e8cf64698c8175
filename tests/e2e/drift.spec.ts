import { expect, test, type Locator } from './fixtures';
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
  const cell = await nb.driftAgainstTrainedSample(batch);
  // The new batch carries its labels: label drift and the model's metrics are checked, one row each.
  const checks = cell.getByRole('table', { name: 'Model checks' });
  await expect(checks.getByRole('row', { name: /^prediction drift / })).toBeVisible();
  await expect(checks.getByRole('row', { name: /^label drift \(HeartDisease\) / })).toBeVisible();
  await expect(checks.getByRole('row', { name: /^ROC AUC / })).toBeVisible();
  await expect(cell.getByTestId('model-verdict')).toHaveText(/^(Retraining recommended|Watch|No action needed): /);

  // The report is listed with the model version it concerns.
  await nb.openModels();
  await page.getByRole('table', { name: 'Versions of HeartDisease model' }).getByRole('button', { name: 'v1', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Drift reports of this version' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Drift reports of this version' })).toContainText('4 of 17 features drifted');
});

/**
 * The heart sample with its labels swapped: every “Yes” becomes “No”, and as many of the
 * youngest “No” rows (under 45, whom a heart-disease model calls “No”) become “Yes”. The share
 * of each label stays exactly the same and no feature moves, so neither labels nor predictions
 * drift; but the model is now wrong on most swapped rows: its accuracy falls.
 */
function swappedLabels(): { file: FileSpec; swapped: number } {
  const [header, ...rows] = readFileSync(join(DATASETS, 'heart-sample.csv'), 'utf8').trim().split('\n');
  const age = header!.split(',').indexOf('AgeCategory');
  const young = new Set(['18-24', '25-29', '30-34', '35-39', '40-44']);
  const yes = rows.filter((r) => r.startsWith('Yes,')).length;
  let toYes = yes;
  const out = rows.map((r) => {
    if (r.startsWith('Yes,')) return `No,${r.slice(4)}`;
    if (toYes > 0 && r.startsWith('No,') && young.has(r.split(',')[age]!)) {
      toYes -= 1;
      return `Yes,${r.slice(3)}`;
    }
    return r;
  });
  expect(toYes).toBe(0);
  return { file: { name: 'heart-sample-swapped.csv', mimeType: 'text/csv', buffer: Buffer.from(`${[header, ...out].join('\n')}\n`) }, swapped: 2 * yes };
}

interface CheckRow {
  name: string;
  primary: boolean;
  reference: number;
  current: number;
  change: number;
  /** A metric row's tolerance (its input), or a drift row's rule ("drift when ≤ 0.050"). */
  tolerance: number;
  rule: string;
  result: string;
}

const number = (t: string) => Number(t.trim().replace('−', '-').replace(/,/g, ''));

async function checkRows(cell: Locator): Promise<CheckRow[]> {
  const out: CheckRow[] = [];
  for (const row of await cell.getByRole('table', { name: 'Model checks' }).locator('tbody tr').all()) {
    const cells = row.getByRole('cell');
    const input = cells.nth(4).getByRole('spinbutton');
    const isMetric = (await input.count()) === 1;
    const score = (await cells.nth(2).innerText()).trim();
    out.push({
      name: (await row.getByRole('rowheader').innerText()).trim(),
      primary: (await cells.nth(0).innerText()).trim() === 'yes',
      reference: number(await cells.nth(1).innerText()),
      // A drift row's "new" cell is the test and its score: "K-S p_value 0.912".
      current: isMetric ? number(score) : number(score.split(' ').at(-1)!),
      change: number(await cells.nth(3).innerText()),
      tolerance: isMetric ? number(await input.inputValue()) : NaN,
      rule: (await cells.nth(4).innerText()).trim(),
      result: (await cells.nth(5).innerText()).trim(),
    });
  }
  return out;
}

/** Each row's pass/fail, worked out again from its own numbers; then the verdict by the rule. */
function expectedVerdict(rows: CheckRow[]): string {
  for (const r of rows) {
    let fails: boolean;
    if (r.name.includes('drift')) {
      const [, when, threshold] = /^drift when ([≤<≥]) ([\d.]+)$/.exec(r.rule)!;
      fails = when === '≤' ? r.current <= Number(threshold) : when === '<' ? r.current < Number(threshold) : r.current >= Number(threshold);
    } else {
      // The change shown is new − test at 3 decimals; a fall larger than the tolerance fails.
      expect(Math.abs(r.change - (r.current - r.reference)), r.name).toBeLessThanOrEqual(0.0015);
      fails = -r.change > r.tolerance + 1e-9;
    }
    expect(r.result, r.name).toBe(fails ? '✗ fail' : '✓ pass');
  }
  const failed = rows.filter((r) => r.result.includes('fail'));
  if (failed.some((r) => r.primary)) return 'Retraining recommended';
  return failed.length > 0 ? 'Watch' : 'No action needed';
}

test('a batch whose labels were swapped: accuracy falls, the checks fail and say retraining is recommended; tolerances re-judge them at once and are kept', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.trainCellOnSample();
  const train = nb.cell(2);
  await train.getByLabel('Backend').selectOption('cpu');
  // Balanced class weights: the model calls “Yes” often enough for its accuracy to depend on which rows are “Yes”.
  await train.getByLabel('Class imbalance', { exact: true }).selectOption('class-weights');
  await nb.train(train);
  await nb.addCell('Drift');
  const cell = nb.cell(3);
  await cell.getByLabel('Reference', { exact: true }).selectOption('model');
  await cell.getByLabel('Model version').selectOption({ index: 1 });
  const { file, swapped } = swappedLabels();
  expect(swapped).toBe(3624); // the sample has 1,812 “Yes” rows: 18% of its rows change label
  await cell.getByLabel('Choose new CSV').setInputFiles(file);
  await cell.getByRole('button', { name: 'Check drift' }).click();
  const verdict = cell.getByTestId('model-verdict');
  await expect(verdict).toBeVisible({ timeout: 90_000 });

  let rows = await checkRows(cell);
  expect(rows.map((r) => r.name)).toEqual(['recall of “Yes”', 'balanced accuracy', 'ROC AUC', 'average precision', 'accuracy', 'F1 of “Yes”', 'prediction drift', 'label drift (HeartDisease)']);
  expect(rows.filter((r) => r.primary).map((r) => r.name)).toEqual(['recall of “Yes”', 'balanced accuracy', 'ROC AUC', 'prediction drift']);
  const accuracy = rows.find((r) => r.name === 'accuracy')!;
  // Each swapped row the model had right is now wrong: accuracy falls by far more than 0.05.
  expect(accuracy.reference - accuracy.current).toBeGreaterThan(0.05);
  expect(accuracy.tolerance).toBe(0.05);
  expect(accuracy.result).toBe('✗ fail');
  // Same features, same share of each label: neither the predictions nor the labels drifted.
  expect(rows.find((r) => r.name === 'prediction drift')!.result).toBe('✓ pass');
  expect(rows.find((r) => r.name === 'label drift (HeartDisease)')!.result).toBe('✓ pass');
  expect(expectedVerdict(rows)).toBe('Retraining recommended');
  await expect(verdict).toHaveText(/^Retraining recommended: .+\.$/);
  await expect(verdict).toContainText(`accuracy fell from ${accuracy.reference.toFixed(3)} to ${accuracy.current.toFixed(3)} (tolerance 0.050)`);
  // Every failing row is named in the sentence with its numbers; no passing one is.
  const sentence = await verdict.innerText();
  for (const r of rows) {
    if (r.name.includes('drift')) continue;
    const named = sentence.includes(`: ${r.name} fell`) || sentence.includes(`, ${r.name} fell`) || sentence.includes(`and ${r.name} fell`);
    expect(named, r.name).toBe(r.result.includes('fail'));
    if (named) expect(sentence).toContain(`${r.name} fell from ${r.reference.toFixed(3)} to ${r.current.toFixed(3)}`);
  }

  // Loosen every failing metric to a fall of 1: the rows pass and the verdict follows, without a new check.
  for (const r of rows.filter((x) => x.result.includes('fail'))) {
    const input = cell.getByLabel(`Tolerance for ${r.name}`, { exact: true });
    await input.fill('1');
    await input.press('Enter');
  }
  await expect(verdict).toHaveText('No action needed: every metric is within its tolerance and the model’s predictions have not drifted.');
  rows = await checkRows(cell);
  expect(expectedVerdict(rows)).toBe('No action needed');
  // Accuracy (not primary) back to 0.05: it fails alone, which is "watch".
  const accuracyInput = cell.getByLabel('Tolerance for accuracy', { exact: true });
  await accuracyInput.fill('0.05');
  await accuracyInput.press('Enter');
  const watch = `Watch: accuracy fell from ${accuracy.reference.toFixed(3)} to ${accuracy.current.toFixed(3)} (tolerance 0.050); the primary checks are within their tolerances.`;
  await expect(verdict).toHaveText(watch);
  rows = await checkRows(cell);
  expect(expectedVerdict(rows)).toBe('Watch');
  expect(rows.filter((r) => r.result.includes('fail')).map((r) => r.name)).toEqual(['accuracy']);
  await expect(cell.getByRole('button', { name: 'Check drift' })).toBeEnabled();

  // The export is the report as the cell shows it.
  const [json] = await Promise.all([page.waitForEvent('download'), cell.getByRole('button', { name: 'Export report (JSON)' }).click()]);
  const doc = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(doc.model.verdict.level).toBe('watch');
  expect(doc.model.verdict.sentence).toBe(watch);
  expect(doc.model.verdict.tolerances.accuracy).toBe(0.05);

  // The tolerances are part of the cell: after a reload, the same rows and verdict.
  await page.reload();
  const again = nb.cell(3);
  await expect(again.getByTestId('model-verdict')).toHaveText(watch);
  await expect(again.getByLabel('Tolerance for accuracy', { exact: true })).toHaveValue('0.050');
  expect(expectedVerdict(await checkRows(again))).toBe('Watch');

  // "Reset tolerances to their defaults": back to the first verdict.
  await again.getByRole('button', { name: 'Reset tolerances to their defaults' }).click();
  await expect(again.getByTestId('model-verdict')).toHaveText(/^Retraining recommended: /);
});
