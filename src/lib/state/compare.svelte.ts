/**
 * A compare view's state: the runs table (filtered, sorted, selected) and the
 * comparison of the selected runs, derived from the stored runs and one
 * plain-JSON settings object. The Runs page keeps its settings in memory; a
 * compare cell keeps them in its config, so a comparison is saved with the
 * notebook and reopens as it was left.
 */
import {
  MAX_SIDE_BY_SIDE,
  defaultColumns,
  filterChoices,
  filterRows,
  firstDirection,
  metricKeys,
  newestFirst,
  primaryMetric,
  sortRows,
  toRow,
  distinguishingParams,
  runLabel,
  type CompareSettings,
  type RunDrawing,
  type RunRow,
  type RunsFilter,
} from '../core/compare';
import type { RunDetailsRecord, RunSummaryRecord } from '../storage/records';

// A row is built once per run object, not on every filter, sort or selection change; keyed by
// the record itself, so rows go with the list a refresh replaces.
const cache = new WeakMap<RunSummaryRecord, RunRow<RunSummaryRecord>>();

function rowOf(run: RunSummaryRecord): RunRow<RunSummaryRecord> {
  let row = cache.get(run);
  if (!row) {
    row = toRow(run);
    cache.set(run, row);
  }
  return row;
}

/**
 * Builds the rows of `runs` ahead of time, 100 per task, so opening the Runs page on a
 * thousand runs finds them ready instead of building them all in the click's task.
 */
export async function warmRows(runs: readonly RunSummaryRecord[]): Promise<void> {
  for (let i = 0; i < runs.length; i += 100) {
    for (const run of runs.slice(i, i + 100)) rowOf(run);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

export class CompareView {
  readonly #runs: () => readonly RunSummaryRecord[];
  readonly #settings: () => CompareSettings;
  readonly #write: (next: CompareSettings) => void;
  readonly #details: (id: string) => RunDetailsRecord | undefined;

  /**
   * @param runs the stored run summaries (reactive getter)
   * @param settings the current settings (reactive getter)
   * @param write stores new settings (a cell's config, or the Runs page's memory)
   * @param details a run's epochs and curves once loaded (reactive getter)
   */
  constructor(
    runs: () => readonly RunSummaryRecord[],
    settings: () => CompareSettings,
    write: (next: CompareSettings) => void,
    details: (id: string) => RunDetailsRecord | undefined,
  ) {
    this.#runs = runs;
    this.#settings = settings;
    this.#write = write;
    this.#details = details;
  }

  get settings(): CompareSettings {
    return this.#settings();
  }

  /** Every run as a row, newest first. */
  readonly rows = $derived.by(() => newestFirst(this.#runs()).map(rowOf));
  readonly choices = $derived(filterChoices(this.rows));
  /** The rows the filter keeps, in the table's sort order. */
  readonly shown = $derived.by(() => sortRows(filterRows(this.rows, this.#settings().filter), this.#settings().sort));
  // Rebuilt whole from the settings on every change, never mutated: a plain Set is right here.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly selectedIds = $derived.by(() => new Set(this.#settings().selected));
  /** Selected runs that still exist, in the table's order (so the comparison reads like the table). */
  readonly selected = $derived.by(() => {
    const ids = this.selectedIds;
    const inOrder = sortRows(this.rows.filter((r) => ids.has(r.id)), this.#settings().sort);
    const base = this.#settings().baselineId;
    // The baseline leads, wherever it sorts.
    const b = inOrder.findIndex((r) => r.id === base);
    if (b > 0) inOrder.unshift(...inOrder.splice(b, 1));
    return inOrder;
  });
  /** The selected runs laid side by side (tables, curves, matrices): at most MAX_SIDE_BY_SIDE. */
  readonly sideBySide = $derived(this.selected.slice(0, MAX_SIDE_BY_SIDE));
  readonly baseline = $derived.by(() => this.selected.find((r) => r.id === this.#settings().baselineId) ?? null);
  /** The table's param and metric columns. */
  readonly columns = $derived.by(() => this.#settings().columns ?? this.#autoColumns);
  // Apart from `columns`, so a sort or a selection does not re-derive it from every row.
  readonly #autoColumns = $derived.by(() => defaultColumns(this.rows));
  /** The params the selected runs differ in (what tells them apart in legends). */
  readonly distinguishing = $derived(distinguishingParams(this.sideBySide));
  /** The side-by-side runs' names in tables and legends: "Run 01hx3k2a · smote". */
  readonly labels = $derived(this.sideBySide.map((r) => runLabel(r, this.distinguishing)));
  /** What the overlays draw of the side-by-side runs (epochs and curves empty until their details load). */
  readonly drawings = $derived.by((): RunDrawing[] =>
    this.sideBySide.map((r, i) => {
      const d = this.#details(r.id);
      return { label: this.labels[i]!, task: r.run.evaluation?.task ?? null, epochs: d?.epochs ?? [], curves: d?.curves ?? null };
    }),
  );
  /** Whether every side-by-side run's details are loaded. */
  readonly drawn = $derived(this.sideBySide.every((r) => this.#details(r.id) !== undefined));
  readonly metricChoices = $derived(metricKeys(this.selected.length > 0 ? this.selected : this.rows));
  /** The metric the plots use. */
  readonly metric = $derived.by(() => {
    const chosen = this.#settings().metric;
    return chosen && this.metricChoices.includes(chosen) ? chosen : primaryMetric(this.selected.length > 0 ? this.selected : this.rows);
  });

  update(patch: Partial<CompareSettings>): void {
    this.#write({ ...this.#settings(), ...patch });
  }

  setFilter(patch: Partial<RunsFilter>): void {
    this.update({ filter: { ...this.#settings().filter, ...patch } });
  }

  /** A click on a column header: that column best (or newest) first, a second click reverses it. */
  sortBy(key: string): void {
    const s = this.#settings().sort;
    this.update({ sort: s.key === key ? { key, descending: !s.descending } : { key, descending: firstDirection(key) } });
  }

  toggle(id: string, on: boolean): void {
    const selected = this.#settings().selected.filter((x) => x !== id);
    if (on) selected.push(id);
    const baselineId = !on && this.#settings().baselineId === id ? null : this.#settings().baselineId;
    this.update({ selected, baselineId });
  }

  /** Adds every shown row to the selection. */
  selectShown(): void {
    const have = this.selectedIds;
    this.update({ selected: [...this.#settings().selected, ...this.shown.map((r) => r.id).filter((id) => !have.has(id))] });
  }

  clearSelection(): void {
    this.update({ selected: [], baselineId: null });
  }

  /** Pins a baseline (it joins the selection), or unpins with null. */
  pin(id: string | null): void {
    const selected = id && !this.selectedIds.has(id) ? [...this.#settings().selected, id] : this.#settings().selected;
    this.update({ baselineId: id, selected });
  }

  toggleColumn(key: string, on: boolean): void {
    const current = this.columns.filter((k) => k !== key);
    this.update({ columns: on ? [...current, key] : current });
  }
}
