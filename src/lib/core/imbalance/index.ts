/**
 * Class imbalance: how skewed the target is, class weights, and the
 * resamplers (random over and under sampling, SMOTE with its nearest
 * neighbours) applied to the training split only.
 *
 * Internal to this folder: knn.ts.
 */
export * from './imbalance';
export * from './resample';
