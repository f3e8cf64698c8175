/**
 * Backup worker: writes workspace backups and shared notebooks (a streaming
 * zip, every entry hashed) and restores them (verify everything, then merge),
 * off the main thread. Thin: the work is storage/backup-write and
 * storage/backup-restore; Dexie opens the same database here as in the page.
 */
import * as Comlink from 'comlink';
import { writeArchive, type ArchiveProgress, type ArchiveSink } from '../src/lib/storage/backup-write';
import { restoreArchive, type RestoreProgress } from '../src/lib/storage/backup-restore';
import { ArchiveError, backupFileName, type ArchiveFormat, type RestoreReport } from '../src/lib/core/backup-format';

export type BackupOutcome =
  | { ok: true; fileName: string; blob: Blob | null; entries: number; bytes: number; counts: Record<string, number> }
  | { ok: false; message: string };
export type RestoreOutcome = { ok: true; report: RestoreReport } | { ok: false; file: string | null; message: string };

/** Gathers small zip chunks into ~4 MB writes. */
function batched(write: (bytes: Uint8Array) => Promise<void>, close: () => Promise<void>): ArchiveSink {
  const limit = 4 * 1024 * 1024;
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

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function write(
  format: ArchiveFormat,
  notebookId: string | null,
  appVersion: string,
  target: FileHandleLike | null,
  fileName: string,
  onProgress?: (p: ArchiveProgress) => void,
): Promise<BackupOutcome> {
  const blobs: Uint8Array[] = [];
  const writable = target ? await target.createWritable() : null;
  const sink = batched(
    async (bytes) => {
      if (writable) await writable.write(bytes);
      else blobs.push(bytes);
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
    const blob = writable ? null : new Blob(blobs as Uint8Array<ArrayBuffer>[], { type: 'application/zip' });
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
    return write(format, notebookId, appVersion, target, name, onProgress);
  },

  /** An automatic backup into a folder, keeping the newest `keep` backups there. */
  async backUpToFolder(dir: DirectoryHandleLike, appVersion: string, keep = 2): Promise<BackupOutcome> {
    const name = backupFileName(new Date());
    const outcome = await write('labbook-workspace', null, appVersion, await dir.getFileHandle(name, { create: true }), name);
    if (outcome.ok) {
      const names: string[] = [];
      for await (const n of dir.keys()) if (/^labbook-backup-\d{4}-\d\d-\d\d-\d{4}\.zip$/.test(n)) names.push(n);
      names.sort();
      for (const old of names.slice(0, Math.max(0, names.length - keep))) await dir.removeEntry(old).catch(() => undefined);
    }
    return outcome;
  },

  /** Verifies the whole file, then merges it. Nothing is written when it is refused. */
  async restore(file: File, onProgress?: (p: RestoreProgress) => void): Promise<RestoreOutcome> {
    try {
      return { ok: true, report: await restoreArchive(file, file.name, onProgress) };
    } catch (err) {
      if (err instanceof ArchiveError) return { ok: false, file: err.file, message: err.message };
      return { ok: false, file: null, message: `${file.name} could not be restored: ${message(err)}` };
    }
  },
};

Comlink.expose(api);
export type BackupApi = typeof api;
