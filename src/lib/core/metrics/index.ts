/**
 * Evaluation metrics on the held-out test split, as a scikit-learn user
 * expects them: classification (with curves and thresholds), regression,
 * and the baselines a model must beat.
 */
export * from './baseline';
export * from './curves';
export * from './metrics-classification';
export * from './metrics-regression';
export * from './threshold';
