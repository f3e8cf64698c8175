#!/usr/bin/env node
/**
 * Training benchmark (`npm run bench`, or `node tests/bench/run.mjs --only train`).
 * Builds the bench app (tests/bench/train-app), serves it with `vite preview`
 * and, in one headless Chromium run, inside one module worker:
 *  - imports .bench/heart-full.csv with importCsv and prepares it as a run
 *    would (target HeartDisease, binary, default features and config);
 *  - per backend (webgpu, webgl, wasm, cpu), for the linear model and an MLP
 *    [64, 64]: one warm epoch of our loop against Keras-style `model.fit`
 *    (same layers, Adam 0.01, batch 512, shuffle), epoch 2 of 2 each;
 *  - what `auto` picks, against the fastest epoch measured;
 *  - the test ROC AUC of a mini-batch logistic-regression run (runTraining, 10 epochs of batch 512) on
 *    the fastest backend, against the generator's Bayes AUC.
 * Prints figures and ratios and writes .bench/train.json; never fails on time.
 * `--no-build` reuses the last build of the bench app.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.mjs';
import { startPreview } from './preview.mjs';
import { createDataset, FULL_ROWS } from '../../datasets/generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, '.bench');
const appConfig = 'tests/bench/train-app/vite.config.ts';
const appDist = join(out, 'train-app');
const PORT = 4180;
/**
 * Per (backend, model), when an epoch of the slower of ours and fit would take
 * longer than this, both are timed on the same first batches and extrapolated:
 * this keeps the whole bench to a few minutes on 2 cores.
 */
const OPTIONS = { epochBudgetMs: Number(process.env.BENCH_EPOCH_BUDGET_MS) || 8000, minBatches: 24, fitProbeBatches: 16 };
/** Not a time limit on the figures: only a stop for a hung browser. */
const WATCHDOG_MS = 30 * 60_000;
mkdirSync(out, { recursive: true });

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
}

const started = performance.now();
/** Other work on the machine skews every figure (2 cores): shown next to them. */
const loadBefore = loadavg()[0];
const csvPath = join(out, 'heart-full.csv');
if (!existsSync(csvPath)) run('node', ['datasets/generate.mjs', '--full', '--out', out]);
if (!process.argv.includes('--no-build') || !existsSync(join(appDist, 'index.html'))) {
  run('npx', ['vite', 'build', '--config', appConfig, '--logLevel', 'warn']);
}
// The quality reference: the expected AUC of the true p(x) that labelled this very file.
const reference = createDataset({ rows: FULL_ROWS, seed: 42 }).meta;

const preview = await startPreview(root, PORT, ['--config', appConfig]);
const base = preview.base;

const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const watchdog = setTimeout(() => {
  console.error(`training benchmark still running after ${WATCHDOG_MS / 60_000} minutes: stopping the browser`);
  void browser.close();
}, WATCHDOG_MS);
let r;
try {
  const page = await browser.newPage();
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('[bench] ')) console.error(`  … ${text.slice(8)}`);
    else if (m.type() === 'error' || m.type() === 'warning') console.error(`  [browser ${m.type()}] ${text}`);
  });
  page.on('pageerror', (e) => console.error(`  [page error] ${e.message}`));
  await page.goto(base);
  await page.locator('#csv').setInputFiles(csvPath);
  r = await page.evaluate((opts) => window.runBench(opts), OPTIONS);
} finally {
  clearTimeout(watchdog);
  await browser.close();
  preview.stop();
}
const totalMs = performance.now() - started;
const loadAfter = loadavg()[0];

// ---- figures -------------------------------------------------------------
const n = (x) => Math.round(x).toLocaleString('en-US');
const ms = (x) => `${n(x)} ms`;
const pad = (s, w) => String(s).padEnd(w);
const lpad = (s, w) => String(s).padStart(w);
const rowsPerSecond = (t) => (t ? r.trainRows / (t.ms / 1000) : null);

const combos = r.combos.map((c) => {
  const ratio = c.ours && c.fit ? c.fit.ms / c.ours.ms : null;
  return {
    ...c,
    oursRowsPerSecond: rowsPerSecond(c.ours),
    fitRowsPerSecond: rowsPerSecond(c.fit),
    fitOverOurs: ratio,
    goal: c.backend === 'webgpu' && ratio !== null ? { text: 'fit / ours >= 2', met: ratio >= 2 } : null,
  };
});

/** Fastest measured (our loop) epoch per model, and what auto picked against it. */
const autos = r.auto.map((a) => {
  const timed = combos.filter((c) => c.model === a.model && c.ours);
  const fastest = timed.reduce((best, c) => (!best || c.ours.ms < best.ours.ms ? c : best), null);
  const picked = timed.find((c) => c.backend === a.used);
  const ratio = fastest && picked ? picked.ours.ms / fastest.ours.ms : null;
  return { ...a, fastest: fastest?.backend ?? null, pickedEpochMs: picked?.ours.ms ?? null, fastestEpochMs: fastest?.ours.ms ?? null, ratio, met: ratio !== null && ratio <= 1.1 };
});

