/**
 * What the stored records weigh, by kind, and how many of each there are.
 * Blobs count by `blob.size` (never read); everything else by the length of
 * its JSON. The app sums them in the backup worker; tables are read in pages
 * by primary key with a pause between pages (a macrotask), so a newer sum can
 * stop an older one and other work in the same thread goes on.
 */
import type { Table } from 'dexie';
import { db } from './db';
import type { RecordCounts } from '../core/backup';

export type { RecordCounts };

export type UsageKind = 'datasets' | 'runs' | 'models' | 'reports' | 'notebooks';

export type UsageByKind = Record<UsageKind, number>;

/** Which tables make up each kind. */
export const USAGE_TABLES: Record<UsageKind, readonly string[]> = {
  datasets: ['datasets', 'versions', 'chunks'],
  runs: ['runs', 'runDetails'],
  models: ['models', 'modelVersions', 'modelFiles', 'modelExtras', 'aliasEvents'],
  reports: ['predictions', 'driftReports', 'evaluations'],
  notebooks: ['notebooks', 'settings'],
};

/** Approximate bytes of one stored record: its Blobs' and binary arrays' sizes plus its JSON's length. */
export function recordBytes(record: unknown): number {
  let binary = 0;
  const json = JSON.stringify(record, (_key, value: unknown) => {
    if (typeof Blob !== 'undefined' && value instanceof Blob) {
      binary += value.size;
      return undefined;
    }
    if (value instanceof ArrayBuffer) {
      binary += value.byteLength;
      return undefined;
    }
    if (ArrayBuffer.isView(value)) {
      binary += value.byteLength;
      return undefined;
    }
    return value;
  });
  return binary + (json?.length ?? 0);
}

export interface UsageOptions {
  /** Stops between two pages (the promise then rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Milliseconds of work per page before yielding (the page size adapts to it). */
  sliceMs?: number;
}

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A record's primary key, read with the table's key path (a compound key is an array). */
function keyOf(table: Table, record: unknown): unknown {
  const path = table.schema.primKey.keyPath;
  const get = (name: string) => (record as Record<string, unknown>)[name];
  return Array.isArray(path) ? path.map(get) : get(path as string);
}

/** Sums one table's records in pages by primary key. */
async function tableBytes(table: Table, options: UsageOptions): Promise<number> {
  const sliceMs = options.sliceMs ?? 12;
  let total = 0;
  let pageSize = 20;
  let after: unknown = undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const started = performance.now();
    const collection = after === undefined ? table.orderBy(':id') : table.where(':id').above(after);
    const page = await collection.limit(pageSize).toArray();
    for (const record of page) total += recordBytes(record);
    if (page.length < pageSize) return total;
    after = keyOf(table, page[page.length - 1]);
    const took = performance.now() - started;
    // Aim each page at about `sliceMs` of work: bigger pages for small records, smaller for big ones.
    if (took < sliceMs / 2) pageSize = Math.min(pageSize * 2, 2000);
    else if (took > sliceMs) pageSize = Math.max(1, Math.floor(pageSize / 2));
    await yieldToPage();
  }
}

/** Bytes stored by kind (datasets, runs, models, reports, notebooks). */
export async function usageByKind(options: UsageOptions = {}): Promise<UsageByKind> {
  const database = db();
  const out: UsageByKind = { datasets: 0, runs: 0, models: 0, reports: 0, notebooks: 0 };
  for (const kind of Object.keys(USAGE_TABLES) as UsageKind[]) {
    for (const name of USAGE_TABLES[kind]) {
      out[kind] += await tableBytes(database.table(name), options);
      await yieldToPage();
    }
  }
  return out;
}

/** How many notebooks, datasets, dataset versions, runs, model versions and drift reports are stored. */
export async function countRecords(): Promise<RecordCounts> {
  const d = db();
  return d.transaction('r', [d.notebooks, d.datasets, d.versions, d.runs, d.modelVersions, d.driftReports], async () => {
    const [notebooks, datasets, versions, runs, modelVersions, driftReports] = await Promise.all([
      d.notebooks.count(),
      d.datasets.count(),
      d.versions.count(),
      d.runs.count(),
      d.modelVersions.count(),
      d.driftReports.count(),
    ]);
    return { notebooks, datasets, versions, runs, modelVersions, driftReports };
  });
}
