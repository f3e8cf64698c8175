import { expect, test, type Locator } from './fixtures';
import { NotebookPage, confusionCounts, fixture } from './pages/notebook';

test.describe.configure({ timeout: 240_000 });

interface Counts {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

/** The live confusion matrix of the run page's "Decision threshold" section. */
async function liveCounts(section: Locator): Promise<Counts> {
  const [[tn, fp], [fn, tp]] = (await confusionCounts(section.getByRole('table', { name: /^Confusion matrix at the live threshold/ }))) as [[number, number], [number, number]];
  return { tn, fp, fn, tp };
}

/** A cell of the "Stored and live threshold" table: column 0 stored, 1 live. */
async function sideBySide(section: Locator, metric: string, column: 0 | 1): Promise<string> {
  const table = section.getByRole('table', { name: 'Stored and live threshold on the test split' });
  const row = table.getByRole('row').filter({ has: section.page().getByRole('rowheader', { name: metric, exact: true }) });
  return (await row.getByRole('cell').nth(column).innerText()).trim();
}

const three = (v: number) => v.toFixed(3);

/**
 * What the screen must say at any threshold, checked against the test's own arithmetic: the four
 * counts add up to the test split; recall, precision and accuracy as displayed are TP / (TP + FN),
 * TP / (TP + FP) and (TP + TN) / n of the counts displayed; the live column repeats the matrix.
 */
async function expectConsistent(section: Locator, n: number): Promise<Counts> {
  const c = await liveCounts(section);
  expect(c.tn + c.fp + c.fn + c.tp).toBe(n);
  expect(await sideBySide(section, 'True positives', 1)).toBe(String(c.tp));
  expect(await sideBySide(section, 'False positives', 1)).toBe(String(c.fp));
  expect(await sideBySide(section, 'False negatives', 1)).toBe(String(c.fn));
  expect(await sideBySide(section, 'True negatives', 1)).toBe(String(c.tn));
  expect(await sideBySide(section, 'Recall of “Yes”', 1)).toBe(three(c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0));
  expect(await sideBySide(section, 'Precision of “Yes”', 1)).toBe(three(c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0));
  expect(await sideBySide(section, 'Accuracy', 1)).toBe(three((c.tp + c.tn) / n));
  const report = section.getByRole('table', { name: 'Classification report' });
  await expect(report.getByRole('row', { name: /^Yes / }).getByRole('cell').nth(1)).toHaveText(three(c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0));
  return c;
}

/** Types a threshold into the numeric input and leaves it with Enter; the box then shows 3 decimals. */
async function typeThreshold(input: Locator, value: string): Promise<void> {
  await input.fill(value);
  await input.press('Enter');
  await expect(input).toHaveValue(Number(value).toFixed(3));
}

test('move a binary run’s threshold live (input, keyboard, pointer), then save it as a new model version', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await nb.train(train);
  await train.getByRole('button', { name: /^Open run / }).click();

  // The id of the version the run registered, to tell the new one apart.
  await page.getByRole('navigation', { name: 'Lineage' }).getByRole('button', { name: 'Model HeartDisease model v1' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'HeartDisease model v1' })).toBeVisible();
  const v1 = await nb.modelVersionId();
  await page.getByRole('navigation', { name: 'Lineage' }).getByRole('button', { name: /^Run / }).click();

  const summary = page.getByTestId('run-summary');
  const n = await nb.metric(summary, 'Test rows');
  const section = page.getByRole('region', { name: 'Decision threshold' });
  const input = section.getByRole('spinbutton', { name: 'Decision threshold' });
  const slider = section.getByRole('slider', { name: 'Decision threshold handle on the curve' });
  await expect(input).toHaveValue(/^\d\.\d{3}$/);

