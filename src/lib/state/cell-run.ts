/**
 * The contract between *Run all* (pipeline.svelte.ts) and the cells it runs:
 * one runner per cell kind, which does what the cell's own button does (the
 * same job, so progress shows in the cell) and says what it made. The
 * pipeline stamps the cell with the fingerprint it ran with and those outputs
 * when a runner reports 'done'; a cell's own button goes through the pipeline
 * too (PipelineState.runCell), so a result made by hand is stamped alike.
 */
import type { CellOf, CellKind, CellOutputs } from '../core/notebook';
import type { NotebookState } from './notebook.svelte';

export interface CellRunContext {
  notebook: NotebookState;
  /** The cell's fingerprint at the start of this run; recorded on the records the run stores (cellFingerprint). */
  fingerprint: string;
  /** Fires on Cancel: the runner stops its job and resolves { status: 'cancelled' }. */
  signal: AbortSignal;
  /** Run all, or the cell's own button. */
  by: 'run-all' | 'cell';
}

export type CellRunResult =
  | { status: 'done'; outputs: CellOutputs }
  /** `error` is the sentence shown on the cell (the job's own message). */
  | { status: 'failed'; error: string }
  | { status: 'cancelled' };

/** Runs one cell of a kind. The runner writes its result into the cell's config (runIds, predictionId…) as the button does. */
export type CellRunner<K extends CellKind> = (cell: CellOf<K>, context: CellRunContext) => Promise<CellRunResult>;

/** Resolves when `signal` fires (never, if it never does). */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
