/**
 * Run repository. A run is written when training starts, grows one epoch at a
 * time while the tab sends heartbeats, and ends failed, cancelled, completed
 * (with its model version, see models.ts) or interrupted: a run still
 * 'running' whose tab stopped beating is marked so on the next start.
 */
import { db } from './db';
import type { RunRecord } from './records';
import type { EpochRecord } from '../core/training';

/** The message an interrupted run shows. */
export const INTERRUPTED_MESSAGE = 'The tab closed or the page reloaded while this run was training.';

export interface RunFilter {
  notebookId?: string;
  datasetHash?: string;
}

/** A patch that ends a run without a model. */
export type FinishPatch = Partial<Omit<RunRecord, 'id'>> & { status: 'failed' | 'cancelled' };

/** Tags as stored: trimmed, empty ones dropped, duplicates dropped (first kept). */
export function cleanTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const tag = t.trim();
    if (tag !== '' && !out.includes(tag)) out.push(tag);
  }
  return out;
}

function missing(id: string): Error {
  return new Error(`Run ${id.slice(0, 12)} no longer exists.`);
}

/** Stores a new run. Throws if a run with its id exists. */
export async function createRun(run: RunRecord): Promise<void> {
  await db().runs.add(run);
}

export async function getRun(id: string): Promise<RunRecord | undefined> {
  return db().runs.get(id);
}

/** Runs, newest first, optionally only those of a notebook and/or a dataset version. */
export async function listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
  const { notebookId, datasetHash } = filter;
  const table = db().runs;
  let runs: RunRecord[];
  if (notebookId !== undefined) {
    runs = await table.where('notebookId').equals(notebookId).toArray();
    if (datasetHash !== undefined) runs = runs.filter((r) => r.datasetHash === datasetHash);
  } else if (datasetHash !== undefined) {
    runs = await table.where('datasetHash').equals(datasetHash).toArray();
  } else {
    runs = await table.toArray();
  }
  return runs.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/**
 * Adds an epoch to a run (replacing one with the same number, so a retried
 * write does not duplicate it) and counts as a heartbeat.
 */
export async function appendEpoch(id: string, record: EpochRecord): Promise<void> {
  const d = db();
  await d.transaction('rw', d.runs, async () => {
    const run = await d.runs.get(id);
    if (!run) throw missing(id);
    const epochs = run.epochs.filter((e) => e.epoch !== record.epoch);
    epochs.push(record);
    epochs.sort((a, b) => a.epoch - b.epoch);
    await d.runs.update(id, { epochs, heartbeatAt: Date.now() });
  });
}

/** Records that the run's tab is still alive. A missing run is ignored. */
export async function heartbeat(id: string, at: number = Date.now()): Promise<void> {
  await db().runs.update(id, { heartbeatAt: at });
}

/** Ends a run that produced no model: failed or cancelled, with what it got to. */
export async function finishRun(id: string, patch: FinishPatch): Promise<RunRecord> {
  const d = db();
  return d.transaction('rw', d.runs, async () => {
    const run = await d.runs.get(id);
    if (!run) throw missing(id);
    const now = Date.now();
    const finished: RunRecord = { ...run, ...patch, id, endedAt: patch.endedAt ?? now };
    await d.runs.put(finished);
    return finished;
  });
}

/** Sets a run's notes and tags (cleaned with cleanTags). */
export async function updateRunNotes(id: string, notes: string, tags: readonly string[]): Promise<RunRecord> {
  const d = db();
  return d.transaction('rw', d.runs, async () => {
    const run = await d.runs.get(id);
    if (!run) throw missing(id);
    const updated: RunRecord = { ...run, notes, tags: cleanTags(tags) };
    await d.runs.put(updated);
    return updated;
  });
}

/**
 * Marks every 'running' run that is no longer training as 'interrupted'
 * (ended at its last heartbeat), in one transaction. A run is dead when
 * `alive` is given and does not hold its id (the browser's Web Locks list:
 * a training tab holds a lock per run, released when the tab closes), or
 * else when its last heartbeat is older than `staleMs`.
 * Returns how many were marked.
 */
export async function markInterruptedRuns(staleMs: number, now: number = Date.now(), alive?: ReadonlySet<string>): Promise<number> {
  const d = db();
  const cutoff = now - staleMs;
  return d.transaction('rw', d.runs, async () => {
    const stale = await d.runs
      .where('status')
      .equals('running')
      .filter((r) => (alive ? !alive.has(r.id) : r.heartbeatAt < cutoff))
      .toArray();
    for (const run of stale) {
      await d.runs.put({ ...run, status: 'interrupted', statusMessage: INTERRUPTED_MESSAGE, endedAt: run.heartbeatAt });
    }
    return stale.length;
  });
}
