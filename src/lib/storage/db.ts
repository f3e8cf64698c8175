/**
 * The one Dexie schema. Never edit an old `version(n)`: add `version(n + 1)`
 * with an `.upgrade()` so stored notebooks and datasets survive an update.
 * Only repository files in this folder import it.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { NotebookRecord, DatasetRecord, VersionRecord, ChunkRecord } from './records';

export class LabbookDB extends Dexie {
  notebooks!: EntityTable<NotebookRecord, 'id'>;
  datasets!: EntityTable<DatasetRecord, 'id'>;
  versions!: EntityTable<VersionRecord, 'hash'>;
  chunks!: Dexie.Table<ChunkRecord, [string, number]>;

  constructor(name = 'labbook') {
    super(name);
    this.version(1).stores({
      notebooks: 'id, updatedAt',
      datasets: 'id, &name, updatedAt',
      versions: 'hash, datasetId, [datasetId+version], createdAt',
      chunks: '[hash+index], hash',
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
