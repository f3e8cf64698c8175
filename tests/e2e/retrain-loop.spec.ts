import { expect, test } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotebookPage, type FileSpec } from './pages/notebook';

test.describe.configure({ timeout: 300_000 });

const DATASETS = join(import.meta.dirname, '..', '..', 'datasets');
const batch: FileSpec = { name: 'heart-new-batch.csv', mimeType: 'text/csv', buffer: readFileSync(join(DATASETS, 'heart-new-batch.csv')) };
const MODEL = 'HeartDisease model';

test('the retraining loop is recorded: drift report -> Retrain with this data -> run -> evaluation on held-out rows -> promotion, shown as lineage', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const drift = await nb.driftAgainstTrainedSample(batch);

  // Retrain: the reference plus most of the new rows to train on, the rest held out for the evaluation.
  await drift.getByRole('button', { name: 'Retrain with this data' }).click();
  const notice = drift.getByTestId('retrain-notice');
  await expect(notice).toContainText('held out as “heart-new-batch-holdout” for the evaluation', { timeout: 60_000 });
  const m = /^Training on 20,000 reference rows \+ ([\d,]+) new rows; ([\d,]+) new rows held out/.exec(await notice.innerText());
  expect(m).not.toBeNull();
  const kept = Number(m![1]!.replace(/,/g, ''));
  const held = Number(m![2]!.replace(/,/g, ''));
  expect(kept + held).toBe(5000);
  // A seeded 30% split: within a few standard deviations of 1,500.
  expect(Math.abs(held - 1500)).toBeLessThan(120);

  const combined = nb.cell(4);
  await expect(combined).toHaveAccessibleName('Cell 4: Dataset');
  await expect(nb.rowCount(combined)).toContainText((20_000 + kept).toLocaleString('en-US'));
  const retrain = nb.cell(5);
  await expect(retrain).toHaveAccessibleName('Cell 5: Train');
  await expect(retrain.getByLabel('Target column')).toHaveValue('HeartDisease');
  await expect(retrain.getByLabel('Epochs', { exact: true })).toHaveValue('3');
  const evaluate = nb.cell(6);
  await expect(evaluate).toHaveAccessibleName('Cell 6: Evaluate models');
  await expect(evaluate.getByLabel('Labelled data').locator('option:checked')).toContainText('heart-new-batch-holdout v1');
  await expect(evaluate.getByLabel('Champion', { exact: true }).locator('option:checked')).toContainText(`${MODEL} v1`);

  // Run all trains the retrain cell (a new version of the same model) and evaluates it against v1 on the held-out rows.
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(page.getByTestId('run-all-summary')).toContainText('0 failed', { timeout: 180_000 });
  await expect(retrain.getByTestId('run-status')).toHaveText('completed');
  const verdict = evaluate.getByTestId('evaluate-verdict');
  await expect(verdict).toContainText(`${MODEL} v2`);
  await expect(verdict).toContainText(`against ${MODEL} v1`);
  // Neither model was trained on the held-out rows: no "optimistic" warning.
  await expect(evaluate.getByText(/figures here are optimistic/)).toHaveCount(0);

  const promote = evaluate.getByRole('form', { name: 'Promote challenger' });
  await promote.getByLabel('Your name').fill('Ana');
  await promote.getByLabel('Why').fill('retrained on the new batch');
  await promote.getByRole('button', { name: `Promote ${MODEL} v2 to @champion` }).click();
  await expect(promote.getByRole('status')).toContainText(`${MODEL}@champion now points at v2`);

  // The new version's page shows the loop as lineage, in order.
  await nb.openModels();
  await page.getByRole('table', { name: `Versions of ${MODEL}` }).getByRole('button', { name: 'v2', exact: true }).click();
  const chain = page.getByRole('list', { name: 'Retraining of this version, in order' });
  await expect(chain.getByRole('listitem')).toHaveCount(4);
  const steps = await chain.getByRole('listitem').evaluateAll((items) => items.map((li) => li.getAttribute('data-step')));
  expect(steps).toEqual(['drift', 'retrain', 'evaluation', 'promotion']);
  await expect(chain.getByRole('listitem').nth(0)).toContainText('Drift report');
  await expect(chain.getByRole('listitem').nth(1)).toContainText(/Retrained: run /);
  await expect(chain.getByRole('listitem').nth(2)).toContainText(`Evaluated against ${MODEL}`);
  await expect(chain.getByRole('listitem').nth(3)).toContainText('Promoted to @champion by Ana: “retrained on the new batch”');
});
