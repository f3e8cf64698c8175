import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { NotebookPage } from './pages/notebook';

test.describe.configure({ timeout: 180_000 });

test('Export to MLflow: all runs, or the selected ones, as an mlruns folder with the rewrite script', async ({ page }) => {
  const nb = new NotebookPage(page);
  await nb.goto();
  await nb.quickRuns(2, { epochs: 2, modelName: 'heart-risk' });

  // An alias on v2, to find in mlruns/models/heart-risk/aliases/.
  await nb.openModels();
  await page.getByRole('table', { name: 'Versions of heart-risk' }).getByRole('button', { name: 'v2', exact: true }).click();
  await page.getByLabel('Alias').fill('champion');
  await page.getByRole('button', { name: 'Set alias' }).click();
  await expect(page.getByRole('button', { name: 'Remove alias champion' })).toBeVisible();

  await nb.sidebar.getByRole('button', { name: 'Runs (2)' }).click();
  const button = page.getByRole('button', { name: 'Export all runs to MLflow' });
  await expect(button).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toMatch(/^labbook-mlflow-\d{4}-\d\d-\d\d\.zip$/);
  await expect(page.getByTestId('mlflow-exported')).toContainText('Exported 2 runs in 1 experiment, 2 model versions of 1 registered model');

  const entries = unzipSync(new Uint8Array(readFileSync(await download.path())));
  const names = Object.keys(entries);
  const text = (name: string) => new TextDecoder().decode(entries[name]);
  expect(names).toContain('mlflow-rewrite-artifact-uri.py');
  expect(names).toContain('README.txt');
  expect(names).toContain('mlruns/0/meta.yaml');
  expect(names).toContain('mlruns/1/meta.yaml');
  expect(text('mlruns/1/meta.yaml')).toContain('name: My first notebook\n');

  // Two runs, each with its meta.yaml, params, tags, metrics and model.
  const runDirs = names.map((n) => /^mlruns\/1\/([0-9a-f]{32})\/meta\.yaml$/.exec(n)?.[1]).filter((id): id is string => id !== undefined);
  expect(runDirs).toHaveLength(2);
  for (const id of runDirs) {
    const dir = `mlruns/1/${id}`;
    expect(text(`${dir}/meta.yaml`)).toContain('status: 3\n');
    expect(text(`${dir}/tags/mlflow.runName`)).toMatch(/^logreg-[12]$/);
    expect(text(`${dir}/tags/labbook.run_id`)).toMatch(/^[0-9a-f-]{36}$/);
    expect(text(`${dir}/params/epochs`)).toBe('2');
    expect(text(`${dir}/params/dataset_name`)).toBe('heart-small');
    expect(names).toContain(`${dir}/params/learningRate`);
    expect(names).toContain(`${dir}/artifacts/model/model.json`);
    expect(names).toContain(`${dir}/artifacts/model/weights.bin`);
    expect(names).toContain(`${dir}/artifacts/evaluation.json`);
    // One "timestamp value step" line per epoch, steps 1 and 2.
    const loss = text(`${dir}/metrics/loss`).trim().split('\n');
    expect(loss).toHaveLength(2);
    expect(loss.map((line) => line.split(' ')[2])).toEqual(['1', '2']);
    for (const line of loss) expect(line).toMatch(/^\d{13} [-0-9.e+]+ \d+$/);
    expect(text(`${dir}/metrics/test_balanced_accuracy`)).toMatch(/^\d{13} [-0-9.e+]+ 0\n$/);
  }

  // The registry: both versions with their runs, and the alias.
  expect(text('mlruns/models/heart-risk/meta.yaml')).toContain("champion: '2'");
  const versionRuns = ['1', '2'].map((v) => /\nrun_id: ([0-9a-f]{32})\n/.exec(text(`mlruns/models/heart-risk/version-${v}/meta.yaml`))?.[1]);
  expect([...versionRuns].sort()).toEqual([...runDirs].sort());
  expect(text('mlruns/models/heart-risk/aliases/champion')).toBe('2');

  // One run selected: the button says so, and only it is exported.
  const runs = page.getByRole('table', { name: 'All runs' });
  await runs.getByRole('checkbox', { name: /^Select run [0-9a-f]{8}$/ }).first().check();
  const one = page.getByRole('button', { name: 'Export 1 selected run to MLflow' });
  const [second] = await Promise.all([page.waitForEvent('download'), one.click()]);
  const picked = unzipSync(new Uint8Array(readFileSync(await second.path())));
  expect(Object.keys(picked).filter((n) => /^mlruns\/1\/[0-9a-f]{32}\/meta\.yaml$/.test(n))).toHaveLength(1);
});
