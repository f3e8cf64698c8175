#!/usr/bin/env node
/**
 * `npm run bench`: every benchmark, one after the other, each in its own
 * Node process (each builds what it serves and starts its own preview server).
 *
 *   node tests/bench/run.mjs                 import, then training, compare, drift, converge, backup, analysis and pipeline
 *   node tests/bench/run.mjs --only train    one of them (import | train | compare | drift | converge | backup | analysis | pipeline)
 *   node tests/bench/run.mjs --no-build      reuse the last builds
 *
 * compare seeds 1,000 synthetic runs and times the runs table and the
 * comparison of selected runs (tests/bench/compare.mjs).
 *
 * drift checks the full generated file against its full shifted batch in the
 * drift cell (fresh, then with the reference's statistics reused), and times
 * the bundle export and import of a 2 x 64 MLP (tests/bench/drift.mjs).
 *
 * converge fits the default logistic regression to convergence (wasm and
 * webgpu) against the solved optimum and the former 10-epoch mini-batch
 * default, and trains a default MLP to early stopping (tests/bench/converge.mjs).
 *
 * analysis applies a five-step Prepare recipe to the full file and explains the
 * features of a logistic regression trained on it (tests/bench/analysis.mjs).
 *
 * backup backs up a workspace (the full dataset, 100 runs, 10 model
 * versions) to a file and as a download, and restores it in a fresh profile,
 * against raw IndexedDB reads and writes of the same records
 * (tests/bench/backup.mjs).
 *
 * pipeline times Run all on a six-cell notebook over the 20,000-row sample
 * (cold, after the dataset cell imports a reordered copy, then fully cached),
 * and Evaluate models on two versions over 48,000 labelled rows with 1,000
 * bootstrap resamples against one prediction of those rows
 * (tests/bench/pipeline.mjs).
 *
 * Benchmarks print figures and ratios and never fail on time; this exits
 * non-zero only when a benchmark could not run at all.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BENCHES = ['import', 'train', 'compare', 'drift', 'converge', 'backup', 'analysis', 'pipeline'];

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
if (onlyAt >= 0 && !BENCHES.includes(only ?? '')) {
  console.error(`--only takes one of: ${BENCHES.join(', ')}`);
  process.exit(2);
}
const passThrough = args.filter((a) => a === '--no-build');

let failed = false;
for (const name of only ? [only] : BENCHES) {
  const r = spawnSync(process.execPath, [join(here, `${name}.mjs`), ...passThrough], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${name} benchmark could not run (exit ${r.status ?? r.signal})`);
    failed = true;
  }
  if (!only && name !== BENCHES.at(-1)) console.log('');
}
process.exit(failed ? 1 : 0);
