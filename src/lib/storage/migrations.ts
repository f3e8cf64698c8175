/**
 * The upgrades of stored records between schema versions, frozen. Each carries its own copy
 * of what it needs and works on plain objects of the shape stored at its time, never calling
 * today's runtime code: a later change to the app (a renamed field, a new split of a record)
 * cannot change what an old upgrade does to a database that has waited a year to be opened.
 * Each is tested against fixture records written in the old shape (tests/fixtures/db).
 */
import type { Transaction } from 'dexie';

type Stored = Record<string, unknown>;

/**
 * Schema 2 -> 3: a run's bulky half (its epochs, and its evaluation's curves or residuals, and
 * test scores where a run has them) moves to `runDetails`, so listing runs reads about 5 KB a
 * run instead of 40 KB. A run already split passes through unchanged.
 */
export function splitRunV3(run: Stored): { summary: Stored; details: Stored } {
  if (!('epochs' in run)) return { summary: run, details: { runId: run.id, epochs: [], curves: null, residuals: null } };
  const { epochs, evaluation, testScores, ...rest } = run;
  let summary: Stored | null = null;
  let curves: unknown = null;
  let residuals: unknown = null;
  if (evaluation && typeof evaluation === 'object') {
    const e = evaluation as Stored;
    if (e.task === 'regression') {
      const { residuals: r, ...s } = e;
      summary = s;
      residuals = r ?? null;
    } else {
      const { curves: c, ...s } = e;
      summary = s;
      curves = c ?? null;
    }
  }
  return {
    summary: { ...rest, evaluation: summary, epochCount: Array.isArray(epochs) ? epochs.length : 0 },
    details: { runId: run.id, epochs: Array.isArray(epochs) ? epochs : [], curves, residuals, ...(testScores ? { testScores } : {}) },
  };
}

/** The upgrade to schema 3, as Dexie runs it. */
export async function upgradeToV3(tx: Transaction): Promise<void> {
  const runs = tx.table<Stored, string>('runs');
  const parts = (await runs.toArray()).map(splitRunV3);
  await tx.table<Stored, string>('runDetails').bulkPut(parts.map((p) => p.details));
  await runs.bulkPut(parts.map((p) => p.summary));
}
