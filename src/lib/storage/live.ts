/**
 * Live reads: a repository query re-run whenever the records it read change,
 * in this tab, another tab or a worker (Dexie's liveQuery, which tells other
 * tabs through a BroadcastChannel). State classes use these to keep every
 * open tab showing the same notebooks, datasets, runs and models.
 */
import { liveQuery } from 'dexie';
import { db } from './db';
import type { RunSummaryRecord } from './records';

/** Calls `next` with the query's result now and after every change to what it read. Returns the unsubscribe. */
export function watch<T>(query: () => Promise<T>, next: (value: T) => void, error: (err: unknown) => void = () => undefined): () => void {
  const sub = liveQuery(query).subscribe({ next, error });
  return () => sub.unsubscribe();
}

/** The runs now training (in any tab): a small read that changes when a run starts, beats or ends. */
export function runningRuns(): Promise<RunSummaryRecord[]> {
  return db().runs.where('status').equals('running').toArray();
}

/** How many runs are stored: changes when a run is added (here, in another tab, by a restore) or deleted. */
export function runCount(): Promise<number> {
  return db().runs.count();
}
