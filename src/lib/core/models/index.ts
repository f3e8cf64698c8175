/**
 * Model versions and bundles: the sealed manifest, files and names of a
 * version; a run's results; the bundle written for a colleague and read
 * back (verified); predictions and their CSV; the model card; how
 * versions are offered in pickers and led in the Models table.
 */
export * from './bundle';
export * from './bundle-card';
export * from './bundle-model';
export * from './bundle-read';
export * from './combine';
export * from './fingerprint';
export * from './model-files';
export * from './model-choice';
export * from './model-manifest';
export * from './model-names';
export * from './prediction-preview';
export * from './predictions';
export * from './registry-table';
export * from './run-export';
export * from './run-results';
export * from './threshold-live';
