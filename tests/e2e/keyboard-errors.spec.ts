import { expect, test } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, NotebookPage } from './pages/notebook';

test('markdown cell: Shift+Enter finishes, Esc cancels, focus lands on Edit note', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const md = await nb.addCell('Markdown');
  await expect(md.getByText('Shift+Enter to finish, Esc to cancel')).toBeVisible();
  const editor = md.getByLabel('Markdown');
  await editor.fill('# Hypothesis\nClass weights lift recall.');
  await editor.press('Shift+Enter');
  await expect(md.getByRole('heading', { name: 'Hypothesis' })).toBeVisible();
  const edit = md.getByRole('button', { name: 'Edit note' });
  await expect(edit).toBeFocused();

  await page.keyboard.press('Enter'); // the focused Edit note button
  await expect(editor).toBeFocused();
  await editor.fill('# Something else');
  await editor.press('Escape');
  await expect(md.getByRole('heading', { name: 'Hypothesis' })).toBeVisible();
  await expect(md.getByRole('heading', { name: 'Something else' })).toHaveCount(0);
  await expect(edit).toBeFocused();
  await page.reload();
  await expect(nb.cells.last().getByRole('heading', { name: 'Hypothesis' })).toBeVisible();
});

test('predict cell: a file without most of the model columns is refused in one line, details folded', async ({ page }) => {
  test.setTimeout(180_000);
  const heart = readFileSync(join(FIXTURES, 'heart-small.csv'), 'utf8');
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn({ name: 'heart-small.csv', mimeType: 'text/csv', buffer: Buffer.from(heart) });
  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 3);
  await nb.train(train);

  const cell = await nb.addCell('Predict');
  await cell.getByLabel('Model version').selectOption({ index: 1 });
  const other = Array.from({ length: 30 }, (_, i) => `${i},${i % 2 ? 'red' : 'blue'}`);
  await cell.getByLabel('Choose CSV to predict on').setInputFiles({ name: 'other.csv', mimeType: 'text/csv', buffer: Buffer.from(['Id,Colour', ...other].join('\n') + '\n') });
  const region = cell.getByRole('region', { name: /^Schema check against/ });
  await expect(region.getByTestId('schema-refusal')).toHaveText(/^None of the \d+ columns this model needs are in this file: wrong file\?$/);
  const details = region.getByText(/^Details for each column/);
  await expect(region.getByText('is missing from the new file', { exact: false }).first()).toBeHidden();
  await details.click();
  await expect(region.getByText('is missing from the new file', { exact: false }).first()).toBeVisible();
  await expect(cell.getByRole('button', { name: /^Predict / })).toBeDisabled();
});