  // At first the live threshold is the stored one: the live matrix is the run's own test evaluation.
  const stored = await sideBySide(section, 'Decision threshold', 0);
  expect(stored).toMatch(/^\d\.\d{3}$/);
  await expect(input).toHaveValue(stored);
  const evaluated = await confusionCounts(summary.getByRole('table', { name: /^Confusion matrix \(rows/ }));
  const atStored = await expectConsistent(section, n);
  expect([
    [atStored.tn, atStored.fp],
    [atStored.fn, atStored.tp],
  ]).toEqual(evaluated);
  await expect(section.getByRole('button', { name: 'Reset to the stored threshold' })).toBeDisabled();

  // 0: every row is predicted "Yes" (scores are probabilities, all >= 0).
  await typeThreshold(input, '0');
  const atZero = await expectConsistent(section, n);
  expect(atZero.tn + atZero.fn).toBe(0);
  expect(atZero.tp).toBe(evaluated[1]![0]! + evaluated[1]![1]!);

  // Raising the threshold never predicts more rows positive.
  let before = atZero.tp + atZero.fp;
  for (const t of ['0.05', '0.1', '0.2', '0.35', '0.5', '0.8']) {
    await typeThreshold(input, t);
    await expect(slider).toHaveAttribute('aria-valuenow', String(Number(t)));
    const c = await expectConsistent(section, n);
    expect(c.tp + c.fp).toBeLessThanOrEqual(before);
    before = c.tp + c.fp;
  }

  // The handle is a slider: PageDown -0.01, arrows ±0.001, Home and End; the input follows.
  await slider.focus();
  await slider.press('PageDown');
  await expect(slider).toHaveAttribute('aria-valuenow', '0.79');
  await expect(input).toHaveValue('0.790');
  for (let i = 0; i < 3; i++) await slider.press('ArrowDown');
  await expect(input).toHaveValue('0.787');
  await slider.press('ArrowUp');
  await expect(slider).toHaveAttribute('aria-valuenow', '0.788');
  await expect(slider).toHaveAttribute('aria-valuetext', /^0\.788: precision [\d.]+, recall [\d.]+, \d+ of \d+ rows predicted “Yes”$/);
  const at788 = await expectConsistent(section, n);
  expect(at788.tp + at788.fp).toBeGreaterThanOrEqual(before);
  await slider.press('End');
  await expect(input).toHaveValue('1.000');
  const atOne = await expectConsistent(section, n);
  expect(atOne.tp + atOne.fp).toBeLessThanOrEqual(at788.tp + at788.fp);
  await slider.press('Home');
  await expect(input).toHaveValue('0.000');
  expect(await liveCounts(section)).toEqual(atZero);

  // Drag the handle with the pointer from the top left (threshold 1) to the bottom right of the
  // curve: it follows the curve to where every "Yes" row is found (recall 1), a lower threshold.
  await slider.press('End');
  const chart = section.getByRole('group', { name: 'Precision-recall curve of the test split' });
  const box = (await chart.boundingBox())!;
  const handle = (await slider.boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.move(box.x + box.width - 2, box.y + box.height - 2, { steps: 5 });
  await page.mouse.up();
  const dragged = Number(await slider.getAttribute('aria-valuenow'));
  expect(dragged).toBeLessThan(1);
  const atDrag = await expectConsistent(section, n);
  expect(atDrag.fn).toBe(0);
  await expect(input).toHaveValue(three(dragged));

  // Reset goes back to the stored threshold and its counts.
  await section.getByRole('button', { name: 'Reset to the stored threshold' }).click();
  await expect(input).toHaveValue(stored);
  expect(await liveCounts(section)).toEqual(atStored);

  // Save the model again at 0.3: a new version of the same model, with its own id and threshold.
  await typeThreshold(input, '0.3');
  const at03 = await expectConsistent(section, n);
  await section.getByRole('button', { name: 'Save as a new model version with this threshold' }).click();
  await expect(section.getByTestId('threshold-saved')).toContainText(/Saved as HeartDisease model v2 \(threshold 0\.300, id [0-9a-f]{12}\)/);

  // Open the new version: its page shows the threshold with 3 decimals, and its id is its own.
  await section.getByRole('button', { name: 'Open HeartDisease model v2' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'HeartDisease model v2' })).toBeVisible();
  await expect(page.getByTestId('version-threshold')).toHaveText(/^0\.300 \(set by hand on the test split's scores, from v1; in metrics\.json\)$/);
  const v2 = await nb.modelVersionId();
  expect(v2).not.toBe(v1);
  await nb.expectFilesVerify();

  // The same threshold again is refused: those exact files are registered already.
  await page.getByRole('navigation', { name: 'Lineage' }).getByRole('button', { name: /^Run / }).click();
  await typeThreshold(input, '0.3');
  await section.getByRole('button', { name: 'Save as a new model version with this threshold' }).click();
  await expect(section.getByRole('alert')).toHaveText(/^Threshold 0\.300 is already registered as version 2 of “HeartDisease model” .*Nothing was saved\.$/);
  expect((await nb.storedRegistryCounts()).modelVersions).toBe(2);

  // The compare view moves each run's threshold the same way, from the same stored scores.
  await nb.sidebar.getByRole('button', { name: 'Runs (1)' }).click();
  await page.getByRole('table', { name: 'All runs' }).getByRole('checkbox', { name: /^Select run / }).check();
  const compare = page.getByRole('region', { name: 'Decision thresholds of the selected runs' });
  const perRun = compare.getByRole('spinbutton', { name: /^Decision threshold of / });
  await expect(perRun).toHaveValue(stored);
  await typeThreshold(perRun, '0.3');
  const row = compare.getByRole('table', { name: "Precision, recall and F1 at each run's threshold" }).getByRole('row').nth(1);
  const cells = (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());
  expect(cells[1]).toBe('0.300');
  expect(cells.slice(5).map(Number)).toEqual([at03.tp, at03.fp, at03.fn, at03.tn]);
  expect(cells[3]).toBe(three(at03.tp / (at03.tp + at03.fn)));
});
