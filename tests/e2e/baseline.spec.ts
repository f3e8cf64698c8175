import { expect, test, type Locator } from './fixtures';
import { NotebookPage, confusionCounts, fixture } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

/** The numbers of a metrics-table row, by its exact name: the model's value, then the baseline's ("—" reads as NaN). */
async function rowValues(table: Locator, name: string): Promise<number[]> {
  const row = table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name, exact: true }) });
  return (await row.getByRole('cell').allInnerTexts()).map((t) => Number(t.trim().replace(/,/g, '').replace('−', '-').replace('±', '')));
}

test('every result sits beside its baseline: in the run’s metrics and in the comparison', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 4);
  await train.getByLabel('Early stopping').uncheck();
  await nb.sweep(train, 'Learning rate', '0.003, 0.1', 2);

  // The last run's metrics: a "Baseline: always “No”" column (554 of 600 rows are "No").
  await expect(train.getByTestId('run-status')).toHaveText('completed');
  const metrics = train.getByRole('table', { name: 'Test metrics' });
  await expect(metrics.getByRole('columnheader', { name: 'Baseline: always “No”' })).toBeVisible();
  // Its accuracy is the share of "No" among the test rows, read from the confusion matrix's row totals.
  const counts = await confusionCounts(train.getByRole('table', { name: /^Confusion matrix/ }));
  const [no, yes] = counts.map((r) => r.reduce((s, v) => s + v, 0)) as [number, number];
  expect(no + yes).toBe(90);
  const [, baseAccuracy] = await rowValues(metrics, 'Accuracy');
  expect(baseAccuracy).toBeCloseTo(no / (no + yes), 4);
  expect((await rowValues(metrics, 'Balanced accuracy'))[1]).toBe(0.5);
  expect((await rowValues(metrics, 'ROC AUC'))[1]).toBe(0.5);
  expect((await rowValues(metrics, 'Average precision'))[1]).toBeCloseTo(yes / (no + yes), 4);
  expect((await rowValues(metrics, 'G-mean'))[1]).toBeNaN();
  // The sentence under the table appears exactly when the model does no better on balanced accuracy.
  const [ba] = await rowValues(metrics, 'Balanced accuracy');
  await expect(train.getByTestId('baseline-verdict')).toHaveCount(ba! <= 0.5 ? 1 : 0);

  // Compare the sweep's two runs: one baseline column, and each run's difference from it.
  await nb.sidebar.getByRole('button', { name: 'Runs (2)' }).click();
  const table = page.getByRole('table', { name: 'All runs' });
  const boxes = table.getByRole('checkbox', { name: /^Select run / });
  await boxes.first().check();
  await boxes.nth(1).check();
  const comparison = page.getByRole('region', { name: 'Comparison of 2 runs' });
  const against = comparison.getByRole('table', { name: /^Against the baseline/ });
  const header = await against.getByRole('row').first().getByRole('columnheader').allInnerTexts();
  expect(header[1]).toBe('Baseline: always “No”');
  expect(header).toHaveLength(4);
  const accuracy = await nb.comparisonRow(comparison.getByRole('table', { name: /^Metrics of the selected runs/ }), 'Accuracy');
  const [base, ...lifts] = await rowValues(against, 'Accuracy');
  expect(base).toBeCloseTo(baseAccuracy!, 4);
  expect(lifts).toHaveLength(2);
  lifts.forEach((d, i) => expect(d).toBeCloseTo(accuracy[i]! - base!, 4));
});
