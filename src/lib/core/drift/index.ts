/**
 * Drift between a model's training data and a new batch: per-column
 * statistics and tests (binned, Kolmogorov-Smirnov), the model-based check,
 * verdicts, the stored reference and the report (HTML and SVG).
 *
 * Internal to this folder: drift-binning.ts, drift-kolmogorov.ts, drift-ks.ts, drift-
 * sort.ts, drift-svg.ts.
 */
export * from './drift';
export * from './drift-html';
export * from './drift-model';
export * from './drift-reference';
export * from './drift-report';
export * from './drift-stats';
export * from './drift-verdict';
