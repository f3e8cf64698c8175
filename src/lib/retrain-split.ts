/**
 * "Retrain with this data" in the data worker: the new data's rows split by a
 * seeded, stable rule into the part that joins the reference in the training
 * file and the part held out for a fair evaluation against the champion.
 * Row i is held out when rowUniform(deriveSeed(seed, 'retrain-holdout'), i) <
 * share: a hash of (seed, row index), no shuffle, so the same data and seed
 * always give the same rows, and appending rows never moves an earlier one.
 */
import { deriveSeed, normalizeSeed, type ColumnData } from './core/common';
import { rowUniform } from './core/evaluate';
import { combinedCsv, type CombineSide } from './core/models';
import { decodeColumns, type DatasetSource } from './core/training';

/** The new data's share kept apart for the evaluation. */
export const HOLDOUT_SHARE = 0.3;
/** The split's seed (a fixed one: retraining on the same data twice holds out the same rows). */
export const HOLDOUT_SEED = 42;

/** 1 where row i of `rows` is held out, 0 where it joins the training file. */
export function holdoutMask(rows: number, seed: number = HOLDOUT_SEED, share: number = HOLDOUT_SHARE): Uint8Array {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`The number of rows must be a whole number, got ${String(rows)}.`);
  if (!(share >= 0 && share <= 1)) throw new RangeError(`The holdout share must be between 0 and 1, got ${String(share)}.`);
  const stream = deriveSeed(normalizeSeed(seed), 'retrain-holdout');
  const mask = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) mask[i] = rowUniform(stream, i) < share ? 1 : 0;
  return mask;
}

function pickColumn(data: ColumnData, rows: readonly number[]): ColumnData {
  if (data.kind === 'num') return { kind: 'num', values: Float64Array.from(rows, (r) => data.values[r]!) };
  return { kind: 'dict', codes: Uint32Array.from(rows, (r) => data.codes[r]!), dict: data.dict };
}

/** The rows of `side` where mask[i] === keep, in their order. */
export function pickRows(side: CombineSide, mask: Uint8Array, keep: 0 | 1): CombineSide {
  const rows: number[] = [];
  for (let i = 0; i < side.rows; i++) if (mask[i] === keep) rows.push(i);
  return { names: side.names, columns: side.columns.map((c) => pickColumn(c, rows)), rows: rows.length };
}

const NO_ROWS: CombineSide = { names: [], columns: [], rows: 0 };

export interface RetrainCsvs {
  /** The reference's rows then the new data's kept rows, under the reference's columns. */
  combined: string[];
  /** The new data's held-out rows, under its own columns. */
  holdout: string[];
  referenceRows: number;
  /** New-data rows in the training file. */
  keptRows: number;
  holdoutRows: number;
}

/** Both files' CSV chunks from decoded columns. */
export function retrainCsvs(reference: CombineSide, current: CombineSide, seed: number = HOLDOUT_SEED, share: number = HOLDOUT_SHARE): RetrainCsvs {
  const mask = holdoutMask(current.rows, seed, share);
  const kept = pickRows(current, mask, 0);
  const held = pickRows(current, mask, 1);
  return {
    combined: [...combinedCsv(reference, kept)],
    holdout: [...combinedCsv(held, NO_ROWS)],
    referenceRows: reference.rows,
    keptRows: kept.rows,
    holdoutRows: held.rows,
  };
}

export interface RetrainBlobs {
  combined: Blob;
  holdout: Blob;
  referenceRows: number;
  keptRows: number;
  holdoutRows: number;
}

async function side(s: DatasetSource): Promise<CombineSide> {
  const names = s.schema.map((c) => c.name);
  return { names, columns: (await decodeColumns(s, names)).map((c) => c.data), rows: s.rows };
}

/** The data worker's part: two stored versions read, split and written as two CSV files. */
export async function retrainBlobs(reference: DatasetSource, current: DatasetSource, seed: number = HOLDOUT_SEED, share: number = HOLDOUT_SHARE): Promise<RetrainBlobs> {
  const [a, b] = await Promise.all([side(reference), side(current)]);
  const { combined, holdout, ...counts } = retrainCsvs(a, b, seed, share);
  return { combined: new Blob(combined, { type: 'text/csv' }), holdout: new Blob(holdout, { type: 'text/csv' }), ...counts };
}
