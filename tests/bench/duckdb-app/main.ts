/**
 * DuckDB-wasm baseline for the import benchmark: the chosen file registered
 * as heart.csv, then CREATE TABLE ... read_csv_auto and SUMMARIZE, each timed.
 * Start-up (worker, wasm compile) is timed apart, as the app's warm-up is.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

export interface DuckResult {
  startMs: number;
  loadMs: number;
  summarizeMs: number;
  rows: number;
  columns: number;
  version: string;
}

declare global {
  interface Window {
    runDuck(): Promise<DuckResult>;
  }
}

window.runDuck = async (): Promise<DuckResult> => {
  const file = (document.getElementById('csv') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('Choose the CSV file first.');
  const t0 = performance.now();
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(ehWorker));
  await db.instantiate(ehWasm);
  const conn = await db.connect();
  const version = String((await conn.query('SELECT version() AS v')).getChild('v')?.get(0));
  const t1 = performance.now();
  await db.registerFileHandle('heart.csv', file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  await conn.query(`CREATE TABLE t AS SELECT * FROM read_csv_auto('heart.csv')`);
  const t2 = performance.now();
  const summary = await conn.query('SUMMARIZE t');
  const t3 = performance.now();
  const rows = Number((await conn.query('SELECT count(*) AS n FROM t')).getChild('n')?.get(0));
  await conn.close();
  await db.terminate();
  return { startMs: t1 - t0, loadMs: t2 - t1, summarizeMs: t3 - t2, rows, columns: summary.numRows, version };
};
