/**
 * Experiments side by side: the comparison table, its verdicts, and the
 * comparison against a baseline run.
 */
export * from './baseline-compare';
export * from './compare';
