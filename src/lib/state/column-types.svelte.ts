/**
 * Changing a column's type on a dataset version: the data worker re-profiles
 * the stored column under the new type, then the version record is updated.
 * A newer choice for the same column supersedes the older one inside the
 * worker (it stops between reading and profiling) and the older result is
 * never stored; choices for different columns run side by side.
 */
import * as datasetsRepo from '../storage/datasets';
import type { VersionRecord } from '../storage/records';
import { dataWorker } from '../workers';
import { reprofileKey } from '../core/csv';
import { isQuotaError, isSuperseded, storageFullMessage, type ColumnType } from '../core/common';

export class ColumnTypeChanges {
  /** The type asked for, per column being re-profiled (by `reprofileKey`). */
  pending = $state<Record<string, ColumnType>>({});
  /** What went wrong with the last change, in words for the page. */
  error = $state<string | null>(null);
  // Bookkeeping, not shown: the latest request id per column.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #latest = new Map<string, string>();
  #counter = 0;

  /** `stored` runs after a new type is saved (the app refreshes its dataset list). */
  constructor(private readonly stored: () => Promise<void>) {}

  /** The type being applied to a column, if a change is under way. */
  pendingType(hash: string, columnIndex: number): ColumnType | undefined {
    return this.pending[reprofileKey(hash, columnIndex)];
  }

  async change(version: VersionRecord, columnIndex: number, type: ColumnType): Promise<void> {
    const column = version.schema[columnIndex];
    if (!column) return;
    const key = reprofileKey(version.hash, columnIndex);
    const requestId = String(++this.#counter);
    const latest = () => this.#latest.get(key) === requestId;
    this.#latest.set(key, requestId);
    this.pending[key] = type;
    this.error = null;
    try {
      const chunks = await datasetsRepo.getChunks(version.hash);
      const profile = await dataWorker().reprofileColumn(
        {
          chunks: chunks.map((c) => ({ layout: c.layout, blob: c.blob })),
          dictBlob: version.dictBlob,
          columnIndex,
          storage: column.storage,
          name: column.name,
          type,
          rows: version.rows,
        },
        { key, requestId },
      );
      // A newer choice may have begun after the worker finished this one.
      if (!latest()) return;
      await datasetsRepo.setColumnType(version.hash, columnIndex, type, profile);
      await this.stored();
    } catch (err) {
      if (isSuperseded(err) || !latest()) return;
      const reason = isQuotaError(err) ? storageFullMessage("the column's new profile") : err instanceof Error ? err.message : String(err);
      this.error = `The type of "${column.name}" could not be changed: ${reason}`;
    } finally {
      if (latest()) {
        this.#latest.delete(key);
        delete this.pending[key];
      }
    }
  }
}
