/**
 * Fairness and feature importance of a trained model, through the UI, on a
 * table generated here with a known bias: the label follows `x` (the signal)
 * and group B gets the favourable label far less often at the same `x`. A
 * logistic regression learns both, so on the test split it selects B less
 * often than A (a demographic-parity gap whose interval excludes 0), and
 * shuffling `x` hurts its ROC AUC most.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Locator } from './fixtures';
import { NotebookPage, type FileSpec } from './pages/notebook';
import { Rng } from '../../src/lib/core/common';
import { serious } from './pages/axe';

test.describe.configure({ timeout: 240_000 });

const normal = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/**
 * 2,000 rows: x ~ N(0, 1) the signal, noise ~ N(0, 1) unused, group A or B
 * (half each), label Yes with probability sigmoid(2.5·x + 1 for A, − 1.5 for B):
 * about 0.6 of A's rows and 0.3 of B's are Yes.
 */
function biasedCsv(): FileSpec {
  const rng = new Rng(2024);
  const lines = ['x,noise,group,label'];
  for (let i = 0; i < 2000; i++) {
    const x = normal(rng);
    const noise = normal(rng);
    const group = rng.next() < 0.5 ? 'A' : 'B';
    const z = 2.5 * x + (group === 'A' ? 1 : -1.5);
    const yes = rng.next() < 1 / (1 + Math.exp(-z));
    lines.push(`${x.toFixed(4)},${noise.toFixed(4)},${group},${yes ? 'Yes' : 'No'}`);
  }
  return { name: 'biased.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) };
}

/** "0.321" → 0.321; "−0.2" and "-0.2" → −0.2. */
function number(text: string): number {
  return Number(text.trim().replace('−', '-').replace(/,/g, ''));
}

/** "[0.280, 0.360]" → { low: 0.28, high: 0.36 }. */
function interval(text: string): { low: number; high: number } {
  const m = /^\[(.+), (.+)\]$/.exec(text.trim());
  expect(m, `an interval, got "${text}"`).not.toBeNull();
  return { low: number(m![1]!), high: number(m![2]!) };
}

/** The cells of the gap row of `group` for `metric`: [metric, also called, value, interval, flag]. */
async function gapRow(gaps: Locator, group: string, metric: string): Promise<string[]> {
  const row = gaps
    .getByRole('row')
    .filter({ has: gaps.page().getByRole('rowheader', { name: group, exact: true }) })
    .filter({ hasText: metric });
  await expect(row).toHaveCount(1);
  return (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());
}

/** The test-split selection rate of `group` in the "After training" table. */
async function selectionRate(groups: Locator, group: string): Promise<number> {
  const row = groups.getByRole('row').filter({ has: groups.page().getByRole('rowheader', { name: group, exact: true }) });
  // Cells after the group: test rows, selection rate, recall, FPR, precision, accuracy.
  return number(await row.getByRole('cell').nth(1).innerText());
}

test('a biased table: fairness flags group B’s demographic-parity gap, and the signal feature matters most', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(biasedCsv());
  await train.getByLabel('Target column').selectOption('label');
  await expect(train.getByLabel('Task')).toHaveValue('binary');
  // Logistic regression (the linear model, the default).
  await expect(train.getByLabel('Model', { exact: true })).toHaveValue('linear');
  await nb.train(train);
  await train.getByRole('button', { name: /^Open run / }).click();

  // Fairness on `group`, favourable label Yes (the positive class, chosen by default).
  const fairness = page.getByRole('region', { name: 'Fairness', exact: true });
  await expect(fairness.getByRole('button', { name: 'Check fairness' })).toBeDisabled();
  await fairness.getByLabel('Sensitive attributes').selectOption(['group']);
  await expect(fairness.getByLabel('Favourable label')).toHaveValue('Yes');
  await fairness.getByRole('button', { name: 'Check fairness' }).click();

  const gaps = fairness.getByRole('table', { name: 'Gaps of each group of “group” against the rest (95% bootstrap interval)' });
  await expect(gaps).toBeVisible({ timeout: 120_000 });
  await expect(fairness.getByRole('progressbar')).toHaveCount(0);

  // B is selected less often than A on the test split…
  const groups = fairness.getByRole('table', { name: 'After training: the model’s rates per group of “group” (test split)' });
  const rateA = await selectionRate(groups, 'A');
  const rateB = await selectionRate(groups, 'B');
  expect(rateB).toBeLessThan(rateA - 0.15);

  // …so its demographic-parity gap (rest − group, Clarify DPPL) is positive, its interval excludes 0, and it is flagged.
  const [, clarify, value, range, flag] = await gapRow(gaps, 'B', 'Demographic parity difference');
  expect(clarify).toContain('DPPL');
  const gap = number(value!);
  // The table rounds to 3 decimals: the gap is the difference of the two rates shown.
  expect(Math.abs(gap - (rateA - rateB))).toBeLessThanOrEqual(0.002);
  const { low, high } = interval(range!);
  expect(low).toBeGreaterThan(0);
  expect(high).toBeGreaterThanOrEqual(gap);
  expect(low).toBeLessThanOrEqual(gap);
  expect(flag).toMatch(/^gap/);

  // Disparate impact B / rest is well under four-fifths, and marked so.
  const [, , di, , diFlag] = await gapRow(gaps, 'B', 'Disparate impact ratio');
  expect(number(di!)).toBeLessThan(0.8);
  expect(diFlag).toContain('below four-fifths');

  // The stored check shows again on the model version's page.
  await page.getByRole('navigation', { name: 'Lineage' }).getByRole('button', { name: /^Model / }).click();
  const onVersion = page.getByRole('region', { name: 'Fairness', exact: true });
  await expect(onVersion.getByRole('table', { name: 'Gaps of each group of “group” against the rest (95% bootstrap interval)' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Lineage' }).getByRole('button', { name: /^Run / }).click();

  // Which features matter: x first, noise near nothing.
  const importance = page.getByRole('region', { name: 'Which features matter' });
  await importance.getByRole('button', { name: 'Explain features' }).click();
  const table = importance.getByRole('table', { name: /^Drop of ROC AUC when a feature is shuffled/ });
  await expect(table).toBeVisible({ timeout: 120_000 });
  const rows = table.locator('tbody tr');
  await expect(rows.first().getByRole('rowheader')).toHaveText('x');
  const drops = new Map<string, number>();
  for (const row of await rows.all()) {
    drops.set((await row.getByRole('rowheader').innerText()).trim(), number(await row.getByRole('cell').nth(1).innerText()));
  }
  expect(drops.get('x')!).toBeGreaterThan(drops.get('group')!);
  expect(drops.get('x')!).toBeGreaterThan(0.1);
  expect(Math.abs(drops.get('noise')!)).toBeLessThan(0.02);

  // Both sections, with their tables and charts, pass axe-core.
  expect(await serious(page, 'run page with fairness and importance')).toEqual([]);

  // The run's JSON carries both analyses.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export run (JSON)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^logreg.*\.json$/);
  const doc = JSON.parse(readFileSync((await file.path())!, 'utf8')) as {
    fairness: { attributes: { grouping: { column: string } }[] };
    importance: { features: { feature: string }[] };
  };
  expect(doc.fairness.attributes.map((a) => a.grouping.column)).toEqual(['group']);
  expect(doc.importance.features[0]!.feature).toBe('x');

  // The compare view shows both analyses of the selected run: a flagged gap on `group` (A's and B's mirror each other) and x on top.
  await nb.sidebar.getByRole('button', { name: 'Runs (1)' }).click();
  await page.getByRole('table', { name: 'All runs' }).getByRole('checkbox', { name: /^Select run / }).check();
  const analyses = page.getByRole('table', { name: 'Analyses of the selected runs' });
  await expect(analyses.getByRole('row', { name: /^Fairness \(largest flagged gap\)/ })).toContainText(/group · [AB]: /);
  await expect(analyses.getByRole('row', { name: /^Top features/ }).getByRole('cell').first()).toContainText(/^x\b/);
});

test('a regression run says fairness needs a classifier, with no controls', async ({ page }) => {
  const rng = new Rng(5);
  const lines = ['x,group,y'];
  for (let i = 0; i < 300; i++) {
    const x = normal(rng);
    lines.push(`${x.toFixed(4)},${rng.next() < 0.5 ? 'A' : 'B'},${(2 * x + normal(rng) * 0.3).toFixed(4)}`);
  }
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn({ name: 'reg.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) });
  await train.getByLabel('Target column').selectOption('y');
  await expect(train.getByLabel('Task')).toHaveValue('regression');
  await nb.train(train);
  await train.getByRole('button', { name: /^Open run / }).click();
  const fairness = page.getByRole('region', { name: 'Fairness', exact: true });
  await expect(fairness).toContainText('Fairness needs a classifier');
  await expect(fairness.getByRole('button')).toHaveCount(0);
  await expect(fairness.getByRole('listbox')).toHaveCount(0);
});
