/**
 * Dataset repository: datasets, their versions and the versions' columnar
 * chunks. An import is written in one transaction, after all parsing and
 * hashing is done, so a failure (quota, a crash) leaves storage as it was.
 */
import Dexie from 'dexie';
import { db } from './db';
import type { ChunkRecord, DatasetRecord, Derivation, VersionRecord } from './records';
import { type ColumnProfile, type ColumnType, type ImportResult, newId } from '../core/common';
import type { DatasetSource } from '../core/training';
import { patchStoredCell } from './notebooks';

export interface DatasetWithVersions {
  dataset: DatasetRecord;
  /** Newest first. */
  versions: VersionRecord[];
}

/** The part of a version that depends on how the bytes were parsed (not on the bytes alone). */
function parsedContent(result: ImportResult) {
  return {
    storedBytes: result.storedBytes,
    rows: result.rows,
    encoding: result.encoding,
    hadBom: result.hadBom,
    delimiter: result.delimiter,
    delimiterDetected: result.delimiterDetected,
    lineEnding: result.lineEnding,
    schema: result.schema,
    renames: result.renames,
    profile: result.profile,
    preview: result.preview,
    dictBlob: result.dictBlob,
    ragged: result.ragged,
    unusualNames: result.unusualNames,
    chunkCount: result.chunks.length,
  } satisfies Partial<VersionRecord>;
}

function chunkRecords(result: ImportResult): ChunkRecord[] {
  return result.chunks.map((c) => ({ hash: result.hash, index: c.index, layout: c.layout, blob: c.blob }));
}

export type SaveOutcome =
  | { status: 'created'; dataset: DatasetRecord; version: VersionRecord }
  | { status: 'existing'; dataset: DatasetRecord; version: VersionRecord };

/** The notebook cell an import is shown in: `patch(hash)` is written to its config with the version. */
export interface CellLink {
  notebookId: string;
  cellId: string;
  patch: (hash: string) => Record<string, unknown>;
}

/**
 * Stores an import as a new version of the dataset called `datasetName`
 * (created if needed). Identical bytes are never stored twice: if a version
 * with the same hash exists, nothing is written and it is returned.
 * With `link`, the cell that shows the import is pointed at the version in the
 * same transaction: a tab closed mid-save leaves both written, or neither.
 * `derivation` (a Prepare cell's output: parents, recipe, recipe hash) is
 * written on a new version; an existing version is returned untouched.
 */
export async function saveImport(result: ImportResult, datasetName: string, link?: CellLink, derivation?: Derivation): Promise<SaveOutcome> {
  const d = db();
  return d.transaction('rw', [d.datasets, d.versions, d.chunks, d.notebooks], async () => {
    if (link) await patchStoredCell(link.notebookId, link.cellId, link.patch(result.hash));
    const existing = await d.versions.get(result.hash);
    if (existing) {
      const dataset = await d.datasets.get(existing.datasetId);
      if (!dataset) throw new Error(`Dataset ${existing.datasetId} of version ${result.hash} is missing`);
      return { status: 'existing', dataset, version: existing } as const;
    }
    const now = Date.now();
    let dataset = await d.datasets.where('name').equals(datasetName).first();
    if (!dataset) {
      dataset = { id: newId(), name: datasetName, createdAt: now, updatedAt: now };
      await d.datasets.add(dataset);
    } else {
      await d.datasets.update(dataset.id, { updatedAt: now });
    }
    const last = await d.versions
      .where('[datasetId+version]')
      .between([dataset.id, Dexie.minKey], [dataset.id, Dexie.maxKey])
      .last();
    const version: VersionRecord = {
      hash: result.hash,
      datasetId: dataset.id,
      version: (last?.version ?? 0) + 1,
      fileName: result.fileName,
      fileBytes: result.fileBytes,
      ...parsedContent(result),
      createdAt: now,
      ...(derivation ? { derivation } : {}),
    };
    await d.versions.add(version);
    await d.chunks.bulkAdd(chunkRecords(result));
    return { status: 'created', dataset, version } as const;
  });
}

/**
 * Replaces a version's parse of the same bytes (the user forced another
 * delimiter). The hash stays; chunks and schema are swapped in one transaction.
 */
