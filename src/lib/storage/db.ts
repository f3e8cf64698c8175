/**
 * The one Dexie schema. Never edit an old `version(n)`: add `version(n + 1)`
 * with an `.upgrade()` so stored notebooks and datasets survive an update.
 * An upgrade lives in migrations.ts, frozen: its own copy of what it needs,
 * never today's runtime code. Only repository files in this folder import it.
 */
import Dexie, { type EntityTable } from 'dexie';
import type {
  AliasEventRecord,
  ChunkRecord,
  DatasetRecord,
  DriftReportRecord,
  EvaluationRecord,
  ModelExtraRecord,
  ModelFileRecord,
  ModelRecord,
  ModelVersionRecord,
  NotebookRecord,
  PredictionRecord,
  RunDetailsRecord,
  RunRecord,
  RunSummaryRecord,
  SettingRecord,
  VersionRecord,
} from './records';
import { summarizeEvaluation } from '../core/training';
import { upgradeToV3 } from './migrations';

export class LabbookDB extends Dexie {
  notebooks!: EntityTable<NotebookRecord, 'id'>;
  datasets!: EntityTable<DatasetRecord, 'id'>;
  versions!: EntityTable<VersionRecord, 'hash'>;
  chunks!: Dexie.Table<ChunkRecord, [string, number]>;
  runs!: EntityTable<RunSummaryRecord, 'id'>;
  runDetails!: EntityTable<RunDetailsRecord, 'runId'>;
  models!: EntityTable<ModelRecord, 'name'>;
  modelVersions!: EntityTable<ModelVersionRecord, 'id'>;
  modelFiles!: Dexie.Table<ModelFileRecord, [string, string]>;
  modelExtras!: Dexie.Table<ModelExtraRecord, [string, string]>;
  aliasEvents!: EntityTable<AliasEventRecord, 'id'>;
  predictions!: EntityTable<PredictionRecord, 'id'>;
  driftReports!: EntityTable<DriftReportRecord, 'id'>;
  settings!: EntityTable<SettingRecord, 'key'>;
  evaluations!: EntityTable<EvaluationRecord, 'id'>;

  constructor(name = 'labbook') {
    super(name);
    this.version(1).stores({
      notebooks: 'id, updatedAt',
      datasets: 'id, &name, updatedAt',
      versions: 'hash, datasetId, [datasetId+version], createdAt',
      chunks: '[hash+index], hash',
    });
    // Runs and the model registry: new tables only, so no upgrade() is needed.
    this.version(2).stores({
      runs: 'id, notebookId, datasetHash, status, createdAt, fingerprint, modelVersionId, *tags',
      models: 'name, updatedAt',
      modelVersions: 'id, modelName, &[modelName+version], runId, datasetHash, createdAt',
      modelFiles: '[versionId+path], versionId',
      aliasEvents: '++id, modelName, at',
    });
    // A run's epochs and curves move to runDetails, so listing runs reads ~5 KB a run, not ~40 KB.
    this.version(3)
      .stores({ runDetails: 'runId' })
      .upgrade(upgradeToV3);
    // Batch predictions: a new table only.
    this.version(4).stores({ predictions: 'id, modelVersionId, datasetHash, createdAt' });
    // Model bundles: the extras (README.md, reference statistics) of imported versions. A new table only.
    this.version(5).stores({ modelExtras: '[versionId+path], versionId' });
    // Drift reports: a new table only.
    this.version(6).stores({ driftReports: 'id, currentHash, modelVersionId, createdAt' });
    // App settings (backup folder, last backup): a new table only. Notebooks gain `rev` and
    // `editedAt`, unindexed fields that older records simply lack.
    this.version(7).stores({ settings: 'key' });
    // Champion/challenger evaluations: a new table only. Runs, predictions and drift reports gain
    // unindexed `cellFingerprint` (and runs `retrainedFrom`); alias events `by`, `why`, `evaluationId`.
    this.version(8).stores({ evaluations: 'id, datasetHash, createdAt, *modelVersionIds' });
  }
}

/**
 * A whole run as its two stored halves (also used by the runs repository).
 * A record already split (version 3 data) passes through unchanged.
 */
export function splitStoredRun(run: RunRecord | RunSummaryRecord): { summary: RunSummaryRecord; details: RunDetailsRecord } {
  if (!('epochs' in run)) return { summary: run, details: { runId: run.id, epochs: [], curves: null, residuals: null } };
  const { epochs, evaluation, testScores, ...rest } = run;
  const split = evaluation ? summarizeEvaluation(evaluation) : null;
  return {
    summary: { ...rest, evaluation: split?.summary ?? null, epochCount: epochs.length },
    details: {
      runId: run.id,
      epochs,
      curves: split?.parts.curves ?? null,
      residuals: split?.parts.residuals ?? null,
      // Test scores (binary runs) are bulky like the curves: they live in the details half.
      ...(testScores ? { testScores } : {}),
    },
  };
}

/** Why this tab lost its database connection. */
export type LostReason = 'deleted' | 'upgraded' | 'closed';

let instance: LabbookDB | undefined;
let lost: LostReason | null = null;
const lostListeners = new Set<(reason: LostReason) => void>();

/**
 * Stops using the database for good in this tab. Dexie would otherwise reopen it on the
 * next read or write, silently creating a new, empty database where the deleted one was,
 * and every later "save" would land there (or nowhere) while the app said "saved".
 */
function loseDatabase(database: LabbookDB, reason: LostReason): void {
  if (lost) return;
  lost = reason;
  database.close({ disableAutoOpen: true });
  // Dexie's own versionchange handler may run after this one and re-enable auto-open: close again after it.
  queueMicrotask(() => database.close({ disableAutoOpen: true }));
  for (const listener of lostListeners) listener(reason);
}

function watchConnection(database: LabbookDB): void {
  // Another tab deletes the database (newVersion null) or opens a newer schema.
  database.on('versionchange', (event) => {
    loseDatabase(database, event.newVersion ? 'upgraded' : 'deleted');
  });
  // The browser closed the connection (site data cleared, storage evicted). Dexie also closes
  // and reopens on its own (and just before the versionchange above is handled), so look after
  // the event settles: a database that is no longer listed is gone.
  database.on('close', () => {
    setTimeout(() => {
      if (lost || database !== instance) return;
      void globalThis.indexedDB
        ?.databases?.()
        .then((list) => {
          if (!list.some((info) => info.name === database.name)) loseDatabase(database, 'closed');
        })
        .catch(() => undefined);
    }, 0);
  });
}

/** The app's database, opened on first use. */
export function db(): LabbookDB {
  if (!instance) {
    instance = new LabbookDB();
    watchConnection(instance);
  }
  return instance;
}

/**
 * Whether the app's database exists in this browser. A worker checks before it opens a
 * connection: Dexie creates a database that is missing, and a worker that had no connection
 * when another tab deleted the database never saw the deletion, so it would bring back an
 * empty one behind the page's back. Browsers without `indexedDB.databases()` answer true.
 */
export async function databaseExists(name = 'labbook'): Promise<boolean> {
  const list = globalThis.indexedDB?.databases;
  if (!list) return true;
  return (await globalThis.indexedDB.databases()).some((info) => info.name === name);
}

/** Null while the database is usable; otherwise why it was lost. */
export function databaseLost(): LostReason | null {
  return lost;
}

/** Calls `listener` once if this tab loses its database. Returns the unsubscribe. */
export function onDatabaseLost(listener: (reason: LostReason) => void): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

/** Tests point the repositories at a fresh database. */
export function useDatabase(database: LabbookDB): void {
  instance = database;
  lost = null;
  watchConnection(database);
}
