/**
 * Restoring a Labbook archive in two passes. Pass 1 reads every entry once,
 * hashing it, and checks sizes, hashes, the entry list, the JSON and the
 * format against the manifest: any mismatch refuses the whole file and nothing
 * is written. Pass 2 merges whole units (a version with its chunks, a run with
 * both halves, a model version with its files): a unit carrying data in its own
 * transaction, small ones up to 8 of a kind per transaction. Absent → added,
 * identical → already had, different → the local one is kept.
 */
import type { Table } from 'dexie';
import { db } from './db';
import {
  ArchiveError,
  MANIFEST_NAME,
  canonical,
  checkAgainstManifest,
  decodeRecord,
  emptyReport,
  encodeRecord,
  parseManifest,
  type Group,
  type Manifest,
  type ManifestFile,
  type RestoreReport,
  blobSource,
  dataStart,
  entryBytes,
  entryData,
  readDirectory,
  type RandomAccess,
  type ZipEntry,
} from '../core/backup';
import { createSha256 } from '../core/common';
import type {
  AliasEventRecord,
  ChunkRecord,
  DatasetRecord,
  ModelExtraRecord,
  ModelFileRecord,
  ModelVersionRecord,
  RunDetailsRecord,
  RunSummaryRecord,
  VersionRecord,
} from './records';

export interface RestoreProgress {
  pass: 1 | 2;
  entries: number;
  totalEntries: number;
  bytes: number;
  totalBytes: number;
}

interface UnitJson {
  group: Group;
  key: string;
  data: unknown;
}

/** Refs `{ $blob }` inside encoded data. */
function blobRefs(data: unknown, out: string[] = []): string[] {
  if (data && typeof data === 'object') {
    if (Array.isArray(data)) for (const v of data) blobRefs(v, out);
    else {
      const o = data as Record<string, unknown>;
      if (typeof o.$blob === 'string') out.push(o.$blob);
      else for (const v of Object.values(o)) blobRefs(v, out);
    }
  }
  return out;
}

/** Pass 1: everything checked, nothing written. Returns the manifest and the directory. */
export async function verifyArchive(src: RandomAccess, label: string, onProgress?: (p: RestoreProgress) => void): Promise<{ manifest: Manifest; entries: ZipEntry[] }> {
  const entries = await readDirectory(src, label);
  const last = entries[entries.length - 1];
  if (!last || last.name !== MANIFEST_NAME) {
    throw new ArchiveError(`${label} has no ${MANIFEST_NAME} at its end: it is not a Labbook backup, or it is cut off${last ? ` after ${last.name}` : ''}; nothing was restored.`, MANIFEST_NAME);
  }
  const manifest = parseManifest(new TextDecoder().decode(await entryBytes(src, last)));
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const e of entries.slice(0, -1)) if (!listed.has(e.name)) throw new ArchiveError(`${e.name} is in the archive but not in its manifest.`, e.name);
  const names = new Set(entries.map((e) => e.name));
  for (const f of manifest.files) if (!names.has(f.path)) throw new ArchiveError(`${f.path} is listed in the manifest but missing from the archive.`, f.path);
  const progress: RestoreProgress = { pass: 1, entries: 0, totalEntries: entries.length, bytes: 0, totalBytes: manifest.files.reduce((s, f) => s + f.bytes, 0) };
  const seen: ManifestFile[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const entry of entries.slice(0, -1)) {
    const hasher = await createSha256();
    let bytes = 0;
    const json = entry.name.endsWith('.json') ? ([] as Uint8Array[]) : null;
    for await (const chunk of entryData(src, entry)) {
      hasher.update(chunk);
      bytes += chunk.byteLength;
      progress.bytes += chunk.byteLength;
      json?.push(chunk);
    }
    const got = { path: entry.name, bytes, sha256: hasher.digestHex() };
    seen.push(got);
    checkAgainstManifest({ ...manifest, files: manifest.files.filter((f) => f.path === entry.name) }, [got]);
    if (json) {
      let unit: UnitJson;
      try {
        unit = JSON.parse(decoder.decode(concat(json))) as UnitJson;
      } catch {
        throw new ArchiveError(`${entry.name} is not valid JSON.`, entry.name);
      }
      if (!unit || typeof unit !== 'object' || typeof unit.group !== 'string' || typeof unit.key !== 'string') {
        throw new ArchiveError(`${entry.name} is not a Labbook record.`, entry.name);
      }
      for (const ref of blobRefs(unit.data)) if (!names.has(ref)) throw new ArchiveError(`${ref}, referenced by ${entry.name}, is missing from the archive.`, ref);
    }
    progress.entries++;
    onProgress?.({ ...progress });
  }
  checkAgainstManifest(manifest, seen);
  return { manifest, entries };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** A stored entry's data as a slice of the file (no copy); others read whole. */