export async function replaceVersionContent(result: ImportResult): Promise<VersionRecord> {
  const d = db();
  return d.transaction('rw', d.versions, d.chunks, async () => {
    const existing = await d.versions.get(result.hash);
    if (!existing) throw new Error(`Version ${result.hash.slice(0, 12)} no longer exists`);
    const updated: VersionRecord = {
      ...existing,
      ...parsedContent(result),
    };
    await d.chunks.where('hash').equals(result.hash).delete();
    await d.versions.put(updated);
    await d.chunks.bulkAdd(chunkRecords(result));
    return updated;
  });
}

export async function listDatasets(): Promise<DatasetWithVersions[]> {
  const d = db();
  return d.transaction('r', d.datasets, d.versions, async () => {
    const [datasets, versions] = await Promise.all([d.datasets.toArray(), d.versions.toArray()]);
    return datasets
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((dataset) => ({
        dataset,
        versions: versions.filter((v) => v.datasetId === dataset.id).sort((a, b) => b.version - a.version),
      }));
  });
}

export async function getVersion(hash: string): Promise<VersionRecord | undefined> {
  return db().versions.get(hash);
}

export async function getDataset(id: string): Promise<DatasetRecord | undefined> {
  return db().datasets.get(id);
}

/** The version's chunks in row order. */
export async function getChunks(hash: string): Promise<ChunkRecord[]> {
  const chunks = await db().chunks.where('hash').equals(hash).toArray();
  return chunks.sort((a, b) => a.index - b.index);
}

/** Where a worker reads a version's columns: its schema, dictionary and chunk Blobs; null when not stored. */
export async function getDatasetSource(hash: string): Promise<DatasetSource | null> {
  const d = db();
  return d.transaction('r', d.versions, d.chunks, async () => {
    const version = await d.versions.get(hash);
    if (!version) return null;
    const chunks = await getChunks(hash);
    return { hash, rows: version.rows, schema: version.schema, dictBlob: version.dictBlob, chunks: chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
  });
}

/** A version can't be deleted while a run (in any tab) is training on it. */
export class VersionInUseError extends Error {
  constructor(runs: number) {
    super(
      `A training run is using this version right now (${runs === 1 ? 'one run' : `${runs} runs`}, in this tab or another). It can be deleted once the run ends or is cancelled.`,
    );
    this.name = 'VersionInUseError';
  }
}

/**
 * Deletes a version and its chunks; the dataset goes too when it has no
 * versions left, so nothing is orphaned. Refused (VersionInUseError) while a run is
 * training on it: `alive` holds the ids of runs whose tab is still open (Web Locks);
 * without it every run marked 'running' counts.
 */
export async function deleteVersion(hash: string, alive?: ReadonlySet<string>): Promise<void> {
  const d = db();
  await d.transaction('rw', [d.datasets, d.versions, d.chunks, d.runs], async () => {
    const version = await d.versions.get(hash);
    if (!version) return;
    const training = await d.runs
      .where('datasetHash')
      .equals(hash)
      .filter((r) => r.status === 'running' && (!alive || alive.has(r.id)))
      .count();
    if (training > 0) throw new VersionInUseError(training);
    await d.chunks.where('hash').equals(hash).delete();
    await d.versions.delete(hash);
    const left = await d.versions.where('datasetId').equals(version.datasetId).count();
    if (left === 0) await d.datasets.delete(version.datasetId);
  });
}

/** Records a user's type override for one column with its recomputed profile. */
export async function setColumnType(
  hash: string,
  columnIndex: number,
  type: ColumnType,
  profile: ColumnProfile,
): Promise<VersionRecord> {
  const d = db();
  return d.transaction('rw', d.versions, async () => {
    const version = await d.versions.get(hash);
    if (!version) throw new Error(`Version ${hash.slice(0, 12)} no longer exists`);
    const schema = version.schema.map((c) => (c.index === columnIndex ? { ...c, type } : c));
    const columnProfiles = version.profile.columnProfiles.map((p, i) => (i === columnIndex ? profile : p));
    const updated = { ...version, schema, profile: { ...version.profile, columnProfiles } };
    await d.versions.put(updated);
    return updated;
  });
}

/** Row counts of every table: used by tests and the storage panel to prove nothing is orphaned. */
export async function countRecords(): Promise<{ datasets: number; versions: number; chunks: number }> {
  const d = db();
  const [datasets, versions, chunks] = await Promise.all([d.datasets.count(), d.versions.count(), d.chunks.count()]);
  return { datasets, versions, chunks };
}
