/**
 * The convergence bench page: holds the CSV input and the worker, and gives
 * tests/bench/converge.mjs one function to call. Progress lines go to the
 * console (the bench prints them) and to the page.
 */
import * as Comlink from 'comlink';
import type { BenchApi, BenchResult } from './bench.worker';

declare global {
  interface Window {
    // Its own name: every bench page's Window augmentation is type-checked together (tsconfig.node.json).
    runConvergeBench(): Promise<BenchResult>;
  }
}

const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
worker.addEventListener('error', (e) => console.error(`[bench] worker error: ${e.message}`));
const api = Comlink.wrap<BenchApi>(worker);
const logEl = document.getElementById('log')!;

window.runConvergeBench = async (): Promise<BenchResult> => {
  const file = (document.getElementById('csv') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('Choose the CSV file first.');
  const log = (line: string) => {
    console.log(`[bench] ${line}`);
    logEl.append(`${line}\n`);
  };
  return api.runBench(file, Comlink.proxy(log));
};
