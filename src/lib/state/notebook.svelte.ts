/**
 * One open notebook: its cells as rune state, saved to IndexedDB shortly after
 * each edit (and at once when the page is hidden), so edits survive a reload.
 *
 * Several tabs may have the same notebook open. Each save goes over the stored
 * revision this tab last read; when another tab wrote in between, storage
 * merges the two (the later edit of a cell wins, nothing else is lost) and this
 * tab takes the merged cells. Changes made elsewhere while this tab has nothing
 * pending are taken as they arrive (see `receive`).
 */
import {
  createCell,
  insertCell,
  moveCell,
  removeCell,
  updateCellConfig,
  type Cell,
  type CellConfigs,
  type CellKind,
  type CellOf,
  type CellRunStamp,
  mergeCells,
  stampCell,
} from '../core/notebook';
import { newId } from '../core/common';
import { saveCells, watchNotebook } from '../storage/notebooks';
import { clearUnsaved, noteUnsaved } from '../storage/journal';
import type { NotebookRecord } from '../storage/records';

const SAVE_DELAY_MS = 300;

function sameConfig(a: Cell | undefined, b: Cell | undefined): boolean {
  return !!a && !!b && a.kind === b.kind && JSON.stringify(a.config) === JSON.stringify(b.config);
}

export class NotebookState {
  readonly id: string;
  cells = $state.raw<Cell[]>([]);
  saveStatus = $state<'saved' | 'saving' | 'error'>('saved');
  saveError = $state<string | null>(null);
  /** Cells last changed by another tab (id → why), shown on the cell until it is edited here. */
  changedElsewhere = $state.raw<Record<string, 'changed' | 'overwritten'>>({});
  /** False once the stored notebook is gone (deleted in another tab, storage cleared). */
  stored = $state(true);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #saving: Promise<void> = Promise.resolve();
  #inFlight = false;
  /** Counts edits, so a save only reports "saved" when no newer edit is waiting. */
  #edits = 0;
  /** The stored revision and cells this tab last read or wrote. */
  #baseRev: number;
  #base: Cell[];
  #editedAt: Record<string, number>;
  #unwatch: (() => void) | null = null;

  constructor(record: NotebookRecord) {
    this.id = record.id;
    this.cells = record.cells;
    this.#base = record.cells;
    this.#baseRev = record.rev ?? 0;
    this.#editedAt = { ...(record.editedAt ?? {}) };
  }

  /** Follows the stored notebook (other tabs' edits). Returns the unsubscribe. */
  watch(): () => void {
    this.#unwatch ??= watchNotebook(this.id, (record) => this.receive(record));
    return () => {
      this.#unwatch?.();
      this.#unwatch = null;
    };
  }

  /** True while an edit is waiting to be written or being written. */
  get pending(): boolean {
    return this.#timer !== null || this.#inFlight;
  }

  /**
   * The stored notebook changed (here or in another tab). Newer revisions are taken at once
   * when nothing is pending here; otherwise the pending save merges them.
   */
  receive(record: NotebookRecord | undefined): void {
    if (!record) {
      this.stored = false;
      return;
    }
    const rev = record.rev ?? 0;
    if (rev <= this.#baseRev || this.pending) return;
    // A one-off lookup, not rune state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const before = new Map(this.cells.map((c) => [c.id, c]));
    const marks = { ...this.changedElsewhere };
    for (const cell of record.cells) {
      if (!sameConfig(before.get(cell.id), cell) && before.has(cell.id)) marks[cell.id] = 'changed';
    }
    this.changedElsewhere = marks;
    this.cells = record.cells;
    this.#base = record.cells;
    this.#baseRev = rev;
    this.#editedAt = { ...(record.editedAt ?? {}) };
  }

  addCell<K extends CellKind>(kind: K, config?: Partial<CellConfigs[K]>, afterId?: string | null): CellOf<K> {
    const cell = createCell(kind, newId(), config);
    this.#touch(cell.id);
    this.#set(insertCell(this.cells, cell, afterId), 0);
    return cell;
  }

  moveCell(id: string, delta: -1 | 1): void {
    this.#set(moveCell(this.cells, id, delta), 0);
  }

  deleteCell(id: string): void {
    this.#set(removeCell(this.cells, id), 0);
  }

  /** `typing: true` batches saves while the user types; other changes (a stored version, a target) save at once. */
  updateConfig<K extends CellKind>(id: string, patch: Partial<CellConfigs[K]>, { typing = false } = {}): void {
    const next = updateCellConfig<K>(this.cells, id, patch);
    const at = this.cells.findIndex((c) => c.id === id);
    if (at >= 0 && sameConfig(this.cells[at], next[at])) return; // nothing changed
    this.#touch(id);
    this.#set(next, typing ? SAVE_DELAY_MS : 0);
  }

  /** Records a cell's last successful run (or clears it); saved at once. Not an edit: a merge never prefers it over typed changes. */
  stamp(id: string, stamp: CellRunStamp | undefined): void {
    if (!this.cells.some((c) => c.id === id)) return;
    this.#set(stampCell(this.cells, id, stamp), 0);
  }

  /** Writes pending edits now (page hidden, notebook switched). */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
      this.#queueSave();
    }
    return this.#saving;
  }

  #touch(id: string): void {
    this.#editedAt = { ...this.#editedAt, [id]: Date.now() };
    if (id in this.changedElsewhere) {
      const { [id]: _gone, ...rest } = this.changedElsewhere;
      this.changedElsewhere = rest;
    }
  }

  /** Saves after `delay` ms; a newer edit within that time replaces the pending save. */
  #set(cells: Cell[], delay: number): void {
    this.cells = cells;
    this.#edits += 1;
    // Noted synchronously first, so a tab closed before the save below still keeps the edit.
    noteUnsaved(this.id, { baseRev: this.#baseRev, base: this.#base, cells, editedAt: this.#editedAt });
    if (this.stored) this.saveStatus = 'saving';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#queueSave();
    }, delay);
  }

  #queueSave(): void {
    this.#inFlight = true;
    this.#saving = this.#saving.then(() => this.#save());
  }

  async #save(): Promise<void> {
    const edits = this.#edits;
    const sent = this.cells;
    try {
      const { record, merge } = await saveCells(this.id, { baseRev: this.#baseRev, base: this.#base, cells: sent, editedAt: this.#editedAt });
      if (merge) {
        // Another tab wrote first: take the merge, keeping any edit made here since this save began.
        this.cells = this.cells === sent ? record.cells : mergeCells(sent, this.cells, record.cells, this.#editedAt, record.editedAt ?? {}).cells;
        const marks = { ...this.changedElsewhere };
        for (const id of merge.fromTheirs) marks[id] = merge.overwritten.includes(id) ? 'overwritten' : 'changed';
        this.changedElsewhere = marks;
      }
      this.#base = record.cells;
      this.#baseRev = record.rev ?? 0;
      this.#editedAt = { ...this.#editedAt, ...(record.editedAt ?? {}) };
      if (edits === this.#edits) {
        this.saveStatus = 'saved';
        clearUnsaved(this.id);
      }
      this.saveError = null;
    } catch (err) {
      this.saveStatus = 'error';
      if (err instanceof Error && err.name === 'NotebookGoneError') this.stored = false;
      this.saveError = `Your last edit could not be saved: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      if (this.#timer === null && edits === this.#edits) this.#inFlight = false;
    }
  }
}
