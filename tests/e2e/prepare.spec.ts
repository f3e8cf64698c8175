/**
 * The Prepare cell: a recipe built from the menu on the imported sample (filter, fill, derived
 * column, join with a lookup table made here), previewed on the first rows, applied, stored as
 * a new dataset version with its derivation, trained on, and applied again (nothing new stored).
 * A bad step names itself and its column and keeps Apply disabled.
 */
import { expect, test, type Locator, type Page } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotebookPage, type FileSpec } from './pages/notebook';
import { sideways } from './pages/screen';
import { serious } from './pages/axe';

test.describe.configure({ timeout: 240_000 });

const DATASETS = join(import.meta.dirname, '..', '..', 'datasets');
const sampleText = readFileSync(join(DATASETS, 'heart-sample.csv'), 'utf8');
const sample: FileSpec = { name: 'heart-sample.csv', mimeType: 'text/csv', buffer: Buffer.from(sampleText) };

/** The sample's rows as records (it has no quoted fields). */
const rows = sampleText
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => line.split(','));
const header = sampleText.slice(0, sampleText.indexOf('\n')).trim().split(',');
const BMI = header.indexOf('BMI');
const AGE = header.indexOf('AgeCategory');

/** A lookup table keyed on the sample's AgeCategory: one row per category, with a coarser group. */
function ageGroups(): FileSpec {
  const categories = [...new Set(rows.map((r) => r[AGE]!))].sort();
  const group = (c: string) => (/^(18|25|30|35)-/.test(c) ? 'young' : /^(40|45|50|55|60)-/.test(c) ? 'middle' : 'older');
  const text = ['AgeCategory,AgeGroup', ...categories.map((c) => `${c},${group(c)}`)].join('\n') + '\n';
  return { name: 'age-groups.csv', mimeType: 'text/csv', buffer: Buffer.from(text) };
}

/** Rows with BMI > 25, counted here from the file: in the first `n` rows, or in all of them. */
function heavier(n = rows.length): number {
  return rows.slice(0, n).filter((r) => Number(r[BMI]) > 25).length;
}

async function addPrepareCell(page: Page, nb: NotebookPage): Promise<Locator> {
  await page.getByRole('button', { name: '+ Prepare cell' }).click();
  return nb.cells.last();
}

async function addStep(cell: Locator, kind: string): Promise<void> {
  await cell.getByLabel('New step').selectOption({ label: kind });
  await cell.getByRole('button', { name: 'Add step' }).click();
}

/** Types into a step's text field and commits it (Enter), as a person does. */
async function type(cell: Locator, label: string, text: string): Promise<void> {
  const field = cell.getByLabel(label, { exact: true });
  await field.fill(text);
  await field.press('Enter');
}

async function done(cell: Locator, n: number): Promise<void> {
  await cell.getByRole('button', { name: `Done editing step ${n}` }).click();
}

