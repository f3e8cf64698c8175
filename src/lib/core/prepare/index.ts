/**
 * Prepare: recipes of data-preparation steps (drop, rename, cast, filter,
 * fill, derive, dedupe, bin, join), their checks, their safe expression
 * language and their hash. The steps run on danfojs in the data worker.
 *
 * Internal to this folder: expr-vector.ts (the column-at-a-time evaluation
 * behind evaluateExpression; its roundTo and ColumnValues are re-exported).
 */
export * from './expr-ast';
export * from './expr-eval';
export * from './expr-parse';
export * from './expr-typecheck';
export * from './recipe';
export * from './recipe-check';
export * from './recipe-describe';
export * from './recipe-hash';
export * from './recipe-normalize';
export * from './recipe-values';