async function partOf(src: RandomAccess, file: Blob | null, entry: ZipEntry, typed: boolean): Promise<Blob | Uint8Array> {
  if (!typed && file && entry.compression === 0) {
    const start = await dataStart(src, entry);
    return file.slice(start, start + entry.compressedSize);
  }
  const bytes = await entryBytes(src, entry);
  return typed ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>]);
}

function same(local: unknown, incoming: unknown): boolean {
  return canonical(encodeRecord(local, '').data) === canonical(encodeRecord(incoming, '').data);
}

/** Verifies then merges a Blob (File) holding an archive. Throws ArchiveError (nothing written) on any mismatch. */
export async function restoreArchive(file: Blob, label: string, onProgress?: (p: RestoreProgress) => void): Promise<RestoreReport> {
  const src = blobSource(file);
  const { manifest, entries } = await verifyArchive(src, label, onProgress);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const report = emptyReport(manifest.format, manifest.notebookId ?? null);
  const refusedDatasets = new Set<string>();
  const progress: RestoreProgress = { pass: 2, entries: 0, totalEntries: entries.length, bytes: 0, totalBytes: 0 };
  const count = (bucket: Record<string, number>, table: string, n = 1) => {
    bucket[table] = (bucket[table] ?? 0) + n;
  };
  // Small units of one group are merged a batch per transaction (whole units only, so a restore
  // cut off part-way still leaves each record whole or absent); units carrying data, one each.
  let batch: { group: Group; key: string; record: Record<string, unknown> }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const units = batch;
    batch = [];
    await db().transaction('rw', tablesOf(units[0]!.group), async () => {
      for (const u of units) await mergeUnit(u.group, u.key, u.record, report, refusedDatasets, count);
    });
    onProgress?.({ ...progress });
  };
  for (const entry of entries) {
    progress.entries++;
    if (!entry.name.endsWith('/record.json')) continue;
    const unit = JSON.parse(new TextDecoder().decode(await entryBytes(src, entry))) as UnitJson;
    const parts = new Map<string, Blob | Uint8Array>();
    const typedRefs = new Set<string>();
    collectTyped(unit.data, typedRefs);
    for (const ref of blobRefs(unit.data)) parts.set(ref, await partOf(src, file, byName.get(ref)!, typedRefs.has(ref)));
    const record = decodeRecord(unit.data, (p) => parts.get(p)!) as Record<string, unknown>;
    if (batch.length && (batch[0]!.group !== unit.group || batch.length >= MERGE_BATCH)) await flush();
    batch.push({ group: unit.group, key: unit.key, record });
    if (unit.group === 'versions' || unit.group === 'modelVersions') await flush();
  }
  await flush();
  return report;
}

/** Units of the small kinds merged in one transaction. */
const MERGE_BATCH = 8;

/** The tables a unit of `group` is merged into. */
function tablesOf(group: Group): Table[] {
  const d = db();
  switch (group) {
    case 'versions':
      return [d.datasets, d.versions, d.chunks];
    case 'runs':
      return [d.runs, d.runDetails];
    case 'modelVersions':
      return [d.modelVersions, d.modelFiles, d.modelExtras];
    default:
      return [d.table(group)];
  }
}

function collectTyped(data: unknown, out: Set<string>): void {
  if (!data || typeof data !== 'object') return;
  if (Array.isArray(data)) return data.forEach((v) => collectTyped(v, out));
  const o = data as Record<string, unknown>;
  if (typeof o.$typed === 'string' && typeof o.$blob === 'string') out.add(o.$blob);
  else for (const v of Object.values(o)) collectTyped(v, out);
}

