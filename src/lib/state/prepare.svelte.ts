/**
 * A Prepare cell's job: previews of its recipe on the input's first rows
 * (debounced, a newer one superseding the older in the data worker), and
 * Apply: the recipe on every row in the data worker, the resulting CSV
 * imported through the normal import path, and the version stored with its
 * derivation (parents, recipe, recipe hash). A bad step or any failure
 * stores nothing.
 */
import { dataWorker, proxy } from '../workers';
import { getDatasetSource, getDataset, getVersion, saveImport, type CellLink } from '../storage/datasets';
import { freeBytes } from '../storage/quota';
import { isQuotaError, isSuperseded, newId, quotaMessage, storageFullMessage } from '../core/common';
import type { GroupSummarySpec, Recipe } from '../core/prepare';
import type { DatasetSource } from '../core/training';
import { trackWork } from './busy.svelte';

export interface PreviewTable {
  header: string[];
  rows: (string | number | null)[][];
  rowsIn: number;
  rowsOut: number;
  stepRows: number[];
}

export interface StepProblem {
  step: number;
  column: string | null;
  message: string;
}

export const PREVIEW_DEBOUNCE_MS = 250;

/** The hashes a recipe's join steps name, each once. */
function joinHashes(recipe: Recipe): string[] {
  return [...new Set(recipe.steps.flatMap((s) => (s.kind === 'join' && s.versionHash ? [s.versionHash] : [])))];
}

/** The stored versions the joins name (a deleted one is left out: the check then names its step). */
async function joinedSources(recipe: Recipe): Promise<Map<string, DatasetSource>> {
  // A message for the worker, not rune state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const joined = new Map<string, DatasetSource>();
  for (const hash of joinHashes(recipe)) {
    const s = await getDatasetSource(hash);
    if (s) joined.set(hash, s);
  }
  return joined;
}

/** A plain copy (the cell's config may be rune state, which neither postMessage nor IndexedDB can clone). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export class PrepareJob {
  preview = $state.raw<PreviewTable | null>(null);
  previewing = $state(false);
  /** A bad step: named, nothing stored. */
  problem = $state.raw<StepProblem | null>(null);
  group = $state.raw<{ header: string[]; rows: (string | number | null)[][] } | null>(null);
  applying = $state(false);
  progress = $state.raw<{ done: number; total: number; label: string } | null>(null);
  error = $state<string | null>(null);
  result = $state.raw<{ status: 'created' | 'existing'; versionHash: string; datasetName: string; version: number } | null>(null);

  /** The worker's key for this cell's previews. */
  readonly #key = `prepare:${newId()}`;
  #previewSeq = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** The apply running now (its job id), for cancel and for dropping a stale answer. */
  #applyId: string | null = null;

  constructor() {
    trackWork(() => (this.applying ? 'a Prepare recipe being applied' : null));
  }

  /** Previews `recipe` on the input's first rows after a short pause; a newer request replaces it. */
  requestPreview(inputHash: string, recipe: Recipe, group: GroupSummarySpec | null): void {
    const seq = ++this.#previewSeq;
    const args = { recipe: plain(recipe), group: group ? plain(group) : null };
    if (this.#timer) clearTimeout(this.#timer);
    this.previewing = true;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#preview(seq, inputHash, args.recipe, args.group);
    }, PREVIEW_DEBOUNCE_MS);
  }

  async #preview(seq: number, inputHash: string, recipe: Recipe, group: GroupSummarySpec | null): Promise<void> {
    try {
      const input = await getDatasetSource(inputHash);
      if (seq !== this.#previewSeq) return;
      if (!input) {
        this.preview = null;
        this.group = null;
        this.problem = { step: -1, column: null, message: 'The input dataset version is no longer stored. Choose another.' };
        return;
      }
      const joined = await joinedSources(recipe);
      const out = await dataWorker().previewRecipe({ input, recipe, joined, group }, { key: this.#key, requestId: `${this.#key}:${seq}` });
      if (seq !== this.#previewSeq) return;
      if (out.ok) {
        const { header, rows, rowsIn, rowsOut, stepRows } = out.preview;
        this.preview = { header, rows, rowsIn, rowsOut, stepRows };
        this.group = out.preview.group;
        this.problem = null;
      } else {
        this.preview = null;
        this.group = null;
        this.problem = { step: out.step ?? -1, column: out.column, message: out.message };
      }
    } catch (err) {
      if (seq !== this.#previewSeq || isSuperseded(err)) return;
      this.preview = null;
      this.group = null;
      this.problem = { step: -1, column: null, message: `The preview failed: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      if (seq === this.#previewSeq) this.previewing = false;
    }
  }

  /**
   * Runs the recipe on every row of the input in the data worker, imports the CSV it makes and
   * stores it as a version of `outputName` ('' for "<input dataset name>-prepared") with its
   * derivation; with `link`, the cell's `resultHash` is set in the same transaction.
   */
  async apply(inputHash: string, recipe: Recipe, outputName: string, link?: { notebookId: string; cellId: string }): Promise<void> {
    if (this.applying) return;
    const jobId = newId();
    this.#applyId = jobId;
    this.applying = true;
    this.error = null;
    this.result = null;
    this.progress = { done: 0, total: 1, label: 'Reading the data' };
    const current = () => this.#applyId === jobId;
    const steps = plain(recipe);
    try {
      const [input, version] = await Promise.all([getDatasetSource(inputHash), getVersion(inputHash)]);
      if (!input || !version) throw new Error('The input dataset version is no longer stored. Choose another.');
      const name = outputName.trim() || `${(await getDataset(version.datasetId))?.name ?? 'dataset'}-prepared`;
      const joined = await joinedSources(steps);
      const ran = await dataWorker().applyRecipe(
        { input, recipe: steps, joined, fileName: `${name}.csv` },
        jobId,
        proxy((done: number, total: number, label: string) => {
          if (current()) this.progress = { done, total, label };
        }),
      );
      if (!current()) return;
      if (!ran.ok) {
        if (ran.step !== null) this.problem = { step: ran.step, column: ran.column, message: ran.message };
        this.error = ran.cancelled ? 'Cancelled. Nothing was stored.' : `${ran.message} Nothing was stored.`;
        return;
      }
      const result = ran.result;
      const free = await freeBytes();
      if (free !== null && free < result.storedBytes) {
        this.error = quotaMessage(result.storedBytes, free);
        return;
      }
      const cellLink: CellLink | undefined = link ? { ...link, patch: (hash) => ({ resultHash: hash }) } : undefined;
      const derivation = { parents: [inputHash, ...joinHashes(steps)], recipe: steps, recipeHash: ran.recipeHash };
      const saved = await saveImport(result, name, cellLink, derivation);
      if (!current()) return;
      this.result = { status: saved.status, versionHash: saved.version.hash, datasetName: saved.dataset.name, version: saved.version.version };
      this.problem = null;
    } catch (err) {
      if (!current()) return;
      if (isSuperseded(err)) this.error = 'Cancelled. Nothing was stored.';
      else if (isQuotaError(err)) this.error = storageFullMessage('the prepared dataset');
      else this.error = `The recipe could not be applied: ${err instanceof Error ? err.message : String(err)}. Nothing was stored.`;
    } finally {
      if (current()) {
        this.applying = false;
        this.progress = null;
        this.#applyId = null;
      }
    }
  }

  /** Stops a running apply (nothing is stored) and any pending preview. */
  cancel(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
      this.#previewSeq++;
      this.previewing = false;
    }
    const jobId = this.#applyId;
    if (!jobId) return;
    void dataWorker().cancelRecipe(jobId);
  }
}
