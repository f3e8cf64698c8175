/**
 * Backups, restores and shared notebooks for the page: starts the backup worker,
 * shows its progress and report, saves the result (save picker or download), and
 * keeps automatic backups to a chosen folder.
 */
import { backupWorker, proxy } from '../workers';
import { backupFolder, changeSignature, lastBackupAt, noteBackup, setBackupFolder } from '../storage/backup-status';
import { watch } from '../storage/live';
import { beginWork } from './busy.svelte';
import { formatBytes } from '../core/common';
import { saveBlob } from '../save-file';
import { describeReport, type RestoreReport } from '../core/backup';
import type { BackupOutcome } from '../../../workers/backup.worker';
import type { ArchiveProgress } from '../storage/backup-write';
import type { RestoreProgress } from '../storage/backup-restore';

/** What BackupState needs of the app: the refreshes after a restore. */
export interface BackupHost {
  refreshNotebooks(): Promise<void>;
  refreshDatasets(): Promise<void>;
  refreshStorage(): Promise<void>;
  records: { refresh(): Promise<void> };
  openNotebook?(id: string): Promise<void>;
}

export type BackupStatus = 'idle' | 'backing-up' | 'restoring' | 'done' | 'failed';

interface PermissionHandle {
  queryPermission?(o: { mode: 'readwrite' }): Promise<PermissionState>;
  requestPermission?(o: { mode: 'readwrite' }): Promise<PermissionState>;
}

type Picker = (options: unknown) => Promise<unknown>;
const picker = (name: 'showSaveFilePicker' | 'showDirectoryPicker'): Picker | null => {
  const fn = (globalThis as unknown as Record<string, unknown>)[name];
  return typeof fn === 'function' ? (fn as Picker).bind(globalThis) : null;
};

const SETTLE_MS = 30_000;

export class BackupState {
  status = $state<BackupStatus>('idle');
  /** Progress: entries written or checked, and MB of the total. */
  progress = $state<{ label: string; entries: number; totalEntries: number | null; bytes: number; totalBytes: number } | null>(null);
  /** The last result in words. */
  message = $state<string | null>(null);
  report = $state.raw<RestoreReport | null>(null);
  lastBackupAt = $state<number | null>(null);
  folderName = $state<string | null>(null);
  /** The folder is chosen but the browser wants a click to allow writing again. */
  needsPermission = $state(false);
  readonly folderSupported = picker('showDirectoryPicker') !== null;
  #host: BackupHost;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #signature: string | null = null;
  #stop: (() => void) | null = null;

  constructor(host: BackupHost) {
    this.#host = host;
  }

  get busy(): boolean {
    return this.status === 'backing-up' || this.status === 'restoring';
  }

  /** Reads the last backup time and starts automatic backups when a folder is chosen. */
  async init(): Promise<void> {
    this.lastBackupAt = await lastBackupAt();
    const folder = (await backupFolder()) as (PermissionHandle & { name?: string }) | undefined;
    if (!folder) return;
    this.folderName = folder.name ?? 'chosen folder';
    this.#startWatching();
  }

  /** Backs up the whole workspace to a chosen file, or as a download. */
  backUp(): Promise<void> {
    return this.#write('labbook-workspace', null);
  }

  /** Writes one notebook and what it references. */
  exportNotebook(id: string): Promise<void> {
    return this.#write('labbook-notebook', id);
  }

