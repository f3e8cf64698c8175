/**
 * The page-side parts of the backup benchmark: seeding runs, counting what is
 * stored, finding the largest record, and the baseline (a raw IndexedDB read of
 * everything, then a raw write of it into a scratch database). Each runs in the
 * page through `page.evaluate`, on the app's database 'labbook' as it is.
 */

/** Writes runs (JSON of { summary, details }, from runsToJson) into 'runs' and 'runDetails' in one transaction. */
export async function seedRuns(page, json, marker) {
  await page.evaluate(
    ([text, nonFinite]) =>
      new Promise((resolve, reject) => {
        const parts = JSON.parse(text, (_k, v) => (typeof v === 'string' && v.startsWith(nonFinite) ? Number(v.slice(nonFinite.length)) : v));
        const open = indexedDB.open('labbook');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['runs', 'runDetails'], 'readwrite');
          for (const { summary, details } of parts) {
            tx.objectStore('runs').put(summary);
            tx.objectStore('runDetails').put(details);
          }
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onabort = () => reject(tx.error ?? new Error('seeding the runs was aborted'));
        };
      }),
    [json, marker],
  );
}

/** Record counts by store, the bytes of the stored dataset versions, and the hash of the largest version. */
export async function storeCounts(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('labbook');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names, 'readonly');
          const out = {};
          for (const n of names) {
            const req = tx.objectStore(n).count();
            req.onsuccess = () => (out[n] = req.result);
          }
          const versions = tx.objectStore('versions').getAll();
          tx.oncomplete = () => {
            db.close();
            const all = versions.result.sort((x, y) => y.rowCount - x.rowCount);
            resolve({ ...out, fullHash: all[0]?.hash ?? null, datasetBytes: all.reduce((s, v) => s + (v.storedBytes ?? 0), 0) });
          };
          tx.onabort = () => reject(tx.error);
        };
      }),
  );
}

/** The largest single stored record: the biggest Blob, typed array or JSON-sized record of any store. */
export async function largestRecord(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const size = (v) => {
          if (v instanceof Blob) return v.size;
          if (ArrayBuffer.isView(v)) return v.byteLength;
          if (Array.isArray(v)) return v.reduce((s, x) => s + size(x), 0);
          if (v && typeof v === 'object') return Object.values(v).reduce((s, x) => s + size(x), 0);
          return typeof v === 'string' ? v.length : 8;
        };
        const open = indexedDB.open('labbook');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names, 'readonly');
          let best = { bytes: 0, what: 'nothing' };
          for (const n of names) {
            const req = tx.objectStore(n).openCursor();
            req.onsuccess = () => {
              const c = req.result;
              if (!c) return;
              const bytes = size(c.value);
              if (bytes > best.bytes) best = { bytes, what: `a record of "${n}"` };
              c.continue();
            };
          }
          tx.oncomplete = () => {
            db.close();
            resolve(best);
          };
          tx.onabort = () => reject(tx.error);
        };
      }),
  );
}

/**
 * The baseline: every record of every store read raw (one getAll per store, then
 * every Blob's bytes), timed; then those records, with new Blobs made of the bytes,
 * written into a scratch database of the same stores, timed; the scratch database deleted.
 */
export async function baselineCopy(page) {
  return page.evaluate(async () => {
    const request = (req) =>
      new Promise((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const db = await request(indexedDB.open('labbook'));
    const names = [...db.objectStoreNames].filter((n) => n !== 'settings');
    const shapes = names.map((n) => {
      const s = db.transaction(n, 'readonly').objectStore(n);
      return { name: n, keyPath: s.keyPath, autoIncrement: s.autoIncrement };
    });
    let bytes = 0;
    const blobs = [];
    const walk = (v, set) => {
      if (v instanceof Blob) blobs.push({ blob: v, set });
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, (b) => (v[i] = b)));
      else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) for (const k of Object.keys(v)) walk(v[k], (b) => (v[k] = b));
      else if (ArrayBuffer.isView(v)) bytes += v.byteLength;
      else if (typeof v === 'string') bytes += v.length;
    };
    const t0 = performance.now();
    const rows = {};
    for (const n of names) {
      rows[n] = await request(db.transaction(n, 'readonly').objectStore(n).getAll());
      for (const r of rows[n]) walk(r, null);
    }
    const buffers = [];
    for (const { blob } of blobs) {
      const b = await blob.arrayBuffer();
      bytes += b.byteLength;
      buffers.push(b);
    }
    const readMs = performance.now() - t0;
    db.close();
    blobs.forEach(({ set }, i) => set?.(new Blob([buffers[i]])));
    await request(indexedDB.deleteDatabase('labbook-bench-copy'));
    const open = indexedDB.open('labbook-bench-copy', 1);
    open.onupgradeneeded = () => {
      for (const s of shapes) open.result.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
    };
    const copy = await request(open);
    const t1 = performance.now();
    for (const n of names) {
      const tx = copy.transaction(n, 'readwrite');
      for (const r of rows[n]) tx.objectStore(n).put(r);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onabort = () => reject(tx.error);
      });
    }
    const writeMs = performance.now() - t1;
    copy.close();
    await request(indexedDB.deleteDatabase('labbook-bench-copy'));
    return { readMs, writeMs, bytes, blobs: blobs.length };
  });
}
