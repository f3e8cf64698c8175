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
import { decodeColumns, type DatasetSource } from '../src/lib/core/training';
import { combinedCsv } from '../src/lib/core/models';
import { referenceStatsBytes } from '../src/lib/drift-run';

export type ImportOutcome =
  | { ok: true; result: ImportResult }
  | { ok: false; code: string; message: string };

const jobs = new Map<string, AbortController>();
// A newer type for the same column stops the older re-profile at its next step (Superseded).
const reprofiles = new LatestRequests();

const api = {
  /** Imports a file; errors come back as values so their codes survive the worker boundary. */
  async importFile(
    jobId: string,
    file: Blob,
    fileName: string,
    opts: ImportOptions,
    onProgress: (p: ImportProgress) => void,
  ): Promise<ImportOutcome> {
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
  },

  /** Stops an import between two chunks; it then resolves with code 'cancelled'. */
  cancel(jobId: string): void {
    jobs.get(jobId)?.abort();
  },

  reprofileColumn(request: ReprofileRequest, id: RequestIdentity) {
    return reprofiles.run(id, (token) => reprofileColumn(request, token));
  },

  /** A dataset version's drift statistics for `columns`, as reference-stats.json bytes (for a bundle). */
  referenceStats: referenceStatsBytes,

  /** Two stored versions as one CSV file (the first's columns, its rows then the second's), to import. */
  async combine(first: DatasetSource, second: DatasetSource): Promise<Blob> {
    const read = async (s: DatasetSource) => {
      const names = s.schema.map((c) => c.name);
      return { names, columns: (await decodeColumns(s, names)).map((c) => c.data), rows: s.rows };
    };
    const [a, b] = await Promise.all([read(first), read(second)]);
    return new Blob([...combinedCsv(a, b)], { type: 'text/csv' });
  },
};

Comlink.expose(api);
export type DataApi = typeof api;