type Count = (bucket: Record<string, number>, table: string, n?: number) => void;

async function mergeUnit(group: Group, key: string, record: Record<string, unknown>, report: RestoreReport, refusedDatasets: Set<string>, count: Count): Promise<void> {
  const d = db();
  const outcome = (result: 'added' | 'had' | 'kept', shownKey = key) => {
    if (result === 'added') count(report.added, group);
    else if (result === 'had') count(report.alreadyHad, group);
    else report.keptYours.push({ table: group, key: shownKey });
  };
  switch (group) {
    case 'datasets': {
      const ds = record as unknown as DatasetRecord;
      await d.transaction('rw', d.datasets, async () => {
        const local = await d.datasets.get(ds.id);
        if (local) return outcome(same(local, ds) ? 'had' : 'kept', ds.name);
        const clash = await d.datasets.where('name').equals(ds.name).first();
        if (clash) {
          refusedDatasets.add(ds.id);
          report.refused.push({ table: group, key: ds.name, why: `a different dataset named “${ds.name}” already exists here` });
          return;
        }
        await d.datasets.add(ds);
        outcome('added');
      });
      return;
    }
    case 'versions': {
      const { version, chunks } = record as unknown as { version: VersionRecord; chunks: ChunkRecord[] };
      await d.transaction('rw', [d.datasets, d.versions, d.chunks], async () => {
        const local = await d.versions.get(version.hash);
        if (local) return outcome(same(local, version) ? 'had' : 'kept', version.hash.slice(0, 12));
        if (!(await d.datasets.get(version.datasetId))) {
          report.refused.push({ table: group, key: version.hash.slice(0, 12), why: 'its dataset was not restored' });
          return;
        }
        await d.versions.add(version);
        await d.chunks.bulkPut(chunks);
        outcome('added');
      });
      return;
    }
    case 'runs': {
      const { summary, details } = record as unknown as { summary: RunSummaryRecord; details: RunDetailsRecord | null };
      await d.transaction('rw', d.runs, d.runDetails, async () => {
        const local = await d.runs.get(summary.id);
        if (local) return outcome(same({ s: local, d: (await d.runDetails.get(summary.id)) ?? null }, { s: summary, d: details }) ? 'had' : 'kept');
        await d.runs.add(summary);
        if (details) await d.runDetails.put(details);
        outcome('added');
      });
      return;
    }
    case 'modelVersions': {
      const { version, files, extras } = record as unknown as { version: ModelVersionRecord; files: ModelFileRecord[]; extras: ModelExtraRecord[] };
      await d.transaction('rw', [d.modelVersions, d.modelFiles, d.modelExtras], async () => {
        const local = await d.modelVersions.get(version.id);
        if (local) return outcome(same(local, version) ? 'had' : 'kept', `${version.modelName} v${version.version}`);
        const clash = await d.modelVersions.where('[modelName+version]').equals([version.modelName, version.version]).first();
        if (clash) {
          report.refused.push({ table: group, key: `${version.modelName} v${version.version}`, why: 'a different version with that number already exists here' });
          return;
        }
        await d.modelVersions.add(version);
        await d.modelFiles.bulkPut(files);
        await d.modelExtras.bulkPut(extras);
        outcome('added');
      });
      return;
    }
    case 'aliasEvents': {
      const { events } = record as unknown as { events: AliasEventRecord[] };
      await d.transaction('rw', d.aliasEvents, async () => {
        for (const ev of events) {
          const dup = await d.aliasEvents
            .where('modelName')
            .equals(ev.modelName)
            .filter((x) => x.alias === ev.alias && x.from === ev.from && x.to === ev.to && x.at === ev.at)
            .first();
          if (dup) count(report.alreadyHad, group);
          else {
            const { id: _id, ...rest } = ev;
            await d.aliasEvents.add(rest);
            count(report.added, group);
          }
        }
      });
      return;
    }
    default: {
      const table = d.table(group);
      const id = key;
      await d.transaction('rw', table, async () => {
        const local: unknown = await table.get(id);
        if (local) return outcome(same(local, record) ? 'had' : 'kept', typeof record.title === 'string' ? `“${record.title}”` : id);
        await table.add(record);
        outcome('added');
      });
    }
  }
}
