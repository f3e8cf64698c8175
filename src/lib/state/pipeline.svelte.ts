/**
 * The open notebook as a pipeline: every cell's fingerprint (core/pipeline),
 * whether its last result is up to date, *Run all* (run what is stale, skip
 * what is cached, in notebook order, one Cancel for all), and a single cell's
 * run from its own button. Both stamp the cell with the fingerprint it ran
 * with and what it made, so a result made by hand counts as cached too.
 *
 * After a cell runs, later cells that read its previous result are pointed at
 * the new one (a retrained model, a re-applied recipe's version), and the
 * fingerprints are computed again before the next cell is judged.
 */
import type { Cell, CellKind, CellOf, CellOutputs, CellRunStamp } from '../core/notebook';
import { notebookFingerprints, notebookGraph, rewireOutputs, runPlan, type PipelineContext } from '../core/pipeline';
import type { NotebookState } from './notebook.svelte';
import type { CellRunner, CellRunResult } from './cell-run';
import { beginWork } from './busy.svelte';

/** What the pipeline reads from the app: the registry, the runs, and the runner of each kind. */
export interface PipelineHost {
  /** Model version id -> run id; model name -> aliases; train cell -> newest model version. */
  context(cells: readonly Cell[]): Omit<PipelineContext, 'cells'>;
  /** Whether every record a stamp names is still stored (a deleted run is not a cached result). */
  outputsExist(outputs: CellOutputs): Promise<boolean>;
  /** Makes a run's new outputs listed in the app before other cells are pointed at them. */
  listOutputs(outputs: CellOutputs): Promise<void>;
  runner<K extends CellKind>(kind: K): CellRunner<K> | null;
}

/** One cell's line in a Run all. */
export interface RunAllStep {
  cellId: string;
  kind: CellKind;
  state: 'pending' | 'running' | 'done' | 'cached' | 'skipped' | 'failed' | 'cancelled';
  /** Why (plan reason, error, "up to date (cached)"). */
  reason: string;
  /** The fingerprint it was judged or ran with. */
  fingerprint: string | null;
  ms: number | null;
}

export interface RunAllSummary {
  ran: number;
  cached: number;
  skipped: number;
  failed: number;
  cancelled: boolean;
  ms: number;
}

/** A cell's status as the cell bar shows it. */
export type CellPipelineStatus =
  | { state: 'none' }
  | { state: 'never'; fingerprint: string }
  | { state: 'current'; fingerprint: string; stamp: CellRunStamp }
  | { state: 'stale'; fingerprint: string; stamp: CellRunStamp };

export class PipelineState {
  /** The open notebook's fingerprints (cell id -> SHA-256 hex), recomputed as it changes. */
  // Replaced whole (raw state), never mutated.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  fingerprints = $state.raw<ReadonlyMap<string, string>>(new Map());
  /** The notebook the fingerprints belong to. */
  notebookId = $state<string | null>(null);
  running = $state(false);
  /** Run all's steps (or the single cell run by its button), in notebook order. */
  steps = $state.raw<RunAllStep[]>([]);
  summary = $state.raw<RunAllSummary | null>(null);
  error = $state<string | null>(null);
  /** Cells running from their own button (id -> true). */
  cellRuns = $state.raw<Readonly<Record<string, true>>>({});
  readonly #host: PipelineHost;
  #abort: AbortController | null = null;
  #refreshSeq = 0;

  constructor(host: PipelineHost) {
    this.#host = host;
  }

  #context(cells: readonly Cell[]): PipelineContext {
    return { ...this.#host.context(cells), cells };
  }

