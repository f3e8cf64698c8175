import { expect, test, type Locator } from './fixtures';
import { NotebookPage, fixture } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

/** A train cell on heart-small as a person first sees it: no helper opens Advanced or the feature list. */
async function freshTrainCell(nb: NotebookPage): Promise<Locator> {
  const data = await nb.addCell('Dataset');
  await nb.chooseFile(data, fixture('heart-small.csv'));
  await nb.expectStored(data, 1);
  const train = await nb.addCell('Train');
  await expect(train.getByRole('button', { name: 'Train model' })).toBeVisible();
  return train;
}

test('the essentials come first; Train model is within 15 Tab presses; the actions bar is sticky', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await freshTrainCell(nb);
  for (const label of ['Dataset version', 'Target column', 'Task', 'Model', 'Class imbalance', 'Decision threshold']) {
    await expect(train.getByLabel(label, { exact: true })).toBeVisible();
  }
  await expect(train.getByRole('group', { name: /^Features \(\d+ of \d+\)/ })).toBeVisible();
  // Advanced is closed: the backend, solver and split wait there.
  await expect(train.getByTestId('advanced')).not.toHaveAttribute('open', '');
  for (const label of ['Backend', 'Solver', 'Test share', 'Seed']) await expect(train.getByLabel(label, { exact: true })).toBeHidden();
  await expect(train.getByRole('button', { name: 'Compare strategies' })).toBeVisible();

  const trainButton = train.getByRole('button', { name: 'Train model' });
  await train.getByLabel('Dataset version', { exact: true }).focus();
  let presses = 0;
  while (presses < 40 && !(await trainButton.evaluate((el) => el === document.activeElement))) {
    await page.keyboard.press('Tab');
    presses += 1;
  }
  expect(presses).toBeLessThanOrEqual(15);

  const style = await train.getByTestId('train-actions').evaluate((el) => ({ position: getComputedStyle(el).position, bottom: getComputedStyle(el).bottom }));
  expect(style).toEqual({ position: 'sticky', bottom: '0px' });
});

test('Advanced remembers being open across a reload, and explains the backend choice auto', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await freshTrainCell(nb);
  await train.getByTestId('advanced').locator(':scope > summary').click();
  await expect(train.getByLabel('Backend')).toBeVisible();
  await expect(train.getByText('auto: times the backends on this model once and uses the fastest.')).toBeVisible();
  await page.reload();
  const again = nb.cell(2);
  await expect(again.getByRole('button', { name: 'Train model' })).toBeVisible();
  await expect(again.getByTestId('advanced')).toHaveAttribute('open', '');
  await expect(again.getByLabel('Backend')).toBeVisible();
});

test('every control of the cell has its own label, and no select cuts its text', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await freshTrainCell(nb);
  await nb.showAllSettings(train);
  await train.getByLabel('Solver', { exact: true }).selectOption('minibatch');
  await train.getByLabel('Choose batch size and epochs from the data').uncheck();
  await train.getByText('Sweep and compare strategies').click();
  for (const label of ['Batch size', 'Sweep batch size', 'Sweep values of batch size', 'Epochs', 'Sweep budget (runs)', 'Time budget (minutes)']) {
    await expect(train.getByLabel(label, { exact: true })).toHaveCount(1);
  }
  const labels = await train.locator('input, select, textarea').evaluateAll((els) =>
    els.map((el) => [...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent?.replace(/\s+/g, ' ').trim()).join(' ') || el.getAttribute('aria-label') || ''),
  );
  expect(labels.filter((l) => l === '')).toEqual([]);
  expect(labels.filter((l, i) => labels.indexOf(l) !== i)).toEqual([]);

  // A select is at least as wide as its chosen option's text.
  const cut = await train.locator('select').evaluateAll((els) =>
    els
      .filter((el) => el.getClientRects().length > 0)
      .filter((el) => {
        const s = el as HTMLSelectElement;
        const probe = document.createElement('span');
        probe.style.font = getComputedStyle(s).font;
        probe.style.position = 'absolute';
        probe.style.whiteSpace = 'nowrap';
        probe.textContent = s.selectedOptions[0]?.textContent ?? '';
        document.body.append(probe);
        const text = probe.getBoundingClientRect().width;
        probe.remove();
        return text > s.clientWidth;
      })
      .map((el) => (el as HTMLSelectElement).labels?.[0]?.textContent ?? el.id),
  );
  expect(cut).toEqual([]);
});

test('each run is its own block, newest first and open, with a one-line summary', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.quickRuns(2);
  const runs = train.getByTestId('cell-run');
  await expect(runs).toHaveCount(2);
  await expect(runs.nth(0)).toHaveAttribute('open', '');
  await expect(runs.nth(1)).not.toHaveAttribute('open', '');
  await expect(runs.nth(0).locator(':scope > summary')).toHaveText(/^[\w-]+ [0-9a-f]{8} · completed · test [\w ]+ [\d.]+ · /);
  // Only the open block draws its results.
  await expect(train.getByTestId('run-summary')).toHaveCount(1);
  await runs.nth(1).locator(':scope > summary').click();
  await expect(train.getByTestId('run-summary')).toHaveCount(2);
});
