/**
 * CSV and import: a dropped file parsed (delimiter, limits, quoting),
 * its columns typed and profiled, and stored as columnar chunks; a
 * column re-profiled when its type changes; CSV written back out.
 *
 * Internal to this folder: csv.ts, csv-delimiter.ts, csv-limits.ts, csv-table.ts, decode.ts,
 * profile.ts, runs.ts, scan.ts.
 */
export * from './columnar';
export * from './csv-export';
export * from './importer';
export * from './infer';
export * from './reprofile';
// numpy's linear quantile, shared with the fairness bins and the partial-dependence grid.
export { quantileSorted } from './profile';
