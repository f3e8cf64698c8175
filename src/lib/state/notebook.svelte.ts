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

  updateConfig<K extends CellKind>(id: string, patch: Partial<CellConfigs[K]>): void {
    this.#set(updateCellConfig<K>(this.cells, id, patch));
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

  /** Structural edits (add, move, delete) save at once; typing is batched by SAVE_DELAY_MS. */
  #set(cells: Cell[], delay = SAVE_DELAY_MS): void {
    this.cells = cells;
    this.saveStatus = 'saving';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#saving = this.#saving.then(() => this.#save());
    }, delay);
  }

  async #save(): Promise<void> {
    try {
      await saveCells(this.id, this.cells);
      if (!this.#timer) this.saveStatus = 'saved';
      this.saveError = null;
    } catch (err) {
      this.saveStatus = 'error';
      this.saveError = `Your last edit could not be saved: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}
