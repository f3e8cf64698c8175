/**
 * Experiments side by side: the runs table (filters, sort, columns), the
 * comparison of selected runs, its verdicts, and the
 * comparison against a baseline run.
 */
export * from './baseline-compare';
export * from './compare';
export * from './runs-view';
