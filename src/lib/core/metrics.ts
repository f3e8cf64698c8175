/**
 * Evaluation metrics on the held-out test split, as a scikit-learn user
 * expects them. Pure functions over typed arrays; the results are plain objects
 * ready to store with a run. The implementation is split by task:
 * metrics-classification.ts, metrics-regression.ts and curves.ts.
 */
export * from './curves';
export * from './metrics-classification';
export * from './metrics-regression';
