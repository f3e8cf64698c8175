/**
 * The one Dexie schema. Never edit an old `version(n)`: add `version(n + 1)`
 * with an `.upgrade()` so stored notebooks and datasets survive an update.
 * Only repository files in this folder import it.
 */
import Dexie, { type EntityTable } from 'dexie';
import type {
  AliasEventRecord,
  ChunkRecord,
  DatasetRecord,
  ModelFileRecord,
  ModelRecord,
  ModelVersionRecord,
  NotebookRecord,
  RunRecord,
  VersionRecord,
} from './records';

export class LabbookDB extends Dexie {
  notebooks!: EntityTable<NotebookRecord, 'id'>;
  datasets!: EntityTable<DatasetRecord, 'id'>;
  versions!: EntityTable<VersionRecord, 'hash'>;
  chunks!: Dexie.Table<ChunkRecord, [string, number]>;
  runs!: EntityTable<RunRecord, 'id'>;
  models!: EntityTable<ModelRecord, 'name'>;
  modelVersions!: EntityTable<ModelVersionRecord, 'id'>;
  modelFiles!: Dexie.Table<ModelFileRecord, [string, string]>;
  aliasEvents!: EntityTable<AliasEventRecord, 'id'>;

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
  }
}

let instance: LabbookDB | undefined;

/** The app's database, opened on first use. */
export function db(): LabbookDB {
  instance ??= new LabbookDB();
  return instance;
}

/** Tests point the repositories at a fresh database. */
export function useDatabase(database: LabbookDB): void {
  instance = database;
}
