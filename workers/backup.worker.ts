/**
 * Backup worker: writes workspace backups and shared notebooks (a streaming
 * zip, every entry hashed) and restores them (verify everything, then merge),
 * and sums the workspace's bytes by kind, off the main thread. Thin: the work is storage/backup-write and
 * storage/backup-restore; Dexie opens the same database here as in the page.
 */
import * as Comlink from 'comlink';
import { writeArchive, type ArchiveProgress, type ArchiveSink } from '../src/lib/storage/backup-write';
import { restoreArchive, type RestoreProgress } from '../src/lib/storage/backup-restore';
import { usageByKind, type UsageByKind } from '../src/lib/storage/usage';
import { databaseExists } from '../src/lib/storage/db';
import { ArchiveError, backupFileName, type ArchiveFormat, type RestoreReport } from '../src/lib/core/backup';
import { exportMlflow as writeMlflowExport, type MlflowExportProgress, type MlflowExportResult } from '../src/lib/mlflow-export';

export type BackupOutcome =
  | { ok: true; fileName: string; blob: Blob | null; entries: number; bytes: number; counts: Record<string, number> }
  | { ok: false; message: string };
export type MlflowOutcome = ({ ok: true } & MlflowExportResult) | { ok: false; message: string };
export type RestoreOutcome = { ok: true; report: RestoreReport } | { ok: false; file: string | null; message: string };

/** Gathers small zip chunks into ~1 MB writes; a chunk that large already is written as it is. */
function batched(write: (bytes: Uint8Array) => Promise<void>, close: () => Promise<void>): ArchiveSink {
  const limit = 1024 * 1024;
  let parts: Uint8Array[] = [];
  let size = 0;
  const drain = async () => {
    if (!size) return;
    const out = new Uint8Array(size);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    parts = [];
    size = 0;
    await write(out);
  };
  return {
    async write(chunk) {
      if (chunk.byteLength >= limit) {
        await drain();
        await write(chunk);
        return;
      }
      parts.push(chunk);
      size += chunk.byteLength;
      if (size >= limit) await drain();
    },
    async close() {
      await drain();
      await close();
    },
  };
}

interface WritableLike {
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
interface FileHandleLike {
  name: string;
  createWritable(): Promise<WritableLike>;
}
interface DirectoryHandleLike {
  getFileHandle(name: string, options: { create: boolean }): Promise<FileHandleLike>;
  removeEntry(name: string): Promise<void>;
  keys(): AsyncIterable<string>;
}

let usageRun: AbortController | null = null;
/** Backups and restores in progress: a usage sum waits for them instead of reading beside them. */
const archiveWork = new Set<Promise<unknown>>();

function archiving<T>(work: Promise<T>): Promise<T> {
  archiveWork.add(work);
  void work.finally(() => archiveWork.delete(work)).catch(() => undefined);
  return work;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function write(
  format: ArchiveFormat,
  notebookId: string | null,
  appVersion: string,
  target: FileHandleLike | null,
  fileName: string,
  onProgress?: (p: ArchiveProgress) => void,
): Promise<BackupOutcome> {
  // Without a file, each ~1 MB batch becomes its own Blob at once: the browser keeps Blob bytes
  // outside the JS heap (on disk when large), so the download path holds no more than one batch.
  if (!(await databaseExists())) {
    return { ok: false, message: "Labbook's database is gone from this browser (deleted, or cleared with the site's data): there is nothing to back up." };
  }
  const blobs: Blob[] = [];
  const writable = target ? await target.createWritable() : null;
  const sink = batched(
    async (bytes) => {
      if (writable) await writable.write(bytes);
      else blobs.push(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    },
    async () => {
      await writable?.close();
    },
  );
  let last: ArchiveProgress = { entries: 0, bytes: 0, totalBytes: 0 };
  try {
    const manifest = await writeArchive(sink, {
      format,
      appVersion,
      ...(notebookId ? { notebookId } : {}),
      onProgress: (p) => {
        last = p;
        onProgress?.(p);
      },
    });
    const blob = writable ? null : new Blob(blobs, { type: 'application/zip' });
    return { ok: true, fileName: target?.name ?? fileName, blob, entries: manifest.files.length + 1, bytes: last.bytes, counts: manifest.counts };
  } catch (err) {
    await writable?.abort().catch(() => undefined);
    return { ok: false, message: message(err) };
  }
}

const api = {
  /** A workspace backup or a shared notebook, to a chosen file or (no handle) as a Blob for a download. */
  backUp(format: ArchiveFormat, notebookId: string | null, appVersion: string, target: FileHandleLike | null, onProgress?: (p: ArchiveProgress) => void): Promise<BackupOutcome> {
    const name = notebookId ? backupFileName(new Date(), 'labbook-notebook') : backupFileName(new Date());
    return archiving(write(format, notebookId, appVersion, target, name, onProgress));
  },

  /** An automatic backup into a folder, keeping the newest `keep` backups there. */
  async backUpToFolder(dir: DirectoryHandleLike, appVersion: string, keep = 2): Promise<BackupOutcome> {
    const name = backupFileName(new Date());
    const outcome = await archiving(write('labbook-workspace', null, appVersion, await dir.getFileHandle(name, { create: true }), name));
    if (outcome.ok) {
      const names: string[] = [];
      for await (const n of dir.keys()) if (/^labbook-backup-\d{4}-\d\d-\d\d-\d{4}\.zip$/.test(n)) names.push(n);
      names.sort();
      for (const old of names.slice(0, Math.max(0, names.length - keep))) await dir.removeEntry(old).catch(() => undefined);
    }
    return outcome;
  },

  /**
   * Bytes stored by kind, summed here so that reading every record never runs on the page.
   * A newer call stops an older one, which answers null.
   */
  async usageByKind(): Promise<UsageByKind | null> {
    usageRun?.abort();
    const run = new AbortController();
    usageRun = run;
    while (archiveWork.size > 0) await Promise.allSettled([...archiveWork]);
    // Never the one to open (and so create) a database that another tab deleted.
    if (run.signal.aborted || !(await databaseExists())) return null;
    try {
      return await usageByKind({ signal: run.signal, sliceMs: 40 });
    } catch (err) {
      if (run.signal.aborted) return null;
      throw err;
    }
  },

  /** "Export to MLflow": the runs (every stored run when null) as an MLflow file store, zipped with its rewrite script. */
  async exportMlflow(runIds: string[] | null, onProgress?: (p: MlflowExportProgress) => void): Promise<MlflowOutcome> {
    if (!(await databaseExists())) return { ok: false, message: "Labbook's database is gone from this browser: there are no runs to export." };
    try {
      const result = await writeMlflowExport(runIds, { onProgress });
      return Comlink.transfer({ ok: true as const, ...result }, result.zip.buffer instanceof ArrayBuffer ? [result.zip.buffer] : []);
    } catch (err) {
      return { ok: false, message: `The MLflow export failed: ${message(err)}` };
    }
  },

  /** Verifies the whole file, then merges it. Nothing is written when it is refused. */
  async restore(file: File, onProgress?: (p: RestoreProgress) => void): Promise<RestoreOutcome> {
    try {
      return { ok: true, report: await archiving(restoreArchive(file, file.name, onProgress)) };
    } catch (err) {
      if (err instanceof ArchiveError) return { ok: false, file: err.file, message: err.message };
      return { ok: false, file: null, message: `${file.name} could not be restored: ${message(err)}` };
    }
  },
};

Comlink.expose(api);
export type BackupApi = typeof api;
