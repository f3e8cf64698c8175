/**
 * The app shell's state: notebooks, the open view, stored datasets, storage
 * usage, and per-cell imports. Provided to components through context.
 */
import { getContext, setContext } from 'svelte';
import * as notebooksRepo from '../storage/notebooks';
import * as datasetsRepo from '../storage/datasets';
import { requestPersistence, storageInfo, type StorageInfo } from '../storage/quota';
import { watch } from '../storage/live';
import { clearUnsaved, holdTabLock, leftBehind } from '../storage/journal';
import { onDatabaseLost, type LostReason } from '../storage/db';
import { aliveRunIds } from './training.svelte';
import type { NotebookRecord, VersionRecord } from '../storage/records';
import type { DatasetWithVersions } from '../storage/datasets';
import type { CellConfigs, CellKind } from '../core/notebook';
import { NotebookState } from './notebook.svelte';
import { ImportJob } from './imports.svelte';
import { RecordsState } from './records.svelte';
import { HealthState } from './health.svelte';
import { BackupState } from './backup.svelte';
import { ColumnTypeChanges } from './column-types.svelte';
import { defaultCompareSettings, type CompareSettings } from '../core/compare';
import { warmRows } from './compare.svelte';
import { PipelineState } from './pipeline.svelte';
import { cellRunners, type CellRunners } from './cell-runners';
import { pipelineContext, outputsStored } from './pipeline-host';
import sampleUrl from '../../../datasets/heart-sample.csv?url';

export type View =
  | { kind: 'notebook'; id: string }
  | { kind: 'dataset'; id: string; version?: string }
  | { kind: 'runs' }
  | { kind: 'run'; id: string }
  | { kind: 'models' }
  | { kind: 'model-version'; id: string }
  | { kind: 'empty' };

const LAST_NOTEBOOK_KEY = 'labbook:last-notebook';

export class AppState {
  notebooks = $state.raw<NotebookRecord[]>([]);
  view = $state.raw<View>({ kind: 'empty' });
  notebook = $state.raw<NotebookState | null>(null);
  datasets = $state.raw<DatasetWithVersions[]>([]);
  storage = $state.raw<StorageInfo>({ usage: null, quota: null, persisted: null });
  ready = $state(false);
  message = $state<string | null>(null);
  /** Set when this tab lost its database (deleted or upgraded in another tab, cleared by the browser). */
  lost = $state<LostReason | null>(null);
  #stopWatching: (() => void)[] = [];
  #unwatchNotebook: (() => void) | null = null;
  /** The Runs page's filter, sort, selection and chart choices (kept while the tab is open). */
  runsView = $state.raw<CompareSettings>(defaultCompareSettings());
  // A cache of job objects (each holds its own rune state); templates never read the map itself.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #imports = new Map<string, ImportJob>();
  /** Runs, the registry and training jobs. */
  readonly records = new RecordsState(async (run) => {
    // A run started from a cell is listed in that cell (when its notebook is the open one).
    const nb = this.notebook;
    const cell = run.cellId ? nb?.cells.find((c) => c.id === run.cellId) : undefined;
    if (nb && cell?.kind === 'train' && !cell.config.runIds.includes(run.id)) {
      nb.updateConfig<'train'>(cell.id, { runIds: [...cell.config.runIds, run.id] });
    }
    await this.refreshStorage();
  });

