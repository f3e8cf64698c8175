/**
 * Data worker: CSV import (parse, hash, infer, profile, encode) and column
 * re-profiling, off the main thread. Thin: the work lives in src/lib/core.
 */
import * as Comlink from 'comlink';
import { importCsv, reprofileColumn, type ReprofileRequest } from '../src/lib/core/csv';
import {
  blobChunks,
  ImportError,
  LatestRequests,
  type RequestIdentity,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
} from '../src/lib/core/common';
import { hashInWorker } from '../src/lib/hash-client';
import type { DatasetSource } from '../src/lib/core/training';
import { referenceStatsBytes } from '../src/lib/drift-run';
import { retrainBlobs } from '../src/lib/retrain-split';
import type { GroupSummarySpec, Recipe } from '../src/lib/core/prepare';
import type { PrepareFailure, RecipePreview } from '../src/lib/prepare-run';

export type ImportOutcome =
  | { ok: true; result: ImportResult }
  | { ok: false; code: string; message: string };

const jobs = new Map<string, AbortController>();
// A newer type for the same column stops the older re-profile at its next step (Superseded).
const reprofiles = new LatestRequests();
// A Prepare cell's newer preview stops the older; an apply is stopped by its job id (cancelRecipe).
const previews = new LatestRequests();
const applies = new LatestRequests();

/** What a Prepare run reads: the input version, the recipe, and the versions its joins name (by hash). */
export interface RecipeRequest {
  input: DatasetSource;
  recipe: Recipe;
  joined: Map<string, DatasetSource>;
}

export type PreviewOutcome = { ok: true; preview: RecipePreview } | PrepareFailure;
export type ApplyOutcome = { ok: true; result: ImportResult; rows: number; recipeHash: string } | (PrepareFailure & { cancelled?: boolean });

// danfojs (with mathjs and xlsx) loads only when a recipe runs, so a CSV import never pays for it.
const prepareRun = () => import('../src/lib/prepare-run');

/** Imports a file; errors come back as values so their codes survive the worker boundary. */
async function importBlob(jobId: string, file: Blob, fileName: string, opts: ImportOptions, onProgress: (p: ImportProgress) => void): Promise<ImportOutcome> {
  const controller = new AbortController();
  jobs.set(jobId, controller);
  try {
    const result = await importCsv(
      { name: fileName, size: file.size, stream: () => blobChunks(file) },
      opts,
      // The hash worker reads the same File on the other core while this one parses.
      { onProgress, signal: controller.signal, hash: hashInWorker(file, controller.signal) },
    );
    return { ok: true, result };
  } catch (err) {
    if (err instanceof ImportError) return { ok: false, code: err.code, message: err.message };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, code: 'unreadable', message: `The file could not be read: ${message}` };
  } finally {
    controller.abort(); // ends the hash worker if the import stopped early; a no-op once hashed
    jobs.delete(jobId);
  }
}

const api = {
  /** Imports a file; errors come back as values so their codes survive the worker boundary. */
  importFile: importBlob,

  /** Stops an import between two chunks; it then resolves with code 'cancelled'. */
  cancel(jobId: string): void {
    jobs.get(jobId)?.abort();
  },

  reprofileColumn(request: ReprofileRequest, id: RequestIdentity) {
    return reprofiles.run(id, (token) => reprofileColumn(request, token));
  },

  /** A dataset version's drift statistics for `columns`, as reference-stats.json bytes (for a bundle). */
  referenceStats: referenceStatsBytes,

  /** A Prepare recipe on the input's first rows (and its group-by summary); a newer request for the cell supersedes it. */
  async previewRecipe(request: RecipeRequest & { rows?: number; group: GroupSummarySpec | null }, id: RequestIdentity): Promise<PreviewOutcome> {
    const run = await prepareRun();
    return previews.run(id, async (token) => {
      try {
        const preview = await run.previewRecipe(request.input, request.recipe, request.joined, { token, group: request.group, ...(request.rows ? { rows: request.rows } : {}) });
        return { ok: true, preview };
      } catch (err) {
        return run.asFailure(err);
      }
    });
  },

  /**
   * A Prepare recipe on the whole input, written as a deterministic CSV and imported here, in
   * this worker (the CSV never travels to the page and back): the import's result is what the
   * page stores. Progress: the recipe's steps, then the import's bytes, on one bar. Errors come
   * back as values.
   */
  async applyRecipe(request: RecipeRequest & { fileName: string }, jobId: string, onProgress: (done: number, total: number, label: string) => void): Promise<ApplyOutcome> {
    const run = await prepareRun();
    const made = await applies.run({ key: jobId, requestId: jobId }, async (token) => {
      try {
        return { ok: true as const, ...(await run.recipeCsv(request.input, request.recipe, request.joined, { token, onProgress: (done, total, label) => onProgress(done, total * 2, label) })) };
      } catch (err) {
        return run.asFailure(err);
      }
    });
    if (!made.ok) return made;
    const imported = await importBlob(jobId, made.blob, request.fileName, { types: made.types }, (p) => {
      const part = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
      onProgress(1 + Math.round(part * 1000), 2000, `Storing ${p.rows.toLocaleString('en-US')} rows`);
    });
    if (!imported.ok) return { ok: false, step: null, column: null, message: imported.code === 'cancelled' ? 'Cancelled.' : imported.message, cancelled: imported.code === 'cancelled' };
    return { ok: true, result: imported.result, rows: made.rows, recipeHash: made.recipeHash };
  },

  /** Stops a recipe's apply at its next step (it then rejects with Superseded), or its import between two chunks. */
  cancelRecipe(jobId: string): void {
    jobs.get(jobId)?.abort();
    const id = { key: jobId, requestId: `${jobId}:cancelled` };
    applies.begin(id);
    applies.end(id);
  },

  /** "Retrain with this data": the reference plus ~70% of the new data's rows, and the other ~30% held out (seeded, stable), as two CSV files. */
  retrainSplit: retrainBlobs,
};

Comlink.expose(api);
export type DataApi = typeof api;
