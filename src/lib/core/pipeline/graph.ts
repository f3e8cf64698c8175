/**
 * The notebook as a pipeline: its edges (upstream -> downstream, from the
 * edge model in cell-inputs.ts), the cells to re-run, and the run plan.
 * Inputs link only to earlier cells, so every edge points down the notebook
 * and notebook order is a topological order (no cycle is possible).
 */
import type { Cell, CellKind } from '../notebook';
import { cellInputs, upstreamCells, type PipelineContext } from './cell-inputs';

/** What the registry knows, for edges through model versions (predict/drift -> train). */
export type GraphOptions = Omit<PipelineContext, 'cells'>;

export interface NotebookGraph {
  /** Cell ids in notebook order. */
  order: string[];
  /** Each edge once, upstream first, sorted by the downstream cell's position, then the upstream's. */
  edges: { from: string; to: string }[];
  /** Cell id -> the cells it reads from (direct). */
  upstream: Map<string, string[]>;
  /** Cell id -> the cells that read from it (direct), in notebook order. */
  downstream: Map<string, string[]>;
  /** Cell id -> the required inputs it lacks (it cannot run). */
  missing: Map<string, string[]>;
}

export function notebookGraph(cells: readonly Cell[], options: GraphOptions = {}): NotebookGraph {
  const context: PipelineContext = { ...options, cells };
  const order = cells.map((c) => c.id);
  const position = new Map(order.map((id, i) => [id, i]));
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>(order.map((id) => [id, []]));
  const missing = new Map<string, string[]>();
  const edges: { from: string; to: string }[] = [];
  for (const cell of cells) {
    const ci = cellInputs(cell, context);
    const ups = upstreamCells(ci).sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    upstream.set(cell.id, ups);
    missing.set(cell.id, ci.missing);
    for (const from of ups) {
      edges.push({ from, to: cell.id });
      downstream.get(from)?.push(cell.id);
    }
  }
  return { order, edges, upstream, downstream, missing };
}

/** Every cell reachable downstream of `ids` (not including them unless reachable), in notebook order. */
export function downstreamOf(graph: NotebookGraph, ids: Iterable<string>): string[] {
  const seen = new Set<string>();
  const todo = [...ids];
  while (todo.length > 0) {
    const id = todo.pop() as string;
    for (const next of graph.downstream.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return graph.order.filter((id) => seen.has(id));
}

function kindOf(cells: readonly Cell[]): Map<string, CellKind> {
  return new Map(cells.map((c) => [c.id, c.kind]));
}

/** The cells whose own fingerprint differs from their last successful one, or that never succeeded (markdown never runs). */
export function changedCells(cells: readonly Cell[], lastSuccess: ReadonlyMap<string, string>, current: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const c of cells) {
    if (c.kind === 'markdown') continue;
    const now = current.get(c.id);
    if (now === undefined || lastSuccess.get(c.id) !== now) out.add(c.id);
  }
  return out;
}

/**
 * The cells to re-run: those changed (changedCells) plus everything
 * downstream of them. A cell missing from `current` counts as changed.
 */
export function staleSet(
  cells: readonly Cell[],
  lastSuccess: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, string>,
  options: GraphOptions = {},
): Set<string> {
  const changed = changedCells(cells, lastSuccess, current);
  const graph = notebookGraph(cells, options);
  return new Set([...changed, ...downstreamOf(graph, changed)]);
}

export type RunAction = 'run' | 'cached' | 'skip';

export interface RunStep {
  cellId: string;
  kind: CellKind;
  action: RunAction;
  /** Why, in words for the screen. */
  reason: string;
}

/**
 * One step per cell, in notebook order:
 * - markdown: 'skip' (notes);
 * - a stale cell lacking a required input: 'skip', "not set up: needs …";
 * - a stale cell reading a cell that is skipped while stale: 'skip', "waits for …";
 * - any other stale cell: 'run' ("never run", "changed since its last run",
 *   or "upstream cell X re-runs");
 * - the rest: 'cached', "up to date (cached)".
 * The runner should recompute fingerprints after each step it runs (a run
 * may give a cell a new output that the next cells then read).
 */
export function runPlan(
  cells: readonly Cell[],
  lastSuccess: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, string>,
  options: GraphOptions = {},
): RunStep[] {
  const graph = notebookGraph(cells, options);
  const changed = changedCells(cells, lastSuccess, current);
  const stale = new Set([...changed, ...downstreamOf(graph, changed)]);
  const kinds = kindOf(cells);
  const blocked = new Set<string>();
  const steps: RunStep[] = [];
  for (const cell of cells) {
    const id = cell.id;
    const step = (action: RunAction, reason: string) => steps.push({ cellId: id, kind: cell.kind, action, reason });
    if (cell.kind === 'markdown') {
      step('skip', 'notes: nothing to run');
      continue;
    }
    if (!stale.has(id)) {
      step('cached', 'up to date (cached)');
      continue;
    }
    const missing = graph.missing.get(id) ?? [];
    const ups = graph.upstream.get(id) ?? [];
    const waitsFor = ups.find((u) => blocked.has(u));
    if (missing.length > 0) {
      blocked.add(id);
      step('skip', `not set up: needs ${missing.join(', ')}`);
    } else if (waitsFor !== undefined) {
      blocked.add(id);
      step('skip', `waits for ${kinds.get(waitsFor) ?? ''} cell ${waitsFor}, which cannot run`);
    } else if (changed.has(id)) {
      step('run', lastSuccess.has(id) ? 'changed since its last run' : 'never run');
    } else {
      const cause = ups.find((u) => stale.has(u)) ?? '';
      step('run', `upstream ${kinds.get(cause) ?? ''} cell ${cause} re-runs`);
    }
  }
  return steps;
}
