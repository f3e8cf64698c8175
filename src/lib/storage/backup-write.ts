/**
 * Writing a Labbook archive (a workspace backup or one shared notebook) as a
 * stream: units are read from IndexedDB one at a time, every entry is hashed
 * as it passes, and the zip's bytes go to a sink as they are made, so a large
 * workspace never sits in memory. The manifest is the last entry.
 */
import { Zip, ZipPassThrough } from 'fflate';
import { db } from './db';
import {
  FORMAT_VERSION,
  MANIFEST_NAME,
  WRITE_ORDER,
  encodeRecord,
  segment,
  type ArchiveFormat,
  type Group,
  type Manifest,
  type ManifestFile,
  referenceClosure,
  type References,
} from '../core/backup';
import { createSha256 } from '../core/common';

export interface ArchiveSink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface ArchiveProgress {
  entries: number;
  bytes: number;
  totalBytes: number;
}

export interface WriteOptions {
  format: ArchiveFormat;
  appVersion: string;
  /** Only this notebook and what it references (format 'labbook-notebook'). */
  notebookId?: string;
  onProgress?: (p: ArchiveProgress) => void;
  now?: number;
  /** The largest archive to write (ZIP_LIMIT; smaller in tests). */
  limitBytes?: number;
}

interface Unit {
  group: Group;
  key: string;
  record: unknown;
  /** Records by table this unit holds. */
  counts: Record<string, number>;
}

const PAGE = 200;
/** The largest archive a zip without ZIP64 can hold. */
export const ZIP_LIMIT = 0xffff_ffff;
const TOO_LARGE =
  'This backup would be larger than 4 GB, which the backup file format cannot hold yet. Export notebooks one at a time instead, or delete dataset versions you no longer need.';

/** The keys of a group to write: all of them, or a notebook's selection. */
async function keysOf(group: Group, sel: Selection | null): Promise<string[]> {
  const d = db();
  if (sel) return [...sel[group]];
  if (group === 'aliasEvents') {
    const n = await d.aliasEvents.count();
    return Array.from({ length: Math.ceil(n / PAGE) }, (_, i) => String(i));
  }
  const table = d.table(group);
  return (await table.toCollection().primaryKeys()) as string[];
}

type Selection = Record<Group, Set<string>>;

/** One dataset version with its chunks, model version with its files, or page of alias events. */
async function unitOf(group: Group, key: string, sel: Selection | null): Promise<Unit | null> {
  const d = db();
  switch (group) {
    case 'versions': {
      const [version, chunks] = await d.transaction('r', d.versions, d.chunks, () =>
        Promise.all([d.versions.get(key), d.chunks.where('hash').equals(key).sortBy('index')]),
      );
      if (!version) return null;
      return { group, key, record: { version, chunks }, counts: { versions: 1, chunks: chunks.length } };
    }
    case 'modelVersions': {
      const [version, files, extras] = await d.transaction('r', d.modelVersions, d.modelFiles, d.modelExtras, () =>
        Promise.all([d.modelVersions.get(key), d.modelFiles.where('versionId').equals(key).toArray(), d.modelExtras.where('versionId').equals(key).toArray()]),
      );
      if (!version) return null;
      return { group, key, record: { version, files, extras }, counts: { modelVersions: 1, modelFiles: files.length, modelExtras: extras.length } };
    }
    case 'aliasEvents': {
      const events = sel
        ? await d.aliasEvents.where('modelName').equals(key).toArray()
        : await d.aliasEvents.orderBy(':id').offset(Number(key) * PAGE).limit(PAGE).toArray();
      return { group, key: sel ? key : `page-${key}`, record: { events }, counts: { aliasEvents: events.length } };
    }
    default:
      return null;
  }
}

/** Records read together in one transaction, for the tables of many small records. */
const READ_PAGE = 10;

/**
 * The units of a group in key order. Runs and the plain tables are read a page of keys at a
 * time (a transaction per unit cost more than the unit); dataset versions and model versions,
 * which carry their data, one at a time.
 */
async function* unitsOf(group: Group, keys: string[], sel: Selection | null): AsyncGenerator<Unit> {
  const d = db();
  const paged = !['versions', 'modelVersions', 'aliasEvents'].includes(group);
  if (!paged) {
    for (const key of keys) {
      const unit = await unitOf(group, key, sel);
      if (unit) yield unit;
    }
    return;
  }
  for (let at = 0; at < keys.length; at += READ_PAGE) {
    const page = keys.slice(at, at + READ_PAGE);
    if (group === 'runs') {
      const [summaries, details] = await d.transaction('r', d.runs, d.runDetails, () => Promise.all([d.runs.bulkGet(page), d.runDetails.bulkGet(page)]));
      for (let i = 0; i < page.length; i++) {
        const summary = summaries[i];
        if (!summary) continue;
        const detail = details[i] ?? null;
        yield { group, key: page[i]!, record: { summary, details: detail }, counts: { runs: 1, runDetails: detail ? 1 : 0 } };
      }
    } else {
      const records: unknown[] = await d.table(group).bulkGet(page);
      for (let i = 0; i < page.length; i++) {
        if (records[i]) yield { group, key: page[i]!, record: records[i], counts: { [group]: 1 } };
      }
    }
  }
}