  /** Recomputes the notebook's fingerprints (call when its cells or the registry change). */
  async refresh(notebook: Pick<NotebookState, 'id' | 'cells'>): Promise<void> {
    const seq = ++this.#refreshSeq;
    const fingerprints = await notebookFingerprints(this.#context(notebook.cells));
    if (seq !== this.#refreshSeq) return;
    this.fingerprints = fingerprints;
    this.notebookId = notebook.id;
  }

  /** How a cell stands: never run, up to date, or stale (its fingerprint differs from its last run's). */
  status(cell: Cell): CellPipelineStatus {
    if (cell.kind === 'markdown') return { state: 'none' };
    const fingerprint = this.fingerprints.get(cell.id);
    if (!fingerprint) return { state: 'none' };
    if (!cell.lastRun) return { state: 'never', fingerprint };
    return { state: cell.lastRun.fingerprint === fingerprint ? 'current' : 'stale', fingerprint, stamp: cell.lastRun };
  }

  /** Stops Run all (the running cell's job is cancelled, no later cell starts) or the running cell. */
  cancel(): void {
    this.#abort?.abort();
  }

  /** Runs one cell now (its own button), stamping it when it succeeds. */
  async runCell(notebook: NotebookState, cellId: string): Promise<CellRunResult> {
    if (this.running) return { status: 'failed', error: 'Run all is running: wait for it, or cancel it.' };
    if (this.cellRuns[cellId]) return { status: 'failed', error: 'This cell is already running.' };
    this.cellRuns = { ...this.cellRuns, [cellId]: true };
    const abort = new AbortController();
    const previous = this.#abort;
    this.#abort = abort;
    try {
      const fingerprint = (await this.#fingerprintsNow(notebook)).get(cellId);
      const cell = notebook.cells.find((c) => c.id === cellId);
      if (!cell || fingerprint === undefined) return { status: 'failed', error: 'The cell is gone.' };
      return await this.#runOne(notebook, cell, fingerprint, abort.signal, 'cell');
    } finally {
      const { [cellId]: _done, ...rest } = this.cellRuns;
      this.cellRuns = rest;
      if (this.#abort === abort) this.#abort = previous;
    }
  }

  /** Every cell's fingerprint now (also shown). */
  async #fingerprintsNow(notebook: NotebookState): Promise<Map<string, string>> {
    const fingerprints = await notebookFingerprints(this.#context(notebook.cells));
    this.fingerprints = fingerprints;
    this.notebookId = notebook.id;
    return fingerprints;
  }

  /** Runs `cell`, judged at `fingerprint`; on success re-points its readers and stamps it. */
  async #runOne(notebook: NotebookState, cell: Cell, fingerprint: string, signal: AbortSignal, by: 'run-all' | 'cell'): Promise<CellRunResult> {
    const runner = this.#host.runner(cell.kind);
    if (!runner) return { status: 'done', outputs: {} };
    const started = performance.now();
    const endWork = beginWork(`${cell.kind} cell`);
    let result: CellRunResult;
    try {
      result = await (runner as CellRunner<typeof cell.kind>)(cell as CellOf<typeof cell.kind>, { notebook, fingerprint, signal, by });
    } catch (err) {
      result = { status: 'failed', error: err instanceof Error ? err.message : String(err) };
    } finally {
      endWork();
    }
    if (result.status !== 'done') return result;
    const ms = Math.round(performance.now() - started);
    const before = cell.lastRun?.outputs;
    // Later cells that read this cell's previous result now read the new one (listed first:
    // a cell pointed at a version the app does not list yet would look for another).
    await this.#host.listOutputs(result.outputs);
    const now = notebook.cells;
    for (const { cellId: id, patch } of rewireOutputs(now, cell.id, before, result.outputs, this.#context(now))) {
      notebook.updateConfig(id, patch);
    }
    notebook.stamp(cell.id, { fingerprint, at: Date.now(), ms, by, outputs: result.outputs });
    return result;
  }

  /**
   * The cells' last successful fingerprints, for those whose results are all still stored.
   * `stored` remembers, per stamp, whether its records were found (each stamp is looked up once).
   */
  async #lastSuccess(cells: readonly Cell[], stored: Map<CellRunStamp, boolean>): Promise<Map<string, string>> {
    // A one-off lookup, not rune state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const out = new Map<string, string>();
    for (const cell of cells) {
      const stamp = cell.lastRun;
      if (!stamp) continue;
      let found = stored.get(stamp);
      if (found === undefined) {
        found = await this.#host.outputsExist(stamp.outputs);
        stored.set(stamp, found);
      }
      if (found) out.set(cell.id, stamp.fingerprint);
    }
    return out;
  }

  /**
   * Runs every stale cell in notebook order and skips the rest: cached (up to
   * date), markdown, not set up, or downstream of a cell that failed. Resolves
   * with the summary once every cell is judged, or on Cancel.
   */
  async runAll(notebook: NotebookState): Promise<RunAllSummary | null> {
    if (this.running || Object.keys(this.cellRuns).length > 0) return null;
    const abort = new AbortController();
    this.#abort = abort;
    this.running = true;
    this.error = null;
    this.summary = null;
    const order = notebook.cells.map((c) => c.id);
    this.steps = notebook.cells.map((c) => ({ cellId: c.id, kind: c.kind, state: 'pending', reason: '', fingerprint: null, ms: null }));
    const started = performance.now();
    // A one-off record of this run, not rune state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const failed = new Set<string>();
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const stored = new Map<CellRunStamp, boolean>();
    const counts = { ran: 0, cached: 0, skipped: 0, failed: 0 };
    const endWork = beginWork('run all');
    try {
      for (const id of order) {
        if (abort.signal.aborted) break;
        const cells = notebook.cells;
        const cell = cells.find((c) => c.id === id);
        if (!cell) continue;
        const context = this.#context(cells);
        const current = await this.#fingerprintsNow(notebook);
        const plan = runPlan(cells, await this.#lastSuccess(cells, stored), current, context).find((s) => s.cellId === id);
        const fingerprint = current.get(id) as string;
        const upstreamFailed = (notebookGraph(cells, context).upstream.get(id) ?? []).find((u) => failed.has(u));
        if (upstreamFailed !== undefined) {
          failed.add(id);
          counts.skipped += 1;
          this.#setStep(id, { state: 'skipped', reason: `waits for cell ${order.indexOf(upstreamFailed) + 1}, which failed`, fingerprint });
          continue;
        }
        if (!plan || plan.action !== 'run') {
          const cached = plan?.action === 'cached';
          if (cached) counts.cached += 1;
          else counts.skipped += 1;
          if (plan && plan.action === 'skip' && cell.kind !== 'markdown') failed.add(id);
          this.#setStep(id, { state: cached ? 'cached' : 'skipped', reason: plan?.reason ?? '', fingerprint });
          continue;
        }
        this.#setStep(id, { state: 'running', reason: plan.reason, fingerprint });
        const t0 = performance.now();
        const result = await this.#runOne(notebook, cell, fingerprint, abort.signal, 'run-all');
        const ms = Math.round(performance.now() - t0);
        if (result.status === 'done') {
          counts.ran += 1;
          this.#setStep(id, { state: 'done', reason: plan.reason, ms });
        } else if (result.status === 'cancelled' || abort.signal.aborted) {
          this.#setStep(id, { state: 'cancelled', reason: 'cancelled', ms });
          break;
        } else {
          counts.failed += 1;
          failed.add(id);
          this.#setStep(id, { state: 'failed', reason: result.error, ms });
        }
      }
    } catch (err) {
      this.error = `Run all stopped: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      endWork();
      this.running = false;
      if (this.#abort === abort) this.#abort = null;
    }
    const cancelled = abort.signal.aborted;
    if (cancelled) {
      const prints = this.fingerprints;
      this.steps = this.steps.map((s) => (s.state === 'pending' ? { ...s, state: 'cancelled', reason: 'not started: Run all was cancelled', fingerprint: prints.get(s.cellId) ?? null } : s));
    }
    const summary: RunAllSummary = { ...counts, cancelled, ms: Math.round(performance.now() - started) };
    this.summary = summary;
    void this.refresh(notebook);
    return summary;
  }

  #setStep(id: string, patch: Partial<RunAllStep>): void {
    this.steps = this.steps.map((s) => (s.cellId === id ? { ...s, ...patch } : s));
  }

  /** The step of a cell in the current or last Run all. */
  step(cellId: string): RunAllStep | undefined {
    return this.steps.find((s) => s.cellId === cellId);
  }
}
