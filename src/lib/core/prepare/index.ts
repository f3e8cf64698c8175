/**
 * Prepare: recipes of data-preparation steps (drop, rename, cast, filter,
 * fill, derive, dedupe, bin, join), their checks, their safe expression
 * language and their hash. The steps run on danfojs in the data worker.
 */
export * from './recipe';
