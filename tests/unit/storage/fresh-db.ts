/** Gives every test of the calling file its own empty database on fake-indexeddb. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach } from 'vitest';
import { LabbookDB, useDatabase } from '../../../src/lib/storage/db';

/** Registers the hooks; the returned getter is the current test's database. */
export function useFreshDatabase(): () => LabbookDB {
  let database: LabbookDB;
  beforeEach(async () => {
    database = new LabbookDB(`test-${Math.random()}`);
    useDatabase(database);
    await database.open();
  });
  afterEach(async () => {
    database.close();
    await database.delete();
  });
  return () => database;
}
