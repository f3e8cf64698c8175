/**
 * Run repository. A run is written when training starts, grows one epoch at a
 * time while the tab sends heartbeats, and ends failed, cancelled, completed
 * (with its model version, see models.ts) or interrupted: a run still
 * 'running' whose tab stopped beating is marked so on the next start.
 *
 * A run is stored in two halves written together: its summary (`runs`: all
 * that lists, filters and comparison tables read) and its details
 * (`runDetails`: per-epoch history and evaluation curves, read for the runs
 * being drawn). Callers see whole RunRecords from getRun and summaries from
 * listRuns.
 */
import { db, splitStoredRun } from './db';
import type { RunDetailsRecord, RunRecord, RunSummaryRecord } from './records';
import { checkRunName, joinEvaluation, nextRunName, type DatasetSource, type EpochRecord, endedRun } from '../core/training';
import { getDatasetSource } from './datasets';

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

/** The whole run from its two halves (missing details, as for a run stored by hand, read as empty). */
export function joinRun(summary: RunSummaryRecord, details: RunDetailsRecord | undefined): RunRecord {
  const { epochCount: _count, evaluation, ...rest } = summary;
  return {
    ...rest,
    epochs: details?.epochs ?? [],
    evaluation: evaluation ? joinEvaluation(evaluation, details) : null,
    ...(details?.testScores ? { testScores: details.testScores } : {}),
  };
}

/** The summary a whole run is listed by. */
export function summaryOf(run: RunRecord): RunSummaryRecord {
  return splitStoredRun(run).summary;
}

/** Writes both halves of a run; call inside a transaction over runs and runDetails. */
export async function putRunParts(run: RunRecord): Promise<void> {
  const d = db();
  const { summary, details } = splitStoredRun(run);
  // The stored name wins: a rename made while the run trained outlives the run's completion.
  const stored = await d.runs.get(run.id);
  await d.runs.put(stored?.name ? { ...summary, name: stored.name } : summary);
  await d.runDetails.put(details);
}

/**
 * Gives an unnamed new run its name, on `run` itself so the caller's copy
 * (completed later from it) carries it too; call inside a transaction over runs.
 */
async function nameNewRun(run: RunRecord): Promise<void> {
  if (run.name) return;
  const table = db().runs;
  const scope =
    run.notebookId !== null
      ? await table.where('notebookId').equals(run.notebookId).toArray()
      : await table.where('datasetHash').equals(run.datasetHash).filter((r) => r.notebookId === null).toArray();
  run.name = nextRunName(run.config, scope);
}

/** Stores a new run (naming it when it has no name). Throws if a run with its id exists. */
export async function createRun(run: RunRecord): Promise<void> {
  const d = db();
  await d.transaction('rw', d.runs, d.runDetails, async () => {
    await nameNewRun(run);
    const { summary, details } = splitStoredRun(run);
    await d.runs.add(summary);
    await d.runDetails.put(details);
  });
}

/**
 * Creates a run on its dataset version and returns where the worker reads the version,
 * in one transaction: a version deleted in another tab at the same moment is either
 * still there for the run (and then can't be deleted while the run trains) or gone,
 * and then no run is created (VersionGoneError).
 */
export async function createRunOn(run: RunRecord): Promise<DatasetSource> {
  const d = db();
  return d.transaction('rw', [d.versions, d.chunks, d.runs, d.runDetails], async () => {
    const source = await getDatasetSource(run.datasetHash);
    if (!source) throw new Error('The dataset version of this run is no longer stored (it was deleted, perhaps in another tab). Pick another one.');
    await nameNewRun(run);
    const { summary, details } = splitStoredRun(run);
    await d.runs.add(summary);
    await d.runDetails.put(details);
    return source;
  });
}

/** The whole run: summary, epochs and curves. */
export async function getRun(id: string): Promise<RunRecord | undefined> {
  const d = db();
  return d.transaction('r', d.runs, d.runDetails, async () => {
    const summary = await d.runs.get(id);
    return summary ? joinRun(summary, await d.runDetails.get(id)) : undefined;
  });
}

/** The details (epochs and curves) of some runs, in the order asked; undefined where none is stored. */
export async function getRunDetails(ids: readonly string[]): Promise<(RunDetailsRecord | undefined)[]> {
  return db().runDetails.bulkGet([...ids]);
}

/**
 * Summaries read per request when listing them all. IndexedDB hands a
 * request's whole result to the page in one task, so each page stays a short
 * task however many runs there are.
 */
export const LIST_PAGE = 100;

/** Every run summary, read in primary-key pages of LIST_PAGE. */
async function allRuns(): Promise<RunSummaryRecord[]> {
  const table = db().runs;
  const out: RunSummaryRecord[] = [];
  let page = await table.orderBy(':id').limit(LIST_PAGE).toArray();
  while (page.length > 0) {
    out.push(...page);
    if (page.length < LIST_PAGE) break;
    page = await table.where(':id').above(page[page.length - 1]!.id).limit(LIST_PAGE).toArray();
  }
  return out;
}

