import { expect, test } from './fixtures';
import { NotebookPage } from './pages/notebook';

test('notebooks: create, rename, delete with confirmation', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.sidebar.getByRole('button', { name: 'New notebook' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notebook 2' })).toBeVisible();
  await nb.sidebar.getByRole('button', { name: 'Rename notebook Notebook 2' }).click();
  const input = nb.sidebar.getByLabel('New name for Notebook 2');
  await input.fill('Heart study');
  await input.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Heart study' })).toBeVisible();
  await page.reload();
  await expect(nb.sidebar.getByRole('button', { name: 'Heart study', exact: true })).toBeVisible();
  await nb.sidebar.getByRole('button', { name: 'Delete notebook Heart study' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete notebook “Heart study”?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(nb.sidebar.getByRole('button', { name: 'Heart study', exact: true })).toBeVisible();
  await nb.sidebar.getByRole('button', { name: 'Delete notebook Heart study' }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(nb.sidebar.getByRole('button', { name: 'Heart study', exact: true })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'My first notebook' })).toBeVisible();
});

test('cells: add, edit, move and delete; edits autosave and survive a reload', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  const md = await nb.addCell('Markdown');
  await md.getByLabel('Markdown').fill('# Hypothesis\nClass weights will lift **recall**.');
  await md.getByRole('button', { name: 'Done editing' }).click();
  await expect(md.getByRole('heading', { name: 'Hypothesis' })).toBeVisible();
  await nb.addCell('Dataset');
  await expect(nb.cell(2)).toHaveAccessibleName('Cell 2: Dataset');
  await nb.cell(2).getByRole('button', { name: 'Move cell 2 up' }).click();
  await expect(nb.cell(1)).toHaveAccessibleName('Cell 1: Dataset');
  await expect(page.getByText('All changes saved')).toBeVisible();
  await page.reload();
  await expect(nb.cell(1)).toHaveAccessibleName('Cell 1: Dataset');
  await expect(nb.cell(2).getByRole('heading', { name: 'Hypothesis' })).toBeVisible();
  await expect(nb.cell(2).locator('strong')).toHaveText('recall');
  await nb.cell(1).getByRole('button', { name: 'Delete cell 1' }).click();
  await expect(nb.cells).toHaveCount(1);
  await expect(page.getByText('All changes saved')).toBeVisible();
  await page.reload();
  await expect(nb.cells).toHaveCount(1);
});

test('WebGPU is available to the app in this browser (the flags CI relies on)', async ({ page }) => {
  await new NotebookPage(page).goto();
  const adapter = await page.evaluate(async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    return gpu ? (await gpu.requestAdapter()) !== null : false;
  });
  expect(adapter).toBe(true);
});

test('a note with HTML shows it as text: no image loads, no script runs', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await page.evaluate(() => ((window as unknown as { pwned: number }).pwned = 0));
  const md = await nb.addCell('Markdown');
  const text = '<img src=x onerror="window.pwned=1"> and <script>window.pwned=2</script> [link](javascript:window.pwned=3)';
  await md.getByLabel('Markdown').fill(text);
  await md.getByRole('button', { name: 'Done editing' }).click();
  await expect(md.getByText('<img src=x onerror="window.pwned=1"> and <script>window.pwned=2</script>')).toBeVisible();
  await expect(md.locator('.md img, .md script, .md a')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { pwned: number }).pwned)).toBe(0);
});
