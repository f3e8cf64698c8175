/**
 * Pipeline: the notebook as a pipeline for *Run all*. What each cell reads
 * (the edge model and volatile fields, cell-inputs.ts), its fingerprint
 * (fingerprint.ts), the graph, the cells to re-run and the run plan (graph.ts),
 * and how later cells follow a re-run cell's new outputs (rewire.ts).
 * Pure: the runner that executes a plan lives outside core.
 */
export * from './cell-inputs';
export * from './fingerprint';
export * from './graph';
export * from './rewire';