  /** Usage by kind and the ledger that notices records gone at start. */
  readonly health = new HealthState();
  readonly backup = new BackupState(this);
  /** Column type changes on dataset versions (re-profiled in the data worker). */
  readonly columnTypes = new ColumnTypeChanges(() => this.refreshDatasets());
  #runners: CellRunners | null = null;
  /** The open notebook as a pipeline: fingerprints, Run all, each cell's run. */
  readonly pipeline = new PipelineState({
    context: (cells) => pipelineContext(this.records, cells),
    outputsExist: (outputs) => outputsStored(this, outputs),
    listOutputs: async (outputs) => {
      if (outputs.datasetHash && !this.findVersion(outputs.datasetHash)) await this.refreshDatasets();
    },
    runner: (kind) => (this.#runners ??= cellRunners(this))[kind] ?? null,
  });

  async init(): Promise<void> {
    holdTabLock();
    // Runs load alongside but are not waited for: with a thousand stored runs the notebook
    // opens first and the runs list fills in a moment later.
    const records = this.records.init().then(() => warmRows(this.records.runs), (err: unknown) => {
      this.message = `Stored runs could not be read: ${err instanceof Error ? err.message : String(err)}`;
    });
    await Promise.all([this.refreshNotebooks(), this.refreshDatasets(), this.refreshStorage()]);
    await this.health.check();
    if (this.notebooks.length === 0) {
      const first = await notebooksRepo.createNotebook('My first notebook');
      this.notebooks = [first];
    }
    const last = globalThis.localStorage?.getItem(LAST_NOTEBOOK_KEY);
    const open = this.notebooks.find((n) => n.id === last) ?? this.notebooks[0];
    if (open) await this.openNotebook(open.id);
    this.#watch();
    this.ready = true;
    // Ask once, quietly: browsers grant it to sites the user engages with.
    if (this.storage.persisted === false) void this.persist(false);
    await records;
  }

  /**
   * Keeps this tab in step with the others: notebook names, datasets and storage figures
   * follow every change, wherever it was made; losing the database stops all saving.
   */
  #watch(): void {
    let storageTimer: ReturnType<typeof setTimeout> | null = null;
    const storageSoon = () => {
      if (storageTimer) clearTimeout(storageTimer);
      storageTimer = setTimeout(() => void this.refreshStorage(), 500);
    };
    this.#stopWatching = [
      watch(notebooksRepo.listNotebooks, (list) => {
        this.notebooks = list;
        const open = this.notebook;
        if (open && !list.some((n) => n.id === open.id)) open.stored = false;
      }),
      watch(datasetsRepo.listDatasets, (list) => {
        this.datasets = list;
        storageSoon();
      }),
      this.records.watch(),
      this.health.watch(),
      onDatabaseLost((reason) => {
        this.lost = reason;
      }),
    ];
  }

  /** Stops following other tabs (the app is being torn down). */
  dispose(): void {
    for (const stop of this.#stopWatching) stop();
    this.#stopWatching = [];
    this.#unwatchNotebook?.();
    this.#unwatchNotebook = null;
  }

  async refreshNotebooks(): Promise<void> {
    this.notebooks = await notebooksRepo.listNotebooks();
  }

  async refreshDatasets(): Promise<void> {
    this.datasets = await datasetsRepo.listDatasets();
  }

  async refreshStorage(): Promise<void> {
    this.storage = await storageInfo();
    this.health.usageSoon();
  }

  async persist(userAsked = true): Promise<void> {
    const granted = await requestPersistence();
    await this.refreshStorage();
    if (userAsked && !granted) {
      this.message = 'The browser declined persistent storage for now; your data is kept, but may be evicted if the disk fills up.';
    }
  }

  async openNotebook(id: string): Promise<void> {
    await this.notebook?.flush();
    const record = await this.#recover(id);
    if (!record) return;
    this.#unwatchNotebook?.();
    this.notebook = new NotebookState(record);
    this.#unwatchNotebook = this.notebook.watch();
    this.view = { kind: 'notebook', id };
    globalThis.localStorage?.setItem(LAST_NOTEBOOK_KEY, id);
  }

  /**
   * The stored notebook, with edits a closed tab noted but never saved written first
   * (merged over the revision they were made on, like any save).
   */
  async #recover(id: string): Promise<NotebookRecord | undefined> {
    let record = await notebooksRepo.getNotebook(id);
    if (!record) return record;
    for (const { key, entry } of await leftBehind(id).catch(() => [])) {
      try {
        record = (await notebooksRepo.saveCells(id, entry)).record;
        clearUnsaved(id, key);
      } catch {
        // Left for the next open; the stored notebook opens as it is.
      }
    }
    return record;
  }

  async createNotebook(): Promise<void> {
    const n = this.notebooks.length + 1;
    const record = await notebooksRepo.createNotebook(`Notebook ${n}`);
    await this.refreshNotebooks();
    await this.openNotebook(record.id);
  }

  /** Saves the cells of a notebook deleted elsewhere as a new notebook, so nothing typed is lost. */
  async keepCopy(notebook: NotebookState): Promise<void> {
    await notebook.flush().catch(() => undefined);
    const title = `${this.notebookTitle(notebook.id) || 'Notebook'} (recovered)`;
    const plain = JSON.parse(JSON.stringify(notebook.cells)) as NotebookState['cells'];
    const record = await notebooksRepo.createNotebook(title, plain);
    await this.refreshNotebooks();
    await this.openNotebook(record.id);
  }

  async renameNotebook(id: string, title: string): Promise<void> {
    const clean = title.trim();
    if (!clean) return;
    try {
      await notebooksRepo.renameNotebook(id, clean);
    } catch (err) {
      this.message = `The notebook could not be renamed: ${err instanceof Error ? err.message : String(err)}`;
    }
    await this.refreshNotebooks();
  }

  async deleteNotebook(id: string): Promise<void> {
    const open = this.notebook?.id === id;
    if (open) {
      await this.notebook?.flush();
      this.#unwatchNotebook?.();
      this.#unwatchNotebook = null;
      this.notebook = null;
    }
    await notebooksRepo.deleteNotebook(id);
    await this.refreshNotebooks();
    if (open || (this.view.kind === 'notebook' && this.view.id === id)) {
      const next = this.notebooks[0];
      if (next) await this.openNotebook(next.id);
      else this.view = { kind: 'empty' };
    }
  }

  openDataset(id: string): void {
    this.view = { kind: 'dataset', id };
  }

  /** Opens the dataset page that holds a version, showing that version (for lineage links). */
  openVersion(hash: string): void {
    const found = this.findVersion(hash);
    if (found) this.view = { kind: 'dataset', id: found.dataset.dataset.id, version: hash };
  }

  openRuns(): void {
    this.view = { kind: 'runs' };
  }

  openRun(id: string): void {
    this.view = { kind: 'run', id };
  }

  openModels(): void {
    this.view = { kind: 'models' };
  }

  openModelVersion(id: string): void {
    this.view = { kind: 'model-version', id };
  }

  /**
   * Opens a comparison of `runIds` (a sweep's runs): in the open notebook, as a compare cell
   * right under `afterCellId` (the one already there for this sweep, or a new one), scrolled
   * into view; with no notebook open, on the Runs page.
   */
  openComparison(runIds: string[], options: { sweepId?: string | null; baselineId?: string | null; afterCellId?: string | null } = {}): void {
    const { sweepId = null, baselineId = null, afterCellId = null } = options;
    const settings: CompareSettings = {
      ...defaultCompareSettings(),
      filter: { ...defaultCompareSettings().filter, sweepId },
      selected: [...runIds],
      baselineId,
    };
    const nb = this.notebook;
    const at = nb && afterCellId ? nb.cells.findIndex((c) => c.id === afterCellId) : -1;
    if (!nb || at < 0) {
      this.runsView = settings;
      this.openRuns();
      return;
    }
    const next = nb.cells[at + 1];
    const id = next?.kind === 'compare' && sweepId !== null && next.config.filter.sweepId === sweepId ? next.id : nb.addCell('compare', settings, afterCellId).id;
    if (id === next?.id) nb.updateConfig<'compare'>(id, settings);
    this.view = { kind: 'notebook', id: nb.id };
    requestAnimationFrame(() => {
      const el = document.getElementById(`cell-${id}`);
      el?.scrollIntoView({ block: 'start' });
      el?.focus({ preventScroll: true });
    });
  }

  notebookTitle(id: string): string {
    return this.notebooks.find((n) => n.id === id)?.title ?? '';
  }

  /**
   * The import state of one cell (created on first use). The new version is recorded in the
   * cell's config with `patch` (by default a dataset cell's `versionHash`), both in storage, in
   * the same transaction as the version, and in the open notebook.
   */
  importFor(cellId: string, patch: (hash: string) => Record<string, unknown> = (hash) => ({ versionHash: hash })): ImportJob {
    let job = this.#imports.get(cellId);
    if (!job) {
      const notebookId = this.notebook?.id ?? null;
      job = new ImportJob(
        async (hash) => {
          const nb = this.notebook;
          if (nb && nb.id === notebookId) nb.updateConfig<CellKind>(cellId, patch(hash) as Partial<CellConfigs[CellKind]>);
          await Promise.all([this.refreshDatasets(), this.refreshStorage()]);
        },
        () => (notebookId ? { notebookId, cellId, patch } : undefined),
      );
      this.#imports.set(cellId, job);
    }
    return job;
  }

  findVersion(hash: string | null): { dataset: DatasetWithVersions; version: VersionRecord } | null {
    if (!hash) return null;
    for (const dataset of this.datasets) {
      const version = dataset.versions.find((v) => v.hash === hash);
      if (version) return { dataset, version };
    }
    return null;
  }

  /** Fetches the bundled sample and imports it into the given cell. */
  async openSample(cellId: string): Promise<void> {
    const job = this.importFor(cellId);
    try {
      const response = await fetch(sampleUrl);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      await job.start(new File([blob], 'heart-sample.csv', { type: 'text/csv' }), {});
    } catch (err) {
      job.status = 'error';
      job.error = `The sample could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Deletes a dataset version; refused (the message says why) while a run in any tab trains on it. */
  async deleteVersion(hash: string): Promise<void> {
    try {
      const alive = await aliveRunIds().catch(() => null);
      await datasetsRepo.deleteVersion(hash, alive ?? undefined);
    } catch (err) {
      this.message = err instanceof Error ? err.message : String(err);
      return;
    }
    await Promise.all([this.refreshDatasets(), this.refreshStorage()]);
    if (this.view.kind === 'dataset' && !this.datasets.some((d) => d.dataset.id === (this.view as { id: string }).id)) {
      this.view = this.notebook ? { kind: 'notebook', id: this.notebook.id } : { kind: 'empty' };
    }
  }
}

const KEY = Symbol('labbook-app');

export function provideApp(app: AppState): void {
  setContext(KEY, app);
}

export function useApp(): AppState {
  return getContext<AppState>(KEY);
}
