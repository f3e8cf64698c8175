import { expect, test, type Browser, type Page } from './fixtures';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { NotebookPage, fixture, sha256, type FileSpec } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

/** Trains a quick run on heart-small.csv, opens its model version and exports its bundle. */
async function trainAndExport(page: Page): Promise<{ bundle: FileSpec; id: string }> {
  const nb = new NotebookPage(page);
  await nb.goto();
  const train = await nb.trainCellOn(fixture('heart-small.csv'));
  await train.getByLabel('Backend').selectOption('cpu');
  await nb.miniBatch(train, 3);
  await train.getByLabel('Model name').fill('heart-risk');
  await nb.train(train);
  await train.getByRole('button', { name: 'heart-risk v1' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'heart-risk v1' })).toBeVisible();
  const id = await nb.modelVersionId();
  const bundle = await nb.exportBundle();
  return { bundle, id };
}

/** Opens a fresh browser profile, imports `bundle` there and opens its notebook, then runs `fn`. */
async function inFreshProfile(browser: Browser, bundle: FileSpec, fn: (nb: NotebookPage) => Promise<void>): Promise<void> {
  const ctx = await browser.newContext();
  try {
    const nb = new NotebookPage(await ctx.newPage());
    await nb.goto();
    await nb.importBundle(bundle);
    await expect(nb.page.getByTestId('imported-note')).toBeVisible({ timeout: 30_000 });
    await nb.sidebar.getByRole('button', { name: 'My first notebook', exact: true }).click();
    await fn(nb);
  } finally {
    await ctx.close();
  }
}

test('a bundle exported here imports in a fresh browser as the same version: same id, verified files, its lineage', async ({ page, browser }) => {
  const { bundle, id } = await trainAndExport(page);
  expect(bundle.name).toBe(`heart-risk-v1-${id.slice(0, 12)}.zip`);
  // The bundle's id, in full, next to the button, and the .zip's own SHA-256 as sha256sum prints it.
  const shown = page.getByTestId('bundle-id');
  await shown.getByRole('button', { name: 'Full hash' }).click();
  await expect(shown.locator('[data-hash]')).toHaveText(id);
  await expect(page.getByTestId('bundle-exported').locator('[data-hash]')).toHaveAttribute('data-hash', sha256(bundle.buffer));

  const ctx = await browser.newContext();
  try {
    const p2 = await ctx.newPage();
    const nb2 = new NotebookPage(p2);
    await nb2.goto();
    await expect(nb2.sidebar.getByRole('button', { name: 'Models (0)' })).toBeVisible();
    await nb2.importBundle(bundle);
    await nb2.expectImportedVersion('heart-risk v1', id);
    const full = nb2.page.getByTestId('bundle-id');
    await full.getByRole('button', { name: 'Full hash' }).click();
    await expect(full.locator('[data-hash]')).toHaveText(id);
    await expect(nb2.sidebar.getByRole('button', { name: 'Models (1)' })).toBeVisible();
    // Its run and dataset stayed in the first browser; lineage.json still says where it came from.
    await expect(p2.getByRole('navigation', { name: 'Lineage' })).toContainText('(not in this browser)');
    const lineage = nb2.page.getByTestId('model-lineage');
    await expect(lineage.locator(`[data-hash="${sha256(fixture('heart-small.csv').buffer)}"]`)).toBeVisible();
    await expect(nb2.page.getByTestId('lineage-seed')).toHaveText('42');
    await expect(nb2.page.getByTestId('lineage-environment')).toContainText(/Labbook .* · TF\.js [\d.]+ · backend cpu/);
    await expect(p2.getByRole('table', { name: 'Run configuration' }).getByRole('row', { name: /^target HeartDisease$/ })).toBeVisible();
    await nb2.expectFilesVerify();
    expect(await nb2.storedRegistryCounts()).toEqual({ models: 1, modelVersions: 1, modelFiles: 7, modelExtras: 2 }); // README.md and reference-stats.json

    // The same bundle again is refused: nothing changes.
    await nb2.importBundle(bundle);
    await expect(p2.getByRole('alert')).toContainText(`These exact model files are already registered as version 1 of “heart-risk” (${id.slice(0, 12)}…). Nothing was imported.`);
    expect(await nb2.storedRegistryCounts()).toEqual({ models: 1, modelVersions: 1, modelFiles: 7, modelExtras: 2 }); // README.md and reference-stats.json
  } finally {
    await ctx.close();
  }
});

