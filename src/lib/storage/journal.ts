/**
 * A write-ahead copy of each notebook's unsaved edits in localStorage.
 *
 * IndexedDB writes are asynchronous: a tab closed (or a browser quit) a moment
 * after typing can lose the last edit, even with a save on `pagehide`.
 * localStorage writes are synchronous, so every edit is first noted here, under
 * this tab's id, and the note is dropped once the edit is in IndexedDB. A tab
 * holds a Web Lock named after its id for as long as it is open; at the next
 * open of the notebook, notes whose tab is gone are saved like any other edit
 * (merged over the revision they were made on).
 */
import type { Cell } from '../core/notebook';
import { newId } from '../core/common';

export interface JournalEntry {
  baseRev: number;
  base: Cell[];
  cells: Cell[];
  editedAt: Record<string, number>;
}

const PREFIX = 'labbook:unsaved:';
const TAB_LOCK = 'labbook-tab:';
/** This page load's id. */
const TAB = newId();

function store(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage blocked (some private modes)
  }
}

/** Holds this tab's lock until the tab closes, so other tabs know its notes are not left behind. */
export function holdTabLock(): void {
  void globalThis.navigator?.locks?.request(TAB_LOCK + TAB, () => new Promise<never>(() => undefined));
}

export function noteUnsaved(notebookId: string, entry: JournalEntry): void {
  try {
    store()?.setItem(`${PREFIX}${notebookId}:${TAB}`, JSON.stringify(entry));
  } catch {
    // Quota or blocked: the IndexedDB save still runs; only the extra safety net is missing.
  }
}

export function clearUnsaved(notebookId: string, key = `${PREFIX}${notebookId}:${TAB}`): void {
  store()?.removeItem(key);
}

function parse(raw: string | null): JournalEntry | null {
  if (!raw) return null;
  try {
    const entry = JSON.parse(raw) as JournalEntry;
    return Array.isArray(entry.cells) && Array.isArray(entry.base) && typeof entry.baseRev === 'number' ? entry : null;
  } catch {
    return null;
  }
}

/** Notes on this notebook left by tabs that are closed now (their key, to clear once saved). */
export async function leftBehind(notebookId: string): Promise<{ key: string; entry: JournalEntry }[]> {
  const s = store();
  if (!s) return [];
  const prefix = `${PREFIX}${notebookId}:`;
  const keys = Array.from({ length: s.length }, (_, i) => s.key(i)).filter((k): k is string => !!k?.startsWith(prefix));
  const locks = globalThis.navigator?.locks;
  const held = locks ? new Set(((await locks.query()).held ?? []).map((l) => l.name)) : new Set<string>();
  const out: { key: string; entry: JournalEntry }[] = [];
  for (const key of keys) {
    const tab = key.slice(prefix.length);
    if (tab === TAB || held.has(TAB_LOCK + tab)) continue;
    const entry = parse(s.getItem(key));
    if (entry) out.push({ key, entry });
    else s.removeItem(key);
  }
  return out;
}