test('a recipe on the sample: previewed, applied as a new version with its derivation, trained on, and applied again stores nothing', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const data = await nb.addCell('Dataset');
  await nb.chooseFile(data, sample);
  await nb.expectStored(data, 1);
  const lookup = await nb.addCell('Dataset');
  await nb.chooseFile(lookup, ageGroups());
  await nb.expectStored(lookup, 1);

  const prep = await addPrepareCell(page, nb);
  await expect(prep).toHaveAccessibleName('Cell 3: Prepare');
  await prep.getByLabel('Input data').selectOption({ label: 'heart-sample v1 · 20,000 rows' });
  const summary = prep.getByTestId('prepare-preview-summary');
  await expect(summary).toHaveText('Preview of the first 200 rows: 200 → 200 rows', { timeout: 30_000 });

  // 1. Filter: the preview keeps the first rows with BMI > 25, counted here from the file.
  await addStep(prep, 'Filter rows');
  await type(prep, 'Keep rows where', 'BMI > 25');
  await done(prep, 1);
  const kept = heavier(200);
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(200);
  await expect(summary).toHaveText(`Preview of the first 200 rows: 200 → ${kept} rows`, { timeout: 30_000 });
  const steps = prep.getByRole('list', { name: 'Recipe steps' }).getByRole('listitem');
  await expect(steps.nth(0)).toContainText('BMI > 25');
  await expect(steps.nth(0).getByTestId('step-rows')).toHaveText(`→ ${kept} rows`);

  // 2. Fill missing SleepTime with its median.
  await addStep(prep, 'Fill missing values');
  await prep.getByLabel('Column to fill').selectOption('SleepTime');
  await prep.getByLabel('Fill with').selectOption('median');
  await done(prep, 2);
  await expect(steps.nth(1)).toContainText('SleepTime');

  // 3. A derived column: the preview grows by one column.
  await addStep(prep, 'Derived column');
  await type(prep, 'New column name', 'BMIPerSleep');
  await type(prep, 'Expression', 'BMI / SleepTime');
  await done(prep, 3);
  await expect(steps.nth(2)).toContainText('BMIPerSleep');
  await expect(prep.getByText(`Columns 1–12 of ${header.length + 1}`)).toBeVisible({ timeout: 30_000 });

  // 4. Join the lookup on AgeCategory (left): one more column, the same rows.
  await addStep(prep, 'Join dataset');
  await prep.getByLabel('Dataset version to join').selectOption({ label: 'age-groups v1 · 13 rows' });
  await prep.getByLabel('Join on (key columns in both)').selectOption(['AgeCategory']);
  await prep.getByLabel('Keep', { exact: true }).selectOption('left');
  await done(prep, 4);
  await expect(steps.nth(3)).toContainText('age-groups v1');
  await expect(prep.getByText(`Columns 1–12 of ${header.length + 2}`)).toBeVisible({ timeout: 30_000 });
  await expect(summary).toHaveText(`Preview of the first 200 rows: 200 → ${kept} rows`);
  await prep.getByRole('button', { name: 'Next columns' }).click();
  await expect(prep.getByRole('table', { name: 'Prepared rows' }).getByRole('columnheader', { name: 'AgeGroup' })).toBeVisible();

  // The cell with its recipe, preview and group-by section passes axe-core.
  expect(await serious(page, 'Prepare cell with a recipe')).toEqual([]);

  // Apply: stored under "<input>-prepared", every row of the sample with BMI > 25.
  await expect(prep.getByLabel('Save as dataset')).toHaveAttribute('placeholder', 'heart-sample-prepared');
  await prep.getByRole('button', { name: 'Apply recipe' }).click();
  const result = prep.getByTestId('prepare-result');
  await expect(result).toContainText('Stored as heart-sample-prepared v1 (new)', { timeout: 90_000 });
  const before = await nb.storedCounts();
  expect(before.versions).toBe(3);

  // The new version's page: its rows and columns, and where it came from.
  await result.getByRole('button', { name: 'Open heart-sample-prepared v1' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'heart-sample-prepared' })).toBeVisible();
  await expect(page.getByTestId('row-count')).toHaveText(heavier().toLocaleString('en-US'));
  await expect(page.getByTestId('column-count')).toHaveText(String(header.length + 2));
  await expect(page.getByTestId('derivation-line')).toHaveText(/Prepared from heart-sample v1 \(\+ joined age-groups v1\) by recipe [0-9a-f]{12}/);
  await expect(page.getByRole('list', { name: 'Recipe steps of this version' }).getByRole('listitem')).toHaveCount(4);

  // A train cell added below the Prepare cell starts on the prepared version and trains on it.
  await nb.sidebar.getByRole('button', { name: 'My first notebook', exact: true }).click();
  const train = await nb.addCell('Train');
  const versionSelect = train.getByLabel('Dataset version', { exact: true });
  const prepared = await versionSelect.locator('option', { hasText: /^heart-sample-prepared v1 / }).getAttribute('value');
  await expect(versionSelect).toHaveValue(prepared!);
  await nb.showAllSettings(train);
  await train.getByLabel('Target column').selectOption('HeartDisease');
  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 2);
  await nb.train(train);

  // Applying the same recipe to the same input again stores nothing new.
  const again = nb.cell(3);
  await again.getByRole('button', { name: 'Apply recipe' }).click();
  await expect(again.getByTestId('prepare-result')).toContainText('Already stored as heart-sample-prepared v1 — nothing new was stored', { timeout: 90_000 });
  expect(await nb.storedCounts()).toEqual(before);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('a filter on an unknown column names the step and the column, and Apply stays disabled; nothing scrolls sideways', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const data = await nb.addCell('Dataset');
    await nb.chooseFile(data, sample);
    await nb.expectStored(data, 1);
    const prep = await addPrepareCell(page, nb);
    // A new cell starts on the dataset cell above it.
    await expect(prep.getByLabel('Input data')).toHaveValue(/^[0-9a-f]{64}$/);
    await expect(prep.getByTestId('prepare-preview-summary')).toHaveText('Preview of the first 200 rows: 200 → 200 rows', { timeout: 30_000 });

    await addStep(prep, 'Filter rows');
    await type(prep, 'Keep rows where', 'Agee > 30');
    const problem = prep.getByTestId('step-problem');
    await expect(problem).toContainText('Step 1', { timeout: 30_000 });
    await expect(problem).toContainText('Agee');
    await expect(problem).toHaveAttribute('role', 'alert');
    await expect(prep.getByRole('alert')).toHaveCount(1);
    await expect(prep.getByTestId('prepare-step').first()).toHaveAttribute('aria-invalid', 'true');
    await expect(prep.getByRole('button', { name: 'Apply recipe' })).toBeDisabled();
    expect(await sideways(page)).toBe(0);

    // Fixed, the problem goes and Apply can run.
    await type(prep, 'Keep rows where', 'BMI > 25');
    await expect(problem).toHaveCount(0, { timeout: 30_000 });
    await expect(prep.getByRole('button', { name: 'Apply recipe' })).toBeEnabled();
    expect(await sideways(page)).toBe(0);
    const stored = await nb.storedCounts();
    expect(stored.versions).toBe(1);
  });
});