test('a bundle with one byte of weights.bin changed is refused, naming weights.bin, and nothing is stored', async ({ page, browser }) => {
  const { bundle, id } = await trainAndExport(page);
  const entries = unzipSync(new Uint8Array(bundle.buffer));
  const weights = entries['weights.bin']!;
  const at = weights.length >> 1;
  weights[at] = weights[at]! ^ 0x01;
  const rezipped = Object.create(null) as Zippable;
  for (const [name, bytes] of Object.entries(entries)) rezipped[name] = bytes;
  const tampered: FileSpec = { ...bundle, buffer: Buffer.from(zipSync(rezipped)) };

  const ctx = await browser.newContext();
  try {
    const p2 = await ctx.newPage();
    const nb2 = new NotebookPage(p2);
    await nb2.goto();
    await nb2.importBundle(tampered);
    const alert = p2.getByRole('alert');
    await expect(alert).toContainText(`“${bundle.name}” was not imported. The problem is in weights.bin:`);
    await expect(alert).toContainText('weights.bin does not match its SHA-256 in manifest.json');
    await expect(alert).toContainText('Nothing was imported.');
    await expect(nb2.sidebar.getByRole('button', { name: 'Models (0)' })).toBeVisible();
    await expect(p2.getByText('No models registered yet.')).toBeVisible();
    expect(await nb2.storedRegistryCounts()).toEqual({ models: 0, modelVersions: 0, modelFiles: 0, modelExtras: 0 });

    // The genuine bundle, dropped on the Models page, is then accepted.
    await nb2.dropBundle(bundle);
    await nb2.expectImportedVersion('heart-risk v1', id);
    await nb2.expectFilesVerify();
  } finally {
    await ctx.close();
  }
});

test('an imported bundle predicts exactly what the original version predicts, on the same file', async ({ page, browser }) => {
  const { bundle } = await trainAndExport(page);
  const nb = new NotebookPage(page);
  await nb.sidebar.getByRole('button', { name: 'My first notebook', exact: true }).click();
  const here = await nb.predictFile(fixture('heart-small.csv'), 600);
  await inFreshProfile(browser, bundle, async (nb2) => {
    const there = await nb2.predictFile(fixture('heart-small.csv'), 600);
    // Byte for byte: every probability and label, and the columns around them.
    expect(there.split('\r\n').length).toBe(602);
    expect(there).toBe(here);

    // The same training file is now in this browser too (same bytes, same SHA-256): the imported
    // version is drift-checked against it like a local one, and nothing drifts.
    const drift = await nb2.addCell('Drift');
    await drift.getByLabel('Reference', { exact: true }).selectOption('model');
    await drift.getByLabel('Model version').selectOption({ index: 1 });
    await drift.getByLabel('New data').selectOption({ index: 1 });
    await drift.getByRole('button', { name: 'Check drift' }).click();
    await expect(drift.getByTestId('drift-summary')).toContainText('0 of 17 features drifted', { timeout: 60_000 });
  });
});

test('without its training data, an imported version is drift-checked against the reference statistics its bundle carries', async ({ page, browser }) => {
  const { bundle } = await trainAndExport(page);
  await inFreshProfile(browser, bundle, async (nb2) => {
    const drift = await nb2.addCell('Drift');
    await drift.getByLabel('Reference', { exact: true }).selectOption('model');
    await drift.getByLabel('Model version').selectOption({ index: 1 });
    await expect(drift.getByText('the reference statistics its bundle carries are used instead')).toBeVisible();
    // A copy of the training file with BMI raised by 8 for every row: only BMI moves.
    const lines = fixture('heart-small.csv').buffer.toString('utf8').trim().split('\n');
    const shifted = lines.map((l, i) => (i === 0 ? l : l.split(',').map((v, j) => (j === 1 ? String(Number(v) + 8) : v)).join(','))).join('\n') + '\n';
    await drift.getByLabel('Choose new CSV').setInputFiles({ name: 'bmi-up.csv', mimeType: 'text/csv', buffer: Buffer.from(shifted) });
    await drift.getByRole('button', { name: 'Check drift' }).click();
    await expect(drift.getByTestId('drift-summary')).toContainText('1 of 17 features drifted', { timeout: 60_000 });
    await expect(drift.locator('tr[data-feature="BMI"]').getByTestId('drift-verdict')).toHaveText('drifted');
    // No reference rows: the model's outputs cannot be compared, but its metrics on the new data can.
    await expect(drift.getByRole('table', { name: 'Model checks' })).toBeVisible();
  });
});
