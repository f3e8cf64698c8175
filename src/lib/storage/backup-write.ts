/**
 * Writing a Labbook archive (a workspace backup or one shared notebook) as a
 * stream: units are read from IndexedDB one at a time, every entry is hashed
 * as it passes, and the zip's bytes go to a sink as they are made, so a large
 * workspace never sits in memory. The manifest is the last entry.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { db } from './db';
import {
  FORMAT_VERSION,
  MANIFEST_NAME,
  encodeRecord,
  segment,
  type ArchiveFormat,
  type Group,
  type Manifest,
  type ManifestFile,
} from '../core/backup-format';
import { referenceClosure, type References } from '../core/backup-refs';
import { createSha256 } from '../core/hashing';

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
}

interface Unit {
  group: Group;
  key: string;
  record: unknown;
  /** Records by table this unit holds. */
  counts: Record<string, number>;
}

const PAGE = 200;

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

async function unitOf(group: Group, key: string, sel: Selection | null): Promise<Unit | null> {
  const d = db();
  switch (group) {
    case 'versions': {
      const version = await d.versions.get(key);
      if (!version) return null;
      const chunks = await d.chunks.where('hash').equals(key).sortBy('index');
      return { group, key, record: { version, chunks }, counts: { versions: 1, chunks: chunks.length } };
    }
    case 'runs': {
      const summary = await d.runs.get(key);
      if (!summary) return null;
      const details = (await d.runDetails.get(key)) ?? null;
      return { group, key, record: { summary, details }, counts: { runs: 1, runDetails: details ? 1 : 0 } };
    }
    case 'modelVersions': {
      const version = await d.modelVersions.get(key);
      if (!version) return null;
      const files = await d.modelFiles.where('versionId').equals(key).toArray();
      const extras = await d.modelExtras.where('versionId').equals(key).toArray();
      return { group, key, record: { version, files, extras }, counts: { modelVersions: 1, modelFiles: files.length, modelExtras: extras.length } };
    }
    case 'aliasEvents': {
      const events = sel
        ? await d.aliasEvents.where('modelName').equals(key).toArray()
        : await d.aliasEvents.orderBy(':id').offset(Number(key) * PAGE).limit(PAGE).toArray();
      return { group, key: sel ? key : `page-${key}`, record: { events }, counts: { aliasEvents: events.length } };
    }
    default: {
      const record = await d.table(group).get(key);
      return record ? { group, key, record, counts: { [group]: 1 } } : null;
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
  const groups: Group[] = ['notebooks', 'datasets', 'versions', 'models', 'modelVersions', 'aliasEvents', 'runs', 'predictions', 'driftReports'];
  const progress: ArchiveProgress = { entries: 0, bytes: 0, totalBytes: await estimateBytes(sel) };
  const files: ManifestFile[] = [];
  const counts: Record<string, number> = {};
  const queue: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else queue.push(chunk);
  });
  const flush = async () => {
    if (failure) throw failure;
    while (queue.length) await sink.write(queue.shift()!);
  };
  const addBytes = async (path: string, bytes: Uint8Array) => {
    const entry = new ZipDeflate(path, { level: 6 });
    zip.add(entry);
    entry.push(bytes, true);
    files.push({ path, bytes: bytes.byteLength, sha256: await hashOf(bytes) });
    await flush();
  };
  const addBinary = async (path: string, value: Blob | ArrayBufferView) => {
    const entry = new ZipPassThrough(path);
    zip.add(entry);
    const hasher = await createSha256();
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
  for (const group of groups) {
    let seq = 0;
    for (const key of await keysOf(group, sel)) {
      const unit = await unitOf(group, key, sel);
      if (!unit) continue;
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
  const manifestEntry = new ZipDeflate(MANIFEST_NAME, { level: 6 });
  zip.add(manifestEntry);
  manifestEntry.push(encoder.encode(JSON.stringify(manifest, null, 1)), true);
  zip.end();
  await flush();
  await sink.close();
  options.onProgress?.({ ...progress, entries: progress.entries + 1 });
  return manifest;
}

async function hashOf(bytes: Uint8Array): Promise<string> {
  const h = await createSha256();
  h.update(bytes);
  return h.digestHex();
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const step = 4 * 1024 * 1024;
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
