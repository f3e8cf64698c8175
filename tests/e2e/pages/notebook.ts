/**
 * Page model of a Labbook notebook: the actions a person takes, found by role
 * and accessible name the way they would find them on screen.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

export interface FileSpec {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export function fixture(name: string): FileSpec {
  return { name: basename(name), mimeType: 'text/csv', buffer: readFileSync(join(FIXTURES, name)) };
}

export function sha256(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

export class NotebookPage {
  constructor(readonly page: Page) {}

  /** Opens the app on a fresh profile and waits for the first notebook. */
  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByRole('heading', { level: 1 })).toBeVisible();
  }

  get sidebar(): Locator {
    return this.page.getByRole('navigation', { name: 'Side bar' });
  }

  get notebook(): Locator {
    return this.page.getByRole('region', { name: /^Notebook / });
  }

  cell(n: number): Locator {
    return this.page.getByRole('region', { name: new RegExp(`^Cell ${n}: `) });
  }

  get cells(): Locator {
    return this.page.getByRole('region', { name: /^Cell \d+: / });
  }

  async addCell(kind: 'Markdown' | 'Dataset' | 'Train' | 'Compare' | 'Predict' | 'Drift'): Promise<Locator> {
    await this.page.getByRole('button', { name: `+ ${kind} cell` }).click();
    return this.cells.last();
  }

  /** Picks a file with the cell's keyboard-accessible file button. */
  async chooseFile(cell: Locator, file: FileSpec): Promise<void> {
    await cell.getByLabel('Choose CSV file').setInputFiles(file);
  }

  /** Drops a file on the notebook (or on `target`, e.g. a drift cell) the way a drag from the desktop does. */
  async dropFile(file: FileSpec, target: Locator = this.notebook): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle(
      ({ name, type, b64 }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], name, { type }));
        return dt;
      },
      { name: file.name, type: file.mimeType, b64: file.buffer.toString('base64') },
    );
    await target.dispatchEvent('dragenter', { dataTransfer });
    await target.dispatchEvent('dragover', { dataTransfer });
    await target.dispatchEvent('drop', { dataTransfer });
  }

  /** Waits for the "Stored as version N" or "Already stored" notice in a cell. */
  async expectStored(cell: Locator, version: number, existing = false): Promise<void> {
    const text = existing ? `Already stored: these bytes are version ${version}` : `Stored as version ${version} of`;
    await expect(cell.getByRole('status').filter({ hasText: text })).toBeVisible();
  }

  /**
   * Imports a fixture into a new dataset cell and adds a train cell under it, with every
   * setting shown (Advanced and the feature list open) so that tests can set any of them.
   */
  async trainCellOn(file: FileSpec): Promise<Locator> {
    const data = await this.addCell('Dataset');
    await this.chooseFile(data, file);
    await this.expectStored(data, 1);
    const train = await this.addCell('Train');
    await expect(train.getByRole('button', { name: 'Train model' })).toBeVisible();
    await this.showAllSettings(train);
    return train;
  }

  /** Opens the bundled sample in a new dataset cell and adds a train cell under it, every setting shown. */
  async trainCellOnSample(): Promise<Locator> {
    const data = await this.addCell('Dataset');
    await data.getByRole('button', { name: 'Open sample dataset' }).click();
    await this.expectStored(data, 1);
    const train = await this.addCell('Train');
    await expect(train.getByRole('button', { name: 'Train model' })).toBeVisible();
    await this.showAllSettings(train);
    return train;
  }

  /** Opens a train cell's Advanced settings (closed by default) if they are closed. */
  async openAdvanced(cell: Locator): Promise<void> {
    await openDisclosure(cell.getByTestId('advanced'));
  }

  /** Opens a train cell's Advanced settings and its feature checkboxes (a closed list by default). */
  async showAllSettings(cell: Locator): Promise<void> {
    await this.openAdvanced(cell);
    await openDisclosure(cell.getByTestId('feature-list'));
  }

  /**
   * A train cell on heart-small.csv set up for quick runs (cpu, `epochs` mini-batch epochs),
   * named `modelName` when given, that has trained `runs` times.
   */
  async quickRuns(runs: number, { epochs = 2, modelName }: { epochs?: number; modelName?: string } = {}): Promise<Locator> {
    const train = await this.trainCellOn(fixture('heart-small.csv'));
    await train.getByLabel('Backend').selectOption('cpu');
    await this.miniBatch(train, epochs);
    if (modelName) await train.getByLabel('Model name').fill(modelName);
    for (let i = 0; i < runs; i++) await this.train(train);
    return train;
  }

  /**
   * The sample trained (cpu, 3 mini-batch epochs) in cell 2, then a drift cell (cell 3) checking
   * `batch` against that model version. Returns the drift cell.
   */
  async driftAgainstTrainedSample(batch: FileSpec): Promise<Locator> {
    await this.trainCellOnSample();
    const train = this.cell(2);
    await train.getByLabel('Backend').selectOption('cpu');
    await this.miniBatch(train, 3);
    await this.train(train);
    await this.addCell('Drift');
    const cell = this.cell(3);
    await cell.getByLabel('Reference', { exact: true }).selectOption('model');
    await cell.getByLabel('Model version').selectOption({ index: 1 });
    await cell.getByLabel('Choose new CSV').setInputFiles(batch);
    await cell.getByRole('button', { name: 'Check drift' }).click();
    await expect(cell.getByTestId('drift-summary')).toContainText('4 of 17 features drifted', { timeout: 90_000 });
    return cell;
  }

  /** Starts training in a train cell and waits for the run's final status. */
  async train(cell: Locator, status = 'completed', timeout = 120_000): Promise<void> {
    await cell.getByRole('button', { name: 'Train model' }).click();
    await expect(cell.getByTestId('run-status')).toHaveText(status, { timeout });
  }

  /**
   * Switches a train cell to mini-batch training with a fixed number of epochs (and batch
   * size): the linear model's default is the full-batch solver, and the default budget is
   * chosen from the data.
   */
  async miniBatch(cell: Locator, epochs: number, batchSize?: number): Promise<void> {
    await this.openAdvanced(cell);
    const solver = cell.getByLabel('Solver', { exact: true });
    if (await solver.isVisible()) await solver.selectOption('minibatch');
    await cell.getByLabel('Choose batch size and epochs from the data').uncheck();
    await cell.getByLabel('Epochs', { exact: true }).fill(String(epochs));
    if (batchSize !== undefined) await cell.getByLabel('Batch size', { exact: true }).fill(String(batchSize));
  }

  /** Starts a run long enough to interrupt (cpu, 1,000 epochs of batch 4) and waits until it trains. */
  async startLongRun(cell: Locator): Promise<void> {
    await this.openAdvanced(cell);
    await cell.getByLabel('Backend').selectOption('cpu');
    await this.miniBatch(cell, 1000, 4);
    await cell.getByLabel('Early stopping').uncheck();
    await cell.getByRole('button', { name: 'Train model' }).click();
    await expect(cell.getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute('aria-valuetext', /Epoch \d+ of 1000/);
  }

  /**
   * Runs a grid sweep from a train cell over one setting (values as typed in the sweep form)
   * and waits until it completes.
   */
  async sweep(cell: Locator, setting: string, values: string, runs: number, timeout = 120_000): Promise<void> {
    await this.openAdvanced(cell);
    await cell.getByText('Sweep and compare strategies').click();
    // Learning rate is chosen by default; choose only the one asked for. Labels name the setting in lower case.
    const name = setting.charAt(0).toLowerCase() + setting.slice(1);
    const lr = cell.getByRole('checkbox', { name: 'Sweep learning rate', exact: true });
    if (name !== 'learning rate') await lr.uncheck();
    await cell.getByRole('checkbox', { name: `Sweep ${name}`, exact: true }).check();
    await cell.getByLabel(`Sweep values of ${name}`, { exact: true }).fill(values);
    await cell.getByRole('button', { name: `Run sweep (${runs} runs)` }).click();
    await expect(cell.getByRole('status').filter({ hasText: `Sweep completed: ${runs} of ${runs} runs.` })).toBeVisible({ timeout });
  }

  /** The numbers of a row of a comparison table, one per run column ("0.8123 (best) +0.0100" → 0.8123). */
  async comparisonRow(table: Locator, name: string): Promise<number[]> {
    const row = table.getByRole('row', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `) });
    const cells = await row.getByRole('cell').allInnerTexts();
    return cells.map((t) => Number(/^-?[\d,]*\.?\d+/.exec(t.trim())?.[0]?.replace(/,/g, '') ?? NaN));
  }

  /**
   * Predicts with the first model version on `file` in a new predict cell and returns the
   * downloaded prediction file's text.
   */
  async predictFile(file: FileSpec, rows: number): Promise<string> {
    const cell = await this.addCell('Predict');
    await cell.getByLabel('Model version').selectOption({ index: 1 });
    await cell.getByLabel('Choose CSV to predict on').setInputFiles(file);
    await cell.getByRole('button', { name: `Predict ${rows.toLocaleString('en-US')} rows` }).click();
    await expect(cell.getByTestId('prediction-summary')).toContainText(`Predicted ${rows.toLocaleString('en-US')} rows`, { timeout: 60_000 });
    const [download] = await Promise.all([this.page.waitForEvent('download'), cell.getByRole('button', { name: 'Download predictions (CSV)' }).click()]);
    return readFileSync((await download.path())!, 'utf8');
  }

  /** The model's value from a cell's "Test metrics" table (a "Baseline: …" column may follow it). */
  async metric(scope: Locator, name: string): Promise<number> {
    const table = scope.getByRole('table', { name: 'Test metrics' });
    const row = table.getByRole('row', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} [\\d.,-]+( \\S+)?$`) });
    return Number((await row.getByRole('cell').first().innerText()).replace(/,/g, ''));
  }

  rowCount(cell: Locator): Locator {
    return cell.getByTestId('row-count');
  }

  columnCount(cell: Locator): Locator {
    return cell.getByTestId('column-count');
  }

  async datasetNames(): Promise<string[]> {
    const region = this.sidebar.getByRole('region', { name: 'Datasets' });
    return region.getByRole('button').allInnerTexts();
  }

  /** Opens the Models page from the side bar. */
  async openModels(): Promise<void> {
    await this.sidebar.getByRole('button', { name: /^Models \(\d+\)$/ }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();
  }

  /** The full id (SHA-256 of the manifest) of the model version whose page is open. */
  async modelVersionId(): Promise<string> {
    const id = await this.page.getByTestId('bundle-id').locator('[data-hash]').getAttribute('data-hash');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    return id!;
  }

  /** On a model version's page: "Export bundle", and the downloaded .zip (its suggested name and bytes). */
  async exportBundle(): Promise<FileSpec> {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: 'Export bundle' }).click();
    const file = await download;
    await expect(this.page.getByTestId('bundle-exported')).toContainText(`Exported ${file.suggestedFilename()}`);
    return { name: file.suggestedFilename(), mimeType: 'application/zip', buffer: readFileSync(await file.path()) };
  }

  /**
   * Imports a bundle with the Models page's "Import model bundle" file input. On success the new
   * version's page opens (wait for it with expectImportedVersion); on a refusal an alert says why.
   */
  async importBundle(bundle: FileSpec): Promise<void> {
    await this.openModels();
    await this.page.getByLabel('Import model bundle').setInputFiles(bundle);
  }

  /** Drops a bundle on the Models page the way a drag from the desktop does. */
  async dropBundle(bundle: FileSpec): Promise<void> {
    await this.openModels();
    await this.dropFile(bundle, this.page.getByRole('region', { name: 'Model registry' }));
  }

  /** Waits for the page of an imported version: its heading, the "Imported from a bundle" note and its id. */
  async expectImportedVersion(heading: string, id: string): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: heading })).toBeVisible({ timeout: 30_000 });
    await expect(this.page.getByTestId('imported-note')).toContainText('Imported from a bundle on');
    expect(await this.modelVersionId()).toBe(id);
  }

  /** Runs "Verify files" on a model version's page and expects every file to match. */
  async expectFilesVerify(files = 7): Promise<void> {
    await this.page.getByRole('button', { name: 'Verify files' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: `All ${files} files match their SHA-256` })).toBeVisible();
  }

  /** Counts the model registry's stored records straight from IndexedDB. */
  async storedRegistryCounts(): Promise<{ models: number; modelVersions: number; modelFiles: number; modelExtras: number }> {
    return this.page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('labbook');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const stores = ['models', 'modelVersions', 'modelFiles', 'modelExtras'] as const;
            const tx = db.transaction([...stores], 'readonly');
            const out: Record<string, number> = {};
            let left = stores.length;
            for (const s of stores) {
              const req = tx.objectStore(s).count();
              req.onsuccess = () => {
                out[s] = req.result;
                left -= 1;
                if (left === 0) {
                  db.close();
                  resolve(out as { models: number; modelVersions: number; modelFiles: number; modelExtras: number });
                }
              };
            }
          };
        }),
    );
  }

  /** Counts stored records straight from IndexedDB, to prove what was (not) written. */
  async storedCounts(): Promise<{ datasets: number; versions: number; chunks: number }> {
    return this.page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('labbook');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const stores = ['datasets', 'versions', 'chunks'] as const;
            const tx = db.transaction([...stores], 'readonly');
            const out: Record<string, number> = {};
            let left = stores.length;
            for (const s of stores) {
              const req = tx.objectStore(s).count();
              req.onsuccess = () => {
                out[s] = req.result;
                left -= 1;
                if (left === 0) {
                  db.close();
                  resolve(out as { datasets: number; versions: number; chunks: number });
                }
              };
            }
          };
        }),
    );
  }
}

/** Opens a <details> disclosure (by its summary, as a person would) unless it is open already. */
async function openDisclosure(details: Locator): Promise<void> {
  if ((await details.getAttribute('open')) !== null) return;
  await details.locator(':scope > summary').click();
  await expect(details).toHaveAttribute('open', '');
}

/** The counts of a confusion matrix table (rows: true class, columns: predicted), read from "12 (10.0%)" cells. */
export async function confusionCounts(table: Locator): Promise<number[][]> {
  const out: number[][] = [];
  for (const row of await table.locator('tbody tr').all()) {
    // The last cell is the row's total, not a count of the matrix.
    const cells = (await row.getByRole('cell').allInnerTexts()).slice(0, -1);
    out.push(cells.map((t) => Number(/^[\d,]+/.exec(t.trim())![0].replace(/,/g, ''))));
  }
  return out;
}
