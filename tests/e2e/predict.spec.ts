import { expect, test } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, NotebookPage, type FileSpec } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

const heart = readFileSync(join(FIXTURES, 'heart-small.csv'), 'utf8').trim().split('\n');

/** heart-small with a formula in one Race cell (a CSV-injection attempt) and no target column. */
function newBatch(): FileSpec {
  const rows = heart.map((line, i) => {
    const cells = line.split(',').slice(1); // drop HeartDisease: new data has no label
    if (i === 1) cells[9] = '=cmd|calc!A0';
    return cells.join(',');
  });
  return { name: 'new-patients.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') };
}

/** heart-small without its BMI column. */
function withoutBmi(): FileSpec {
  const rows = heart.map((line) => line.split(',').filter((_, j) => j !== 1).join(','));
  return { name: 'no-bmi.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') };
}

test('predict a new CSV with a model version: schema checked first, preview, a download with probabilities and escaped formulas', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn({ name: 'heart-small.csv', mimeType: 'text/csv', buffer: Buffer.from(heart.join('\n') + '\n') });
  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 3);
  await nb.train(train);

  const cell = await nb.addCell('Predict');
  await cell.getByLabel('Model version').selectOption({ index: 1 });
  // A file without a column the model needs: named, and nothing runs.
  await cell.getByLabel('Choose CSV to predict on').setInputFiles(withoutBmi());
  await expect(cell.getByRole('region', { name: /^Schema check against/ })).toContainText('“BMI”');
  await expect(cell.getByRole('button', { name: /^Predict / })).toBeDisabled();
  await expect(cell.getByRole('alert')).toContainText('the model cannot predict');

  await cell.getByLabel('Choose CSV to predict on').setInputFiles(newBatch());
  await expect(cell.getByRole('button', { name: 'Predict 600 rows' })).toBeEnabled();
  // Without the target the file still predicts; the unseen Race value is flagged as a warning.
  await expect(cell.locator('[data-kind="unseen-categories"]')).toContainText('Race');
  await cell.getByRole('button', { name: 'Predict 600 rows' }).click();
  await expect(cell.getByTestId('prediction-summary')).toContainText(/^Predicted 600 rows at threshold 0\.500: No [\d,]+ · Yes [\d,]+\./);
  const preview = cell.getByRole('table', { name: /^Predictions preview/ });
  const header = await preview.getByRole('row').first().getByRole('columnheader').allInnerTexts();
  // On screen the answers lead: the row number, then the prediction and probabilities, then the inputs.
  expect(header.slice(0, 4)).toEqual(['Row', 'predicted_HeartDisease', 'probability_No', 'probability_Yes']);
  await expect(preview.getByRole('row')).toHaveCount(21);

  const [download] = await Promise.all([page.waitForEvent('download'), cell.getByRole('button', { name: 'Download predictions (CSV)' }).click()]);
  const text = readFileSync((await download.path())!, 'utf8');
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines).toHaveLength(601);
  expect(lines[0]!.split(',').slice(-3)).toEqual(['predicted_HeartDisease', 'probability_No', 'probability_Yes']);
  // The formula cell is written with a leading quote, so a spreadsheet shows it as text.
  expect(lines[1]).toContain(",'=cmd|calc!A0,");
  // Each row's probabilities add up to 1 and its label follows them at the 0.5 threshold.
  for (const line of lines.slice(1, 50)) {
    const cells = line.split(',');
    const [label, pNo, pYes] = [cells.at(-3)!, Number(cells.at(-2)), Number(cells.at(-1))];
    expect(pNo + pYes).toBeCloseTo(1, 5);
    expect(label).toBe(pYes >= 0.5 ? 'Yes' : 'No');
  }

  // The result is kept with the notebook.
  await page.reload();
  await expect(nb.cell(3).getByTestId('prediction-summary')).toContainText('Predicted 600 rows');
});
