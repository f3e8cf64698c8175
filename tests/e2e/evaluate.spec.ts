import { expect, test, type Locator, type Page } from './fixtures';
import { NotebookPage } from './pages/notebook';
import { serious } from './pages/axe';

test.describe.configure({ timeout: 300_000 });

const MODEL = 'heart-eval';

/** On the Models page, opens `MODEL` vN and points `alias` at it. */
async function setAlias(nb: NotebookPage, page: Page, version: number, alias: string): Promise<void> {
  await nb.openModels();
  await page.getByRole('table', { name: `Versions of ${MODEL}` }).getByRole('button', { name: `v${version}`, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${MODEL} v${version}` })).toBeVisible();
  await page.getByLabel('Alias').fill(alias);
  await page.getByRole('button', { name: 'Set alias' }).click();
  await expect(page.getByRole('button', { name: `Remove alias ${alias}` })).toBeVisible();
}

/** "0.0123 [0.0050, 0.0200]" → [0.0123, 0.0050, 0.0200]. */
function interval(text: string): [number, number, number] {
  const m = /^(-?[\d.]+(?:e-?\d+)?) \[(-?[\d.]+(?:e-?\d+)?), (-?[\d.]+(?:e-?\d+)?)\]$/.exec(text.trim().replace(/,(?=\d{3})/g, ''));
  expect(m, `"${text}" is a value with its interval`).not.toBeNull();
  return [Number(m![1]), Number(m![2]), Number(m![3])];
}

/** Every metric row of the differences table: its verdict words agree with the sign of its interval. */
async function checkVerdicts(cell: Locator): Promise<{ wins: number; losses: number }> {
  const rows = cell.getByTestId('evaluate-differences').locator('tbody tr');
  const n = await rows.count();
  expect(n).toBeGreaterThan(3);
  let wins = 0;
  let losses = 0;
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const name = await row.getByRole('rowheader').innerText();
    const [, low, high] = interval(await row.getByTestId('difference').innerText());
    const words = (await row.getByRole('cell').last().innerText()).trim();
    // Lower-is-better metrics (log loss) win for the challenger on a negative difference.
    const sign = /lower is better/.test(name) ? -1 : 1;
    const [advLow, advHigh] = sign === 1 ? [low, high] : [-high, -low];
    if (advLow > 0) {
      expect(words, name).toMatch(/^challenger better on /);
      wins++;
    } else if (advHigh < 0) {
      expect(words, name).toMatch(/^champion better on /);
      losses++;
    } else {
      expect(words, name).toMatch(/^(no clear difference|cannot tell) on /);
    }
  }
  return { wins, losses };
}

test('champion against challenger: evaluate on labelled data, a verdict that follows the intervals, promote with a reason the alias history keeps', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();

  // Two runs of the sample with different settings, registered as v1 and v2 of one model.
  const train = await nb.trainCellOnSample();
  await train.getByLabel('Backend').selectOption('cpu');
  await train.getByLabel('Model name').fill(MODEL);
  await nb.miniBatch(train, 1);
  await nb.train(train);
  await nb.miniBatch(train, 6);
  await nb.train(train);

  await setAlias(nb, page, 1, 'champion');
  await setAlias(nb, page, 2, 'challenger');

  // A new Evaluate models cell starts with the newest labelled data and @champion, @challenger.
  await nb.sidebar.getByRole('button', { name: 'My first notebook', exact: true }).click();
  await page.getByRole('button', { name: '+ Evaluate models cell' }).click();
  const cell = nb.cells.last();
  await expect(cell.getByLabel('Champion', { exact: true }).locator('option:checked')).toHaveText(`${MODEL}@champion (v1)`);
  await expect(cell.getByLabel('Challenger 1', { exact: true }).locator('option:checked')).toHaveText(`${MODEL}@challenger (v2)`);
  await expect(cell.getByLabel('Labelled data')).not.toHaveValue('');
  await expect(cell.getByText(`is ${MODEL} v2 now`)).toBeVisible();

  // Fewer resamples keep the test quick; the seed stays.
  await cell.getByText('Advanced', { exact: true }).click();
  await cell.getByLabel('Bootstrap resamples').fill('300');
  await cell.getByLabel('Bootstrap resamples').blur();

  await cell.getByRole('button', { name: 'Evaluate models' }).click();
  const verdict = cell.getByTestId('evaluate-verdict');
  await expect(verdict).toBeVisible({ timeout: 120_000 });
  await expect(verdict).toHaveAttribute('role', 'status');
  await expect(cell.getByRole('table', { name: /Metrics with 95% bootstrap intervals/ })).toBeVisible();
  await expect(cell.getByRole('figure', { name: /Chart of the differences, challenger minus champion/ })).toBeVisible();
  await expect(cell.getByRole('table', { name: /Rollout rehearsal/ }).getByRole('row')).toHaveCount(4);
  // The models were trained on this very data: the figures are flagged as optimistic.
  await expect(cell.getByText(/figures here are optimistic/)).toBeVisible();

  // The overall sentence agrees with the per-metric intervals shown.
  const { wins, losses } = await checkVerdicts(cell);
  const sentence = await verdict.innerText();
  expect(sentence).toContain(`${MODEL} v2 @challenger against ${MODEL} v1 @champion: `);
  if (wins > 0 && losses === 0) expect(sentence).toMatch(/challenger better on \d+ of \d+ metrics .* and worse on none/);
  else if (losses > 0 && wins === 0) expect(sentence).toMatch(/champion better on \d+ of \d+ metrics .* and worse on none/);
  else if (wins > 0) expect(sentence).toMatch(/mixed: challenger better on .*, champion better on /);
  else expect(sentence).toContain('no clear difference');
  const overall = /: (.*)\.$/.exec(sentence.trim())![1]!;

  // The result, its chart and the promotion form pass axe-core's serious and critical rules.
  expect(await serious(page, 'evaluate models')).toEqual([]);

  // Promote the challenger: the reason starts as the verdict.
  const promote = cell.getByRole('form', { name: 'Promote challenger' });
  await expect(promote.getByLabel('Why')).toHaveValue(overall);
  await expect(promote.getByLabel('Alias to move')).toHaveValue('champion');
  await promote.getByLabel('Your name').fill('Ada Lovelace');
  await promote.getByLabel('Why').fill(`${overall} (checked by hand)`);
  await promote.getByRole('button', { name: `Promote ${MODEL} v2 to @champion` }).click();
  await expect(promote.getByRole('status')).toContainText(`${MODEL}@champion now points at v2`);

  // The version page's alias history names who, why and the evaluation.
  await nb.openModels();
  await page.getByRole('table', { name: `Versions of ${MODEL}` }).getByRole('button', { name: 'v2', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Remove alias champion' })).toBeVisible();
  const history = page.getByRole('table', { name: 'Alias history' });
  const last = history.getByRole('row').last();
  await expect(last).toContainText('champion');
  await expect(last).toContainText('from v1');
  await expect(last).toContainText('to v2');
  await expect(last).toContainText('Ada Lovelace');
  await expect(last).toContainText('(checked by hand)');
  await expect(last).toContainText(/on evaluation [0-9a-f]{8}… of heart-eval v1 @champion vs heart-eval v2 @challenger/);

  // The name is remembered for the next promotion.
  await nb.sidebar.getByRole('button', { name: 'My first notebook', exact: true }).click();
  await expect(nb.cells.last().getByRole('form', { name: 'Promote challenger' }).getByLabel('Your name')).toHaveValue('Ada Lovelace');
});
