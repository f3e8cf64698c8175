/**
 * What every domain of core stands on: the dataset record shapes, errors
 * and their messages, number formatting, hashing, ids, seeded randomness,
 * superseded requests, Blob reading and the small linear algebra of the solvers.
 */
export * from './blob-stream';
export * from './errors';
export * from './format';
export * from './hashing';
export * from './ids';
export * from './linalg';
export * from './random';
export * from './supersede';
export * from './types';
