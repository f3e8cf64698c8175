import { expect, test } from './fixtures';
import { NotebookPage, type FileSpec } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

/**
 * 5,000 rows: "zip", 1,000 classes of 5 rows each; three features; "label"
 * Yes/No; "city", four cities and one that occurs once.
 */
function zips(): FileSpec {
  const lines = ['zip,age,income,city,label'];
  const cities = ['Avon', 'Bath', 'Cork', 'Derry'];
  for (let i = 0; i < 5000; i++) {
    const city = i === 4999 ? 'Ely' : cities[i % 4];
    lines.push(`ZIP-${String(i % 1000).padStart(4, '0')},${20 + ((i * 7) % 50)},${1000 + ((i * 7919) % 3000) * 10},${city},${i % 3 === 0 ? 'Yes' : 'No'}`);
  }
  return { name: 'zips.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) };
}

test('a 1,000-class target is refused before training, and the page keeps answering', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(zips());
  const features = train.getByRole('group', { name: /^Features/ });
  await expect(train.getByLabel('Target column')).toHaveValue('label');
  await expect(features.locator('legend').first()).toHaveText('Features (4 of 4)');

  await train.getByLabel('Target column').selectOption('zip');
  await expect(train.getByLabel('Task')).toHaveValue('multiclass');
  await expect(train.getByRole('alert')).toContainText(
    '“zip” has 1,000 classes for 5,000 rows: too many for a classifier (at most 100, and at least 5 rows a class on average). Pick another target.',
  );
  await expect(train.getByRole('button', { name: 'Train model' })).toBeDisabled();
  // No sweep can start on it either.
  await expect(train.getByText('Sweep and compare strategies')).toHaveCount(0);
  // The old target came back as a feature, the new one left: still 4 of 4.
  await expect(features.locator('legend').first()).toHaveText('Features (4 of 4)');

  // The page still answers: other controls respond.
  await train.getByLabel('Model name').fill('zip-model');
  await expect(train.getByLabel('Model name')).toHaveValue('zip-model');
  await train.getByRole('button', { name: 'Clear features' }).click();
  await expect(features.locator('legend').first()).toHaveText('Features (0 of 4)');
  await train.getByRole('button', { name: 'Select all features' }).click();
  await expect(features.locator('legend').first()).toHaveText('Features (4 of 4)');

  // Picking "zip" again changes nothing: no feature added, only the target's own error.
  await train.getByLabel('Target column').selectOption('zip');
  await expect(features.locator('legend').first()).toHaveText('Features (4 of 4)');
  await expect(train.getByRole('alert').getByRole('listitem')).toHaveCount(1);
  await expect(features.getByRole('checkbox')).toHaveCount(4);
});

test('picking the current target again keeps the features right; a class of one row is a warning, not a refusal', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(zips());
  const features = train.getByRole('group', { name: /^Features/ });
  await train.getByLabel('Target column').selectOption('label');
  await expect(features.locator('legend').first()).toHaveText('Features (4 of 4)');
  await expect(train.getByRole('alert')).toHaveCount(0);
  await expect(train.getByRole('checkbox', { name: /^label / })).toHaveCount(0);
  await expect(train.getByRole('button', { name: 'Train model' })).toBeEnabled();

  // "city": five classes, "Ely" with a single row.
  await train.getByLabel('Target column').selectOption('city');
  await expect(train.getByLabel('Task')).toHaveValue('multiclass');
  await expect(train.getByTestId('target-warnings')).toHaveText(
    '1 class has fewer than 3 rows (“Ely” 1 row): it cannot appear in all 3 splits, so the model may never train on it or the test split may not measure it. Consider merging rare classes.',
  );
  await expect(train.getByRole('alert')).toHaveCount(0);
  await expect(train.getByRole('button', { name: 'Train model' })).toBeEnabled();
  await train.getByLabel('Target column').selectOption('city');
  await expect(features.locator('legend').first()).toHaveText('Features (4 of 4)');
  await expect(train.getByRole('alert')).toHaveCount(0);
});
