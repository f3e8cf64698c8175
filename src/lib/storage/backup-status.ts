/** What automatic backups watch, and where the last backup time is kept. */
import { db } from './db';
import { getSetting, setSetting } from './settings';

export const LAST_BACKUP_KEY = 'labbook:last-backup';
export const FOLDER_KEY = 'backupFolder';

/**
 * A signature of the workspace's substance: changes with a new dataset version, a run
 * that ended, a model version or alias, a prediction, a drift report, an evaluation or a notebook edit
 * (not with a running run's heartbeat).
 */
export async function changeSignature(): Promise<string> {
  const d = db();
  const [versions, ended, mvs, aliases, preds, drift, evaluations, nb] = await Promise.all([
    d.versions.count(),
    d.runs.where('status').noneOf(['running']).count(),
    d.modelVersions.count(),
    d.aliasEvents.count(),
    d.predictions.count(),
    d.driftReports.count(),
    d.evaluations.count(),
    d.notebooks.orderBy('updatedAt').last(),
  ]);
  return [versions, ended, mvs, aliases, preds, drift, evaluations, nb?.updatedAt ?? 0, await d.notebooks.count()].join('/');
}

/** When the last backup finished (settings, and localStorage, which survives an IndexedDB eviction). */
export async function lastBackupAt(): Promise<number | null> {
  const local = Number(globalThis.localStorage?.getItem(LAST_BACKUP_KEY) ?? NaN);
  const stored = await getSetting<number>(LAST_BACKUP_KEY).catch(() => undefined);
  const best = Math.max(Number.isFinite(local) ? local : 0, stored ?? 0);
  return best > 0 ? best : null;
}

export async function noteBackup(at: number): Promise<void> {
  globalThis.localStorage?.setItem(LAST_BACKUP_KEY, String(at));
  await setSetting(LAST_BACKUP_KEY, at);
}

export function backupFolder(): Promise<unknown> {
  return getSetting<unknown>(FOLDER_KEY);
}

export function setBackupFolder(handle: unknown): Promise<void> {
  return setSetting(FOLDER_KEY, handle);
}
