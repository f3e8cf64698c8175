/** Classifying failures a user can cause, so the screen can say what to do. */
import { formatBytes } from './format';

function field(err: unknown, key: string): unknown {
  return err && typeof err === 'object' ? (err as Record<string, unknown>)[key] : undefined;
}

/**
 * True when the error is the browser refusing to store more data. IndexedDB
 * reports it as QuotaExceededError, but a transaction that dies of it often
 * surfaces as an AbortError (Dexie: `AbortError` with `inner`), so the chain
 * of inner errors and causes is followed.
 */
export function isQuotaError(err: unknown, depth = 0): boolean {
  if (!err || depth > 5) return false;
  const name = field(err, 'name');
  const message = field(err, 'message');
  if (name === 'QuotaExceededError') return true;
  if (typeof message === 'string' && /quota ?exceeded|QuotaExceededError/i.test(message)) return true;
  return isQuotaError(field(err, 'inner'), depth + 1) || isQuotaError(field(err, 'cause'), depth + 1);
}

/** " Only 1.2 MB is left for this site." when the free space is known, else ''. */
function freeClause(freeBytes: number | null): string {
  return freeBytes === null ? '' : ` Only ${formatBytes(Math.max(0, freeBytes))} is left for this site.`;
}

/** A message for the screen: what happened and what to do. */
export function quotaMessage(neededBytes: number, freeBytes: number | null): string {
  const free = freeClause(freeBytes);
  return (
    `Not enough browser storage to keep this dataset (it needs about ${formatBytes(neededBytes)}).${free} ` +
    'Nothing was stored. Delete dataset versions you no longer need, or free disk space, and try again.'
  );
}

/** What a full disk means for a result that could not be kept (a prediction, a drift report). */
export function storageFullMessage(what: string): string {
  return `Not enough browser storage to keep ${what}. Nothing was stored. Delete dataset versions, runs or models you no longer need, or free disk space, and try again.`;
}

/**
 * Why a run could not be stored when the browser refused more data, worded
 * as an import's refusal is: what happened and what to do. `neededBytes` is
 * the size of the run's model when it was the model that did not fit;
 * `freeBytes` is quoted only when given.
 */
export function runStorageMessage(neededBytes: number | null, freeBytes: number | null): string {
  const free = freeClause(freeBytes);
  const what =
    neededBytes === null
      ? `Not enough browser storage to record this run.${free}`
      : `Not enough browser storage to keep this run's model (it needs about ${formatBytes(neededBytes)}).${free} The model was not saved.`;
  return `${what} Delete model or dataset versions you no longer need, or free disk space, and train again.`;
}
