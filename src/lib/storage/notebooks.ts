/**
 * Notebook repository: the only code that reads or writes notebooks.
 *
 * Every write grows the notebook's revision. A tab saves its cells over the
 * revision it last read; when another tab wrote in between, the two sides are
 * merged (core/notebook/notebook-merge.ts) inside the same transaction, so a stale tab
 * never writes over newer work.
 */
import { liveQuery } from 'dexie';
import { db } from './db';
import type { NotebookRecord } from './records';
import { normalizeCells, type Cell, mergeCells, type MergeResult } from '../core/notebook';
import { newId } from '../core/common';

/** The notebook a save was aimed at is no longer stored (deleted in another tab, or storage cleared). */
export class NotebookGoneError extends Error {
  constructor(title: string | null) {
    super(
      `${title ? `The notebook “${title}”` : 'This notebook'} is no longer stored in this browser: it was deleted in another tab, or the browser's storage was cleared.`,
    );
    this.name = 'NotebookGoneError';
  }
}

function normalized(record: NotebookRecord): NotebookRecord {
  return { ...record, cells: normalizeCells(record.cells), rev: record.rev ?? 0, editedAt: record.editedAt ?? {} };
}

export async function listNotebooks(): Promise<NotebookRecord[]> {
  const all = await db().notebooks.toArray();
  return all.sort((a, b) => a.createdAt - b.createdAt);
}

export async function getNotebook(id: string): Promise<NotebookRecord | undefined> {
  const record = await db().notebooks.get(id);
  return record ? normalized(record) : undefined;
}

export async function createNotebook(title: string, cells: Cell[] = []): Promise<NotebookRecord> {
  const now = Date.now();
  const record: NotebookRecord = { id: newId(), title, cells, createdAt: now, updatedAt: now, rev: 1, editedAt: {} };
  await db().notebooks.add(record);
  return record;
}

export async function renameNotebook(id: string, title: string): Promise<void> {
  const d = db();
  await d.transaction('rw', d.notebooks, async () => {
    const stored = await d.notebooks.get(id);
    if (!stored) throw new NotebookGoneError(null);
    await d.notebooks.put({ ...stored, title, rev: (stored.rev ?? 0) + 1, updatedAt: Date.now() });
  });
}

export interface SaveRequest {
  /** The revision and cells this tab last read from storage. */
  baseRev: number;
  base: readonly Cell[];
  /** The tab's cells now, and when each was last edited here. */
  cells: readonly Cell[];
  editedAt: Readonly<Record<string, number>>;
}

export interface SaveResult {
  /** The notebook as stored by this save. */
  record: NotebookRecord;
  /** Set when another tab had written since `baseRev`: what the merge kept. */
  merge: MergeResult | null;
}

/** Saves the cells (configs only: outputs are references to other records), merging with newer writes. */
export async function saveCells(id: string, request: SaveRequest): Promise<SaveResult> {
  // Svelte state proxies can't be structured-cloned, so store plain copies.
  const cells = JSON.parse(JSON.stringify(request.cells)) as Cell[];
  const d = db();
  return d.transaction('rw', d.notebooks, async () => {
    const raw = await d.notebooks.get(id);
    if (!raw) throw new NotebookGoneError(null);
    const stored = normalized(raw);
    const rev = stored.rev ?? 0;
    let merge: MergeResult | null = null;
    let next: NotebookRecord;
    if (rev === request.baseRev) {
      next = { ...stored, cells, editedAt: { ...request.editedAt }, rev: rev + 1, updatedAt: Date.now() };
    } else {
      merge = mergeCells(request.base, cells, stored.cells, request.editedAt, stored.editedAt ?? {});
      next = { ...stored, cells: merge.cells, editedAt: merge.editedAt, rev: rev + 1, updatedAt: Date.now() };
    }
    await d.notebooks.put(next);
    return { record: next, merge };
  });
}

/**
 * Applies `patch` to one cell's config inside a caller's transaction over `notebooks`
 * (an import links its cell to the version in the same transaction that stores it).
 * Does nothing when the notebook or cell is not stored (yet).
 */
export async function patchStoredCell(notebookId: string, cellId: string, patch: Record<string, unknown>): Promise<void> {
  const d = db();
  const raw = await d.notebooks.get(notebookId);
  if (!raw) return;
  const stored = normalized(raw);
  if (!stored.cells.some((c) => c.id === cellId)) return;
  const now = Date.now();
  const cells = stored.cells.map((c) => (c.id === cellId ? ({ ...c, config: { ...c.config, ...patch } } as Cell) : c));
  await d.notebooks.put({ ...stored, cells, editedAt: { ...stored.editedAt, [cellId]: now }, rev: (stored.rev ?? 0) + 1, updatedAt: now });
}

export async function deleteNotebook(id: string): Promise<void> {
  await db().notebooks.delete(id);
}

/** Calls `next` with the stored notebook now and after every change to it, in this tab or another. Returns the unsubscribe. */
export function watchNotebook(id: string, next: (record: NotebookRecord | undefined) => void): () => void {
  const sub = liveQuery(() => getNotebook(id)).subscribe({ next, error: () => undefined });
  return () => sub.unsubscribe();
}