/** Run summaries, newest first, optionally only those of a notebook and/or a dataset version. */
export async function listRuns(filter: RunFilter = {}): Promise<RunSummaryRecord[]> {
  const { notebookId, datasetHash } = filter;
  const table = db().runs;
  let runs: RunSummaryRecord[];
  if (notebookId !== undefined) {
    runs = await table.where('notebookId').equals(notebookId).toArray();
    if (datasetHash !== undefined) runs = runs.filter((r) => r.datasetHash === datasetHash);
  } else if (datasetHash !== undefined) {
    runs = await table.where('datasetHash').equals(datasetHash).toArray();
  } else {
    runs = await allRuns();
  }
  return runs.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/**
 * Adds epochs to a run in one transaction (replacing any with the same
 * number, so a retried write does not duplicate them) and counts as a heartbeat.
 */
export async function appendEpochs(id: string, records: readonly EpochRecord[]): Promise<void> {
  const d = db();
  await d.transaction('rw', d.runs, d.runDetails, async () => {
    const run = await d.runs.get(id);
    if (!run) throw missing(id);
    const details = (await d.runDetails.get(id)) ?? { runId: id, epochs: [], curves: null, residuals: null };
    const added = new Set(records.map((r) => r.epoch));
    const epochs = [...details.epochs.filter((e) => !added.has(e.epoch)), ...records];
    epochs.sort((a, b) => a.epoch - b.epoch);
    await d.runDetails.put({ ...details, epochs });
    await d.runs.update(id, { epochCount: epochs.length, heartbeatAt: Date.now() });
  });
}

/** Adds one epoch (see appendEpochs). */
export function appendEpoch(id: string, record: EpochRecord): Promise<void> {
  return appendEpochs(id, [record]);
}

/** Records that the run's tab is still alive. A missing run is ignored. */
export async function heartbeat(id: string, at: number = Date.now()): Promise<void> {
  await db().runs.update(id, { heartbeatAt: at });
}

/** Ends a run that produced no model: failed or cancelled, with what it got to. */
export async function finishRun(id: string, patch: FinishPatch): Promise<RunRecord> {
  const d = db();
  return d.transaction('rw', d.runs, d.runDetails, async () => {
    const summary = await d.runs.get(id);
    if (!summary) throw missing(id);
    const run = joinRun(summary, await d.runDetails.get(id));
    const now = Date.now();
    const finished: RunRecord = { ...run, ...patch, id, endedAt: patch.endedAt ?? now };
    await putRunParts(finished);
    return finished;
  });
}

/**
 * Ends a run as failed by its summary's status alone (its details are left
 * as they are): the smallest write that ends it, for when storage has just
 * refused a bigger one. Returns the whole run as now stored.
 */
export async function failRun(id: string, message: string, at: number = Date.now()): Promise<RunRecord> {
  const d = db();
  return d.transaction('rw', d.runs, d.runDetails, async () => {
    const summary = await d.runs.get(id);
    if (!summary) throw missing(id);
    const ended: RunSummaryRecord = endedRun(summary, 'failed', message, at);
    await d.runs.put(ended);
    return joinRun(ended, await d.runDetails.get(id));
  });
}

/** The stored summaries of these runs (undefined where a run is gone), in the order asked. */
export async function getRunSummaries(ids: readonly string[]): Promise<(RunSummaryRecord | undefined)[]> {
  return db().runs.bulkGet([...ids]);
}

/** Sets a run's notes and tags (cleaned with cleanTags). Returns the updated summary. */
export async function updateRunNotes(id: string, notes: string, tags: readonly string[]): Promise<RunSummaryRecord> {
  const d = db();
  return d.transaction('rw', d.runs, async () => {
    const run = await d.runs.get(id);
    if (!run) throw missing(id);
    const updated: RunSummaryRecord = { ...run, notes, tags: cleanTags(tags) };
    await d.runs.put(updated);
    return updated;
  });
}

/** Renames a run (the name checked with checkRunName; throws its message when bad). Returns the updated summary. */
export async function renameRun(id: string, name: string): Promise<RunSummaryRecord> {
  const checked = checkRunName(name);
  if (!checked.ok) throw new Error(checked.message);
  const d = db();
  return d.transaction('rw', d.runs, async () => {
    const run = await d.runs.get(id);
    if (!run) throw missing(id);
    const updated: RunSummaryRecord = { ...run, name: checked.name };
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
      await d.runs.put(endedRun(run, 'interrupted', INTERRUPTED_MESSAGE, run.heartbeatAt));
    }
    return stale.length;
  });
}
