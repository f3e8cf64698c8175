/** Notebook repository: the only code that reads or writes notebooks. */
import { db } from './db';
import type { NotebookRecord } from './records';
import { normalizeCells, type Cell } from '../core/notebook';
import { newId } from '../core/ids';

export async function listNotebooks(): Promise<NotebookRecord[]> {
  const all = await db().notebooks.toArray();
  return all.sort((a, b) => a.createdAt - b.createdAt);
}

export async function getNotebook(id: string): Promise<NotebookRecord | undefined> {
  const record = await db().notebooks.get(id);
  return record ? { ...record, cells: normalizeCells(record.cells) } : undefined;
}

export async function createNotebook(title: string, cells: Cell[] = []): Promise<NotebookRecord> {
  const now = Date.now();
  const record: NotebookRecord = { id: newId(), title, cells, createdAt: now, updatedAt: now };
  await db().notebooks.add(record);
  return record;
}

export async function renameNotebook(id: string, title: string): Promise<void> {
  await db().notebooks.update(id, { title, updatedAt: Date.now() });
}

/** Saves the cells (configs only: outputs are references to other records). */
export async function saveCells(id: string, cells: Cell[]): Promise<void> {
  // Svelte state proxies can't be structured-cloned, so store a plain copy.
  const plain = JSON.parse(JSON.stringify(cells)) as Cell[];
  await db().notebooks.update(id, { cells: plain, updatedAt: Date.now() });
}

export async function deleteNotebook(id: string): Promise<void> {
  await db().notebooks.delete(id);
}
