/**
 * One open notebook: its cells as rune state, saved to IndexedDB shortly after
 * each edit (and at once when the page is hidden), so edits survive a reload.
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
} from '../core/notebook';
import { newId } from '../core/ids';
import { saveCells } from '../storage/notebooks';
import type { NotebookRecord } from '../storage/records';

const SAVE_DELAY_MS = 300;

export class NotebookState {
  readonly id: string;
  cells = $state.raw<Cell[]>([]);
  saveStatus = $state<'saved' | 'saving' | 'error'>('saved');
  saveError = $state<string | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #saving: Promise<void> = Promise.resolve();
  /** Counts edits, so a save only reports "saved" when no newer edit is waiting. */
  #edits = 0;

  constructor(record: NotebookRecord) {
    this.id = record.id;
    this.cells = record.cells;
  }

  addCell<K extends CellKind>(kind: K, config?: Partial<CellConfigs[K]>, afterId?: string | null): CellOf<K> {
    const cell = createCell(kind, newId(), config);
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
    this.#set(updateCellConfig<K>(this.cells, id, patch), typing ? SAVE_DELAY_MS : 0);
  }

  /** Writes pending edits now (page hidden, notebook switched). */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
      this.#saving = this.#saving.then(() => this.#save());
    }
    return this.#saving;
  }

  /** Saves after `delay` ms; a newer edit within that time replaces the pending save. */
  #set(cells: Cell[], delay: number): void {
    this.cells = cells;
    this.#edits += 1;
    this.saveStatus = 'saving';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#saving = this.#saving.then(() => this.#save());
    }, delay);
  }

  async #save(): Promise<void> {
    const edits = this.#edits;
    try {
      await saveCells(this.id, this.cells);
      if (edits === this.#edits) this.saveStatus = 'saved';
      this.saveError = null;
    } catch (err) {
      this.saveStatus = 'error';
      this.saveError = `Your last edit could not be saved: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}
