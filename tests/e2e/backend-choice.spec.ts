import { expect, test } from './fixtures';
import { NotebookPage, fixture } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

test('auto times the backends once per model shape: a second run of the same shape reuses the choice', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const first = await nb.trainCellOn(fixture('heart-small.csv'));
  await expect(first.getByLabel('Backend')).toHaveValue('auto');
  await nb.miniBatch(first, 2, 32);
  await nb.train(first);
  await expect(first.getByTestId('backend')).toContainText(/auto: \w+ was fastest at [\d.]+ ms per step/);
  const used = (await first.getByTestId('backend-used').innerText()).trim();

  // A second train cell on the same data and settings: the same shape on the same device.
  const second = await nb.addCell('Train');
  await expect(second.getByRole('button', { name: 'Train model' })).toBeVisible();
  await nb.miniBatch(second, 2, 32);
  await nb.train(second);
  await expect(second.getByTestId('backend-used')).toHaveText(used);
  await expect(second.getByTestId('backend')).toContainText(`auto: ${used}, chosen from an earlier timing of this model shape on this device`);
});
