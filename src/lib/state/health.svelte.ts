/**
 * Storage health: bytes stored by kind (for the storage panel), and the
 * ledger in localStorage that notices at start when records the app expected
 * are gone (the browser evicted or cleared the site's storage, or the
 * database was deleted) and says so until a restore brings them back or the
 * person dismisses it.
 */
import { countRecords, type UsageByKind } from '../storage/usage';
import { backupWorker } from '../workers';
import { watch } from '../storage/live';
import { databaseLost } from '../storage/db';
import {
  LEDGER_KEY,
  goneSentence,
  ledgerText,
  missingRecords,
  parseLedger,
  sameCounts,
  type Ledger,
  type Missing,
  type RecordCounts,
} from '../core/backup';

/** Ledger writes follow the counts this long after the last change. */
const LEDGER_DEBOUNCE_MS = 300;
/** Usage by kind is summed again this long after the last storage refresh. */
const USAGE_DEBOUNCE_MS = 1000;

function readLedger(): Ledger | null {
  try {
    return parseLedger(globalThis.localStorage?.getItem(LEDGER_KEY));
  } catch {
    return null;
  }
}

function writeLedger(counts: RecordCounts): void {
  try {
    const current = readLedger();
    if (current && sameCounts(current.counts, counts)) return;
    globalThis.localStorage?.setItem(LEDGER_KEY, ledgerText(counts, Date.now()));
  } catch {
    // Storage full or blocked: the check simply has less to go on next time.
  }
}

export class HealthState {
  /** Bytes by kind, or null until first summed. */
  usage = $state.raw<UsageByKind | null>(null);
  usageError = $state<string | null>(null);
  /** What the ledger expected and is gone; empty when all is well. */
  missing = $state.raw<Missing[]>([]);
  /** The sentence saying so (empty when nothing is missing). */
  gone = $state('');
  #latest: RecordCounts | null = null;
  #ledgerTimer: ReturnType<typeof setTimeout> | null = null;
  #usageTimer: ReturnType<typeof setTimeout> | null = null;
  #usageRun = 0;

  /**
   * Compares the stored counts with the ledger; run at start, before the app creates its first
   * notebook. A first visit (no ledger) just starts one.
   */
  async check(): Promise<void> {
    try {
      const counts = await countRecords();
      this.#latest = counts;
      const ledger = readLedger();
      const missing = missingRecords(ledger, counts);
      if (missing.length > 0) {
        this.missing = missing;
        this.gone = goneSentence(missing, ledger?.at);
      } else {
        writeLedger(counts);
      }
    } catch {
      // The database cannot be read: the app's own start-up says so.
    }
  }

  /** Follows the stored counts (any tab) into the ledger. Returns the stop. */
  watch(): () => void {
    const stopCounts = watch(countRecords, (counts) => this.#seen(counts));
    const flush = () => {
      if (document.visibilityState === 'hidden') this.#flushLedger();
    };
    const onStorage = (event: StorageEvent) => {
      // Another tab dismissed (or a restore there brought the records back).
      if (event.key === LEDGER_KEY && this.#latest) this.#seen(this.#latest);
    };
    document.addEventListener('visibilitychange', flush);
    window.addEventListener('pagehide', flush);
    window.addEventListener('storage', onStorage);
    return () => {
      stopCounts();
      document.removeEventListener('visibilitychange', flush);
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('storage', onStorage);
      if (this.#ledgerTimer) clearTimeout(this.#ledgerTimer);
      if (this.#usageTimer) clearTimeout(this.#usageTimer);
    };
  }

  #seen(counts: RecordCounts): void {
    this.#latest = counts;
    if (this.gone) {
      // Held until the missing records are back (a restore) or the person dismisses the alert.
      const missing = missingRecords(readLedger(), counts);
      if (missing.length > 0) return;
      this.missing = [];
      this.gone = '';
    }
    if (this.#ledgerTimer) clearTimeout(this.#ledgerTimer);
    this.#ledgerTimer = setTimeout(() => this.#flushLedger(), LEDGER_DEBOUNCE_MS);
  }

  #flushLedger(): void {
    if (this.#ledgerTimer) clearTimeout(this.#ledgerTimer);
    this.#ledgerTimer = null;
    // Never from a lost database (its reads are not this browser's records) or over a pending alert.
    if (this.#latest && !this.gone && !databaseLost()) writeLedger(this.#latest);
  }

  /** Accepts what is stored now: the alert goes and the ledger starts over from the current counts. */
  async dismiss(): Promise<void> {
    this.missing = [];
    this.gone = '';
    const counts = await countRecords().catch(() => this.#latest);
    this.#latest = counts;
    if (counts && !databaseLost()) writeLedger(counts);
  }

  /** Sums usage by kind again after a short pause (called whenever the storage figures refresh). */
  usageSoon(): void {
    if (this.#usageTimer) clearTimeout(this.#usageTimer);
    this.#usageTimer = setTimeout(() => void this.refreshUsage(), USAGE_DEBOUNCE_MS);
  }

  /** Sums usage by kind in the backup worker (reading every record is no work for the page). */
  async refreshUsage(): Promise<void> {
    const run = ++this.#usageRun;
    // A lost database is not summed: the worker would have to open it again to read it.
    if (databaseLost()) return;
    try {
      const usage = await backupWorker().usageByKind();
      if (usage === null || this.#usageRun !== run) return;
      this.usage = usage;
      this.usageError = null;
    } catch (err) {
      if (this.#usageRun !== run || databaseLost()) return;
      this.usageError = `Usage by kind could not be read: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}
