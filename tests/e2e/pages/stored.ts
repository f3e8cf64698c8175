/**
 * What the app stored, read straight from IndexedDB with the plain API (not
 * through the app), so a test proves what was or was not written. Also a way
 * to hold a store's lock, to stop a backup or restore at a known point.
 */
import type { Page } from '@playwright/test';

/** The tables a workspace backup carries. */
export const WORKSPACE_STORES = ['notebooks', 'datasets', 'versions', 'chunks', 'runs', 'runDetails', 'models', 'modelVersions', 'modelFiles', 'aliasEvents', 'predictions', 'driftReports'];

/** Every record of the stores asked for, with Blobs and typed arrays left out (they do not cross to the test). */
export function storedRecords(page: Page, stores: string[]): Promise<Record<string, Record<string, unknown>[]>> {
  return page.evaluate(
    (names) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('labbook');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const database = req.result;
          const tx = database.transaction(names, 'readonly');
          const out: Record<string, unknown[]> = {};
          for (const name of names) {
            const all = tx.objectStore(name).getAll();
            all.onsuccess = () => {
              out[name] = (all.result as Record<string, unknown>[]).map((r) =>
                Object.fromEntries(Object.entries(r).filter(([, v]) => !(v instanceof Blob) && !ArrayBuffer.isView(v))),
              );
            };
          }
          tx.oncomplete = () => {
            database.close();
            resolve(out as Record<string, Record<string, unknown>[]>);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    stores,
  );
}

/**
 * Every primary key by table, sorted, as JSON. Alias events are given by content
 * (their ids are local to a profile) and models with their aliases, so a moved
 * alias counts as a difference.
 */
export function storedKeys(page: Page, stores: string[] = WORKSPACE_STORES): Promise<Record<string, string[]>> {
  return page.evaluate(
    (names) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('labbook');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(names, 'readonly');
          const out: Record<string, string[]> = {};
          for (const s of names) {
            const byContent = s === 'aliasEvents' || s === 'models';
            const req = byContent ? tx.objectStore(s).getAll() : tx.objectStore(s).getAllKeys();
            req.onsuccess = () => {
              out[s] = (req.result as unknown[])
                .map((r) => {
                  if (s === 'aliasEvents') return JSON.stringify({ ...(r as object), id: 0 });
                  if (s === 'models') return JSON.stringify([(r as { name: string }).name, (r as { aliases: unknown }).aliases]);
                  return JSON.stringify(r);
                })
                .sort();
            };
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    stores,
  );
}

/**
 * Keeps a readwrite transaction on `store` open (a chain of reads that never ends), so
 * any other reader or writer of that store waits. Released by closing the page.
 */
export async function holdStore(page: Page, store: string): Promise<void> {
  await page.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('labbook');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const objects = open.result.transaction(name, 'readwrite').objectStore(name);
          const spin = () => {
            objects.get('\u0000held').onsuccess = spin;
          };
          spin();
          resolve();
        };
      }),
    store,
  );
}