/** A notebook and exactly what it references (the alias events are keyed by model name). */
export async function notebookSelection(notebookId: string): Promise<Selection> {
  const d = db();
  const notebook = await d.notebooks.get(notebookId);
  if (!notebook) throw new Error('That notebook is no longer stored here.');
  const refs: References = await referenceClosure(notebook.cells, {
    run: async (id) => (await d.runs.get(id)) ?? null,
    modelVersion: async (id) => (await d.modelVersions.get(id)) ?? null,
    prediction: async (id) => (await d.predictions.get(id)) ?? null,
    driftReport: async (id) => (await d.driftReports.get(id)) ?? null,
    evaluation: async (id) => (await d.evaluations.get(id)) ?? null,
  });
  const versions = (await d.versions.bulkGet([...refs.versionHashes])).filter((v) => v !== undefined);
  const modelVersions = (await d.modelVersions.bulkGet([...refs.modelVersionIds])).filter((v) => v !== undefined);
  const models = new Set(modelVersions.map((v) => v.modelName));
  return {
    notebooks: new Set([notebookId]),
    datasets: new Set(versions.map((v) => v.datasetId)),
    versions: new Set(versions.map((v) => v.hash)),
    models,
    modelVersions: new Set(modelVersions.map((v) => v.id)),
    aliasEvents: models,
    runs: refs.runIds,
    predictions: refs.predictionIds,
    driftReports: refs.driftReportIds,
    evaluations: refs.evaluationIds,
  };
}

async function estimateBytes(sel: Selection | null): Promise<number> {
  const d = db();
  let total = 0;
  const versions = sel ? (await d.versions.bulkGet([...sel.versions])).filter((v) => v !== undefined) : await d.versions.toArray();
  for (const v of versions) total += v.storedBytes;
  await d.modelFiles.each((f) => {
    if (!sel || sel.modelVersions.has(f.versionId)) total += f.bytes;
  });
  return total;
}

/** Writes the archive to `sink`; returns its manifest. */
export async function writeArchive(sink: ArchiveSink, options: WriteOptions): Promise<Manifest> {
  const sel = options.notebookId ? await notebookSelection(options.notebookId) : null;

  const limit = options.limitBytes ?? ZIP_LIMIT;
  const progress: ArchiveProgress = { entries: 0, bytes: 0, totalBytes: await estimateBytes(sel) };
  if (progress.totalBytes > limit) throw new Error(TOO_LARGE);
  const files: ManifestFile[] = [];
  const counts: Record<string, number> = {};
  const queue: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else queue.push(chunk);
  });
  let written = 0;
  const flush = async () => {
    if (failure) throw failure;
    while (queue.length) {
      const chunk = queue.shift()!;
      written += chunk.byteLength;
      // Plain zip offsets are 32-bit (no ZIP64 here): stop with the reason rather than write a broken file.
      if (written > limit) throw new Error(TOO_LARGE);
      await sink.write(chunk);
    }
  };
  // One hasher for every entry, reset between them: a new WebAssembly instance per entry cost
  // more than hashing a run's record.
  const hasher = await createSha256();
  const addBytes = async (path: string, bytes: Uint8Array) => {
    // Stored, not deflated: compressing the records' JSON (a third of a workspace of runs, far
    // less of one with datasets) made the backup and the restore's two reads about a third slower.
    const entry = new ZipPassThrough(path);
    zip.add(entry);
    entry.push(bytes, true);
    hasher.reset();
    hasher.update(bytes);
    files.push({ path, bytes: bytes.byteLength, sha256: hasher.digestHex() });
    await flush();
  };
  const addBinary = async (path: string, value: Blob | ArrayBufferView) => {
    const entry = new ZipPassThrough(path);
    zip.add(entry);
    hasher.reset();
    let size = 0;
    const chunks = value instanceof Blob ? blobChunks(value) : oneChunk(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    for await (const chunk of chunks) {
      hasher.update(chunk);
      size += chunk.byteLength;
      entry.push(chunk, false);
      await flush();
      progress.bytes += chunk.byteLength;
    }
    entry.push(new Uint8Array(0), true);
    files.push({ path, bytes: size, sha256: hasher.digestHex() });
    await flush();
  };
  const encoder = new TextEncoder();
  for (const group of WRITE_ORDER) {
    let seq = 0;
    for await (const unit of unitsOf(group, await keysOf(group, sel), sel)) {
      const dir = `${group}/${segment(unit.key, seq++)}`;
      const { data, parts } = encodeRecord(unit.record, dir);
      for (const part of parts) await addBinary(part.path, part.value);
      await addBytes(`${dir}/record.json`, encoder.encode(JSON.stringify({ group, key: unit.key, data })));
      for (const [t, n] of Object.entries(unit.counts)) counts[t] = (counts[t] ?? 0) + n;
      progress.entries += parts.length + 1;
      options.onProgress?.({ ...progress });
    }
  }
  const manifest: Manifest = {
    format: options.format,
    formatVersion: FORMAT_VERSION,
    appVersion: options.appVersion,
    createdAt: options.now ?? Date.now(),
    ...(options.notebookId ? { notebookId: options.notebookId } : {}),
    files,
    counts,
  };
  const manifestEntry = new ZipPassThrough(MANIFEST_NAME);
  zip.add(manifestEntry);
  manifestEntry.push(encoder.encode(JSON.stringify(manifest, null, 1)), true);
  zip.end();
  await flush();
  await sink.close();
  options.onProgress?.({ ...progress, entries: progress.entries + 1 });
  return manifest;
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const step = 1024 * 1024;
  for (let at = 0; at < blob.size; at += step) {
    yield new Uint8Array(await blob.slice(at, Math.min(blob.size, at + step)).arrayBuffer());
  }
}

/** A sink collecting the chunks (the download fallback, and tests). */
export function memorySink(): ArchiveSink & { chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  return {
    chunks,
    write: async (c) => {
      chunks.push(c);
    },
    close: async () => undefined,
  };
}
