/**
 * Wide tables at a desktop and a phone size: what the user came for (the row's name or number,
 * the drift verdict, the predicted label, the column's distribution) is in view without
 * scrolling, the key column stays put when the table's own wrapper scrolls sideways, and the
 * page itself never scrolls sideways.
 */
import { expect, test, type Locator, type Page } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIZES, sideways } from './pages/screen';
import { NotebookPage, type FileSpec } from './pages/notebook';

test.describe.configure({ timeout: 240_000 });

const DATASETS = join(import.meta.dirname, '..', '..', 'datasets');
const batch: FileSpec = { name: 'heart-new-batch.csv', mimeType: 'text/csv', buffer: readFileSync(join(DATASETS, 'heart-new-batch.csv')) };

/** The table's scroll container: its parent element. */
function wrapperOf(table: Locator): Locator {
  return table.locator('xpath=..');
}

/** `el` lies horizontally inside both the viewport and `table`'s scroll container, unscrolled (boxes are page coordinates, so vertical position does not matter). */
async function expectInView(page: Page, table: Locator, el: Locator): Promise<void> {
  const box = (await el.boundingBox())!;
  const wrap = (await wrapperOf(table).boundingBox())!;
  const width = page.viewportSize()!.width;
  expect(box.x).toBeGreaterThanOrEqual(Math.max(0, wrap.x) - 1);
  expect(box.x + box.width).toBeLessThanOrEqual(Math.min(width, wrap.x + wrap.width) + 1);
}

/** Scrolls the table's wrapper all the way right and checks `key` is still at its left edge. */
async function expectStickyLeft(table: Locator, key: Locator): Promise<void> {
  const wrapper = wrapperOf(table);
  const scrolled = await wrapper.evaluate((el) => {
    el.scrollLeft = el.scrollWidth;
    return el.scrollLeft;
  });
  const box = (await key.boundingBox())!;
  const wrap = (await wrapper.boundingBox())!;
  if (scrolled > 0) expect(Math.abs(box.x - wrap.x)).toBeLessThanOrEqual(2);
  await wrapper.evaluate((el) => {
    el.scrollLeft = 0;
  });
}

for (const size of SIZES) {
  test.describe(`at ${size.width}x${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('profile, drift and prediction tables lead with their key column and verdict', async ({ page }, info) => {
      const nb = new NotebookPage(page);
      // Screenshots of each screen at this size, as artifacts of the run (not committed).
      const shot = (name: string) => page.screenshot({ path: info.outputPath(`${name}-${size.name}.png`), fullPage: true });
      await nb.goto();

      // The sample, and a quick model on it for the prediction preview below.
      const train = await nb.trainCellOnSample();
      await train.getByLabel('Backend').selectOption('cpu');
      await nb.miniBatch(train, 1);
      await nb.train(train);

      // The dataset profile: the column name, then its distribution and type.
      const data = nb.cell(1);
      const profile = data.getByRole('table', { name: 'Column profile' });
      const firstRow = profile.locator('tbody tr').first();
      const column = (await firstRow.getAttribute('data-column'))!;
      await expectInView(page, profile, firstRow.getByRole('rowheader'));
      await expectInView(page, profile, firstRow.getByRole('button', { name: `Chart of ${column}` }));
      await expectStickyLeft(profile, firstRow.getByRole('rowheader'));
      expect(await sideways(page)).toBe(0);
      await shot('dataset-and-train');

      // The drift table: the feature, then its verdict.
      const drift = await nb.addCell('Drift');
      const ref = drift.getByLabel('Reference data');
      await ref.selectOption((await ref.locator('option', { hasText: /^heart-sample v1/ }).getAttribute('value'))!);
      await drift.getByLabel('Choose new CSV').setInputFiles(batch);
      await expect(drift.getByRole('status').filter({ hasText: 'Stored as version 1 of "heart-new-batch"' })).toBeVisible();
      await drift.getByRole('button', { name: 'Check drift' }).click();
      await expect(drift.getByTestId('drift-summary')).toBeVisible({ timeout: 60_000 });
      const features = drift.getByRole('table', { name: /^Feature drift/ });
      const feature = features.locator('tbody tr').first();
      await expectInView(page, features, feature.getByRole('rowheader'));
      await expectInView(page, features, feature.getByTestId('drift-verdict'));
      await expectStickyLeft(features, feature.getByRole('rowheader'));
      expect(await sideways(page)).toBe(0);
      await shot('drift');

      // The prediction preview: the row number, then the predicted label.
      const predict = await nb.addCell('Predict');
      await predict.getByLabel('Model version').selectOption({ index: 1 });
      const dataChoice = predict.getByLabel('Data', { exact: true });
      await dataChoice.selectOption((await dataChoice.locator('option', { hasText: /^heart-new-batch v1/ }).getAttribute('value'))!);
      await predict.getByRole('button', { name: /^Predict [\d,]+ rows$/ }).click();
      await expect(predict.getByTestId('prediction-summary')).toBeVisible({ timeout: 60_000 });
      const preview = predict.getByRole('table', { name: /^Predictions preview/ });
      const header = await preview.getByRole('row').first().getByRole('columnheader').allInnerTexts();
      expect(header[0]).toBe('Row');
      expect(header[1]).toMatch(/^predicted_/);
      const first = preview.getByRole('row').nth(1);
      await expect(first.getByRole('rowheader')).toHaveText('1');
      await expectInView(page, preview, first.getByRole('rowheader'));
      await expectInView(page, preview, first.getByRole('cell').first());
      await expectStickyLeft(preview, first.getByRole('rowheader'));
      expect(await sideways(page)).toBe(0);
      await shot('predict');
    });
  });
}