  async #write(format: 'labbook-workspace' | 'labbook-notebook', notebookId: string | null): Promise<void> {
    if (this.busy) return;
    let handle: unknown = null;
    const save = picker('showSaveFilePicker');
    if (save) {
      try {
        handle = await save({ suggestedName: 'labbook-backup.zip', types: [{ description: 'Labbook backup', accept: { 'application/zip': ['.zip'] } }] });
      } catch {
        handle = null; // Cancelled or refused: fall back to a download.
      }
    }
    this.status = 'backing-up';
    this.report = null;
    this.message = null;
    const done = beginWork(notebookId ? 'Exporting a notebook' : 'Backing up the workspace');
    this.progress = { label: notebookId ? 'Exporting notebook' : 'Backing up', entries: 0, totalEntries: null, bytes: 0, totalBytes: 0 };
    const outcome: BackupOutcome = await backupWorker()
      .backUp(format, notebookId, __APP_VERSION__, handle as never, proxy((p: ArchiveProgress) => {
        this.progress = { ...this.progress!, entries: p.entries, bytes: p.bytes, totalBytes: p.totalBytes };
      }))
      .catch((err: unknown) => ({ ok: false as const, message: err instanceof Error ? err.message : String(err) }))
      .finally(done);
    this.progress = null;
    if (!outcome.ok) {
      this.status = 'failed';
      this.message = `The backup failed: ${outcome.message}`;
      return;
    }
    if (outcome.blob) saveBlob(outcome.blob, outcome.fileName);
    if (!notebookId) await this.#noteBackup();
    this.status = 'done';
    this.message = `${notebookId ? 'Exported' : 'Backed up'} ${outcome.entries} entries (${formatBytes(outcome.bytes)}) to ${outcome.fileName}.`;
  }

  /** Verifies and merges a backup or shared notebook (whichever the manifest says). */
  async restore(file: File): Promise<RestoreReport | null> {
    if (this.busy) return null;
    this.status = 'restoring';
    this.report = null;
    this.message = null;
    const done = beginWork(`Restoring ${file.name}`);
    this.progress = { label: `Checking ${file.name}`, entries: 0, totalEntries: 0, bytes: 0, totalBytes: file.size };
    const outcome = await backupWorker()
      .restore(file, proxy((p: RestoreProgress) => {
        this.progress = { label: p.pass === 1 ? `Checking ${file.name}` : `Restoring ${file.name}`, entries: p.entries, totalEntries: p.totalEntries, bytes: p.bytes, totalBytes: p.totalBytes };
      }))
      .catch((err: unknown) => ({ ok: false as const, file: null, message: err instanceof Error ? err.message : String(err) }))
      .finally(done);
    this.progress = null;
    if (!outcome.ok) {
      this.status = 'failed';
      this.message = `Refused: ${outcome.message} Nothing was restored.`.replace('nothing was restored. Nothing was restored.', 'nothing was restored.');
      return null;
    }
    this.report = outcome.report;
    this.status = 'done';
    this.message = describeReport(outcome.report);
    await Promise.all([this.#host.refreshNotebooks(), this.#host.refreshDatasets(), this.#host.refreshStorage(), this.#host.records.refresh()]);
    if (outcome.report.format === 'labbook-notebook' && outcome.report.notebookId && this.#host.openNotebook) {
      await this.#host.openNotebook(outcome.report.notebookId).catch(() => undefined);
    }
    return outcome.report;
  }

  /** Restore or import, whichever the file's manifest says. */
  open(file: File): Promise<RestoreReport | null> {
    return this.restore(file);
  }

  /** Picks the folder automatic backups go to. */
  async chooseFolder(): Promise<void> {
    const pick = picker('showDirectoryPicker');
    if (!pick) return;
    let dir: unknown;
    try {
      dir = await pick({ mode: 'readwrite', id: 'labbook-backups' });
    } catch {
      return;
    }
    await setBackupFolder(dir);
    this.folderName = (dir as { name?: string }).name ?? 'chosen folder';
    this.needsPermission = false;
    this.#startWatching();
    await this.backUpToFolder();
  }

  /** After "Resume automatic backups" (a click, as requestPermission needs). */
  async resume(): Promise<void> {
    const dir = (await backupFolder()) as PermissionHandle | undefined;
    if (!dir?.requestPermission) return;
    if ((await dir.requestPermission({ mode: 'readwrite' })) === 'granted') {
      this.needsPermission = false;
      await this.backUpToFolder();
    }
  }

  /** One automatic backup, when the folder still allows writing. */
  async backUpToFolder(): Promise<void> {
    const dir = (await backupFolder()) as PermissionHandle | undefined;
    if (!dir || this.busy) return;
    const state = dir.queryPermission ? await dir.queryPermission({ mode: 'readwrite' }) : 'granted';
    if (state !== 'granted') {
      this.needsPermission = true;
      return;
    }
    this.status = 'backing-up';
    this.progress = { label: 'Automatic backup', entries: 0, totalEntries: null, bytes: 0, totalBytes: 0 };
    const done = beginWork('Automatic backup');
    const outcome = await backupWorker()
      .backUpToFolder(dir as never, __APP_VERSION__)
      .catch((err: unknown) => ({ ok: false as const, message: err instanceof Error ? err.message : String(err) }))
      .finally(done);
    this.progress = null;
    this.status = outcome.ok ? 'idle' : 'failed';
    if (outcome.ok) await this.#noteBackup();
    else this.message = `The automatic backup failed: ${outcome.message}`;
  }

  #startWatching(): void {
    if (this.#stop) return;
    this.#stop = watch(changeSignature, (sig) => {
      const first = this.#signature === null;
      if (sig === this.#signature) return;
      this.#signature = sig;
      if (first) return;
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.backUpToFolder(), SETTLE_MS);
    });
  }

  async #noteBackup(): Promise<void> {
    const at = Date.now();
    this.lastBackupAt = at;
    await noteBackup(at).catch(() => undefined);
  }

  dispose(): void {
    this.#stop?.();
    if (this.#timer) clearTimeout(this.#timer);
  }
}

