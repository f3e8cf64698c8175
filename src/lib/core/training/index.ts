/**
 * Training configuration and preprocessing: the run contract shared by the
 * train worker, the repositories and the UI; the form's fields, budgets and
 * sweeps; splits, targets, preprocessing, the schema a model expects; and
 * the run record.
 *
 * Internal to this folder: preprocess-values.ts, train-fields.ts.
 */
export * from './backend-choice';
export * from './budget';
export * from './dataset-source';
export * from './diagnostics';
export * from './prepare';
export * from './preprocess';
export * from './run-record';
export * from './schema-check';
export * from './schema-refusal';
export * from './split';
export * from './sweep';
export * from './target';
export * from './target-check';
export * from './train-columns';
export * from './train-config';
export * from './training';
