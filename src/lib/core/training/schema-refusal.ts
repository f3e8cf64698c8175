/**
 * A schema refusal in one line: when most of the columns a model (or a
 * dataset reference) expects are missing from a file, it is most likely the
 * wrong file, and one line says so better than a finding per column.
 */
import type { SchemaFinding, SchemaReference } from './schema-check';
import { formatCount as count } from '../common';

/** Missing columns from this share of the expected ones up (and at least MIN_MISSING_FOR_REFUSAL) read as a wrong file. */
export const MOST_MISSING_SHARE = 0.5;
export const MIN_MISSING_FOR_REFUSAL = 2;

export interface MissingColumnsRefusal {
  /** One line for the screen: "None of the 17 columns this model needs are in this file: wrong file?" */
  message: string;
  /** The missing-column findings, for the folded details. */
  missing: SchemaFinding[];
  expected: number;
}

/**
 * When most expected columns are missing, the file is most likely the wrong
 * one, and one line says so better than a finding per column. `expected`:
 * how many columns the reference expects (a model's inputs, or a dataset
 * reference's columns). Null when the findings should be listed as they are.
 */
export function missingColumnsRefusal(findings: readonly SchemaFinding[], expected: number, against: SchemaReference['kind']): MissingColumnsRefusal | null {
  const missing = findings.filter((f) => f.kind === 'missing-column');
  const n = missing.length;
  // A caller's count can lag the findings (a model changed meanwhile): never say "17 of 12".
  const total = Math.max(expected, n);
  if (n < MIN_MISSING_FOR_REFUSAL || n <= MOST_MISSING_SHARE * total) return null;
  const columns = `${count(total)} columns ${against === 'model' ? 'this model needs' : 'of the reference'}`;
  const message = n === total ? `None of the ${columns} are in this file: wrong file?` : `${count(n)} of the ${columns} are missing from this file: wrong file?`;
  return { message, missing, expected: total };
}