const q = r.quality;
const gap = q?.testAuc != null ? reference.bayesAuc - q.testAuc : null;

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`;
const fullBatches = Math.ceil(r.trainRows / r.batchSize);
const anyExtrapolated = combos.some((c) => c.ours?.extrapolated || c.fit?.extrapolated);
const lines = [
  `Training benchmark: ${n(r.rows)} rows (train ${n(r.trainRows)} / validation ${n(r.validationRows)} / test ${n(r.testRows)}), ${r.features} features -> ${r.inputs} inputs, batch ${r.batchSize} (${fullBatches} batches per epoch)`,
  `machine: ${machine}; TF.js ${r.tfjsVersion} in a module worker${r.adapter ? `; WebGPU adapter: ${[r.adapter.vendor, r.adapter.architecture, r.adapter.description].filter(Boolean).join(' ') || 'unnamed'}` : ''}`,
  `  import (importCsv) ${ms(r.importMs)}; decode + prepare ${ms(r.prepareMs)}`,
  `  one warm epoch (2nd of 2) over the training split, our loop vs Keras-style model.fit (Adam 0.01, shuffle):`,
  `    ${pad('backend', 8)}${pad('model', 8)}${lpad('ours', 11)} ${lpad('rows/s', 10)}${lpad('fit', 12)} ${lpad('rows/s', 10)}${lpad('fit/ours', 10)}`,
];
for (const b of r.backends) {
  if (!b.started) {
    lines.push(`    ${pad(b.backend, 8)}skipped: ${b.reason}`);
    continue;
  }
  for (const c of combos.filter((x) => x.backend === b.backend)) {
    if (c.error) {
      lines.push(`    ${pad(c.backend, 8)}${pad(c.model, 8)}failed: ${c.error}`);
      continue;
    }
    const star = (t) => (t.extrapolated ? '*' : ' ');
    lines.push(
      `    ${pad(c.backend, 8)}${pad(c.model, 8)}${lpad(ms(c.ours.ms), 11)}${star(c.ours)}${lpad(n(c.oursRowsPerSecond), 10)}` +
        `${lpad(ms(c.fit.ms), 12)}${star(c.fit)}${lpad(n(c.fitRowsPerSecond), 10)}${lpad(`${c.fitOverOurs.toFixed(2)}x`, 10)}` +
        (c.goal ? `  (goal on webgpu >= 2x: ${c.goal.met ? 'met' : 'NOT met'})` : ''),
    );
  }
}
if (anyExtrapolated) {
  const shortened = combos.filter((c) => c.ours?.extrapolated).map((c) => `${c.backend} ${c.model} ${c.ours.batches}`);
  lines.push(`    * timed on the first batches only (${shortened.join(', ')} of ${fullBatches}) and extrapolated to the whole split; ours and fit on the same batches`);
}
for (const a of autos) {
  const per = a.measurements.map((m) => `${m.backend} ${m.msPerStep === null ? 'n/a' : m.msPerStep.toFixed(2)}`).join(', ');
  lines.push(
    a.used === null
      ? `  auto (${a.model}): failed: ${a.reason}`
      : `  auto (${pad(`${a.model})`, 7)} picked ${pad(a.used, 6)} fastest epoch ${a.fastest ?? 'n/a'}; picked / fastest epoch ${a.ratio === null ? 'n/a' : a.ratio.toFixed(2)}  (goal <= 1.10: ${a.met ? 'met' : 'NOT met'}; ms/step ${per}; chose in ${ms(a.ms)})`,
  );
}
if (!q) lines.push('  quality: not run (no backend could train the linear model)');
else if (q.testAuc === null) lines.push(`  quality: logistic regression on ${q.backend} ${q.status}: ${q.message}`);
else {
  lines.push(
    `  logistic regression, runTraining mini-batch on ${q.backend} (up to 10 epochs of batch 512, early stopping on val loss, patience 3): ${q.epochs} epochs, best ${q.bestEpoch}${q.stoppedEarly ? ', stopped early' : ''}, ${ms(q.durationMs)}`,
    `    test ROC AUC ${q.testAuc.toFixed(4)}  vs Bayes AUC of the true p(x) ${reference.bayesAuc.toFixed(4)}: gap (Bayes - test) ${gap.toFixed(4)}  (goal within 0.01: ${Math.abs(gap) <= 0.01 ? 'met' : 'NOT met'})`,
  );
}
if (r.smote) {
  const sm = r.smote;
  lines.push(
    `  SMOTE-NC on the training split: ${sm.minorityRows.toLocaleString('en-US')} minority rows -> ${sm.syntheticRows.toLocaleString('en-US')} synthetic, ${sm.cols} inputs (${sm.categoricalBlocks} one-hot blocks): ${ms(sm.ms)}  (reference: imbalanced-learn's SMOTETomek reported at 63-76 s on 30k x 63)`,
  );
}
lines.push(
  `  bench wall time ${(totalMs / 1000).toFixed(0)} s (build, import, all backends, auto, quality); 1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (${cpus().length} cores)`,
);
console.log(lines.join('\n'));
writeFileSync(
  join(out, 'train.json'),
  JSON.stringify({ machine, loadAverage: { before: loadBefore, after: loadAfter }, options: OPTIONS, ...r, combos, auto: autos, quality: q && { ...q, bayesAuc: reference.bayesAuc, gap, met: gap !== null && Math.abs(gap) <= 0.01 }, totalMs }, null, 2),
);
