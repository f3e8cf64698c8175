#!/usr/bin/env node
/**
 * Convergence benchmark (`node tests/bench/run.mjs --only converge`).
 * Builds its own bench app (tests/bench/converge-app), serves it with
 * `vite preview` and, in one headless Chromium run, inside one module worker,
 * on .bench/heart-full.csv (target HeartDisease, binary, default features):
 *  - the default logistic regression (runTraining, solver 'exact': fitted to
 *    convergence) on wasm and on webgpu: fit time, iterations, final gradient,
 *    converged or not, final objective, test ROC AUC;
 *  - the same objective solved at tol 1e-9 (maxIter 100) on the same prepared
 *    training split: how far the default fit's objective is from the optimum
 *    (objectives summed in float64 at the saved weights); and the solver alone
 *    at the default tol, to show what the run's per-iteration scoring costs;
 *  - the former default side by side: mini-batch Adam 0.01, 10 epochs of
 *    batch 512, early stopping with patience 3, on wasm;
 *  - a default MLP (automatic budget, early stopping, time budget) on wasm.
 * Prints figures and ratios and writes .bench/converge.json; never fails on time.
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
const appConfig = 'tests/bench/converge-app/vite.config.ts';
const appDist = join(out, 'converge-app');
const PORT = 4186;
/** The goal, in the brief's words: converged fit within this on wasm (2 cores), AUC at least the former default's. */
const GOAL_MS = 3000;
/** Not a time limit on the figures: only a stop for a hung browser. */
const WATCHDOG_MS = 40 * 60_000;
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
// Context for the AUCs: the expected AUC of the true p(x) that labelled this very file.
const bayesAuc = createDataset({ rows: FULL_ROWS, seed: 42 }).meta.bayesAuc;

const preview = await startPreview(root, PORT, ['--config', appConfig]);
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const watchdog = setTimeout(() => {
  console.error(`convergence benchmark still running after ${WATCHDOG_MS / 60_000} minutes: stopping the browser`);
  void browser.close();
}, WATCHDOG_MS);
/** The machine is shared: the 1-min load average, sampled through the run. */
const loadSamples = [];
const sampler = setInterval(() => loadSamples.push(loadavg()[0]), 5_000);
let r;
try {
  const page = await browser.newPage();
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('[bench] ')) console.error(`  … ${text.slice(8)}`);
    else if (m.type() === 'error' || m.type() === 'warning') console.error(`  [browser ${m.type()}] ${text}`);
  });
  page.on('pageerror', (e) => console.error(`  [page error] ${e.message}`));
  await page.goto(preview.base);
  await page.locator('#csv').setInputFiles(csvPath);
  r = await page.evaluate(() => window.runConvergeBench());
} finally {
  clearTimeout(watchdog);
  clearInterval(sampler);
  await browser.close();
  preview.stop();
}
const totalMs = performance.now() - started;
const loadAfter = loadavg()[0];

// ---- figures -------------------------------------------------------------
const n = (x) => Math.round(x).toLocaleString('en-US');
const ms = (x) => (x === null || x === undefined ? 'n/a' : `${n(x)} ms`);
const auc = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(4));
const signed = (x, digits) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
const ok = (run) => run && run.status === 'completed' && run.used === run.requested;

const ref = 'error' in r.reference ? null : r.reference.optimum;
const alone = 'error' in r.reference ? null : r.reference.solverAlone;
/** A run's objective (float64, at its saved weights) against the optimum: (run - optimum) / |optimum|. */
const gapOf = (run) => (ok(run) && run.objective64 !== null && ref ? (run.objective64 - ref.objective64) / Math.abs(ref.objective64) : null);

const wasm = r.exact.wasm;
const mb = r.minibatch;
const timeRatio = ok(wasm) && ok(mb) && wasm.fitMs !== null && mb.fitMs !== null ? wasm.fitMs / mb.fitMs : null;
const totalRatio = ok(wasm) && ok(mb) ? wasm.durationMs / mb.durationMs : null;
const aucDiff = ok(wasm) && ok(mb) && wasm.testAuc !== null && mb.testAuc !== null ? wasm.testAuc - mb.testAuc : null;
const goal = {
  text: `converged within ${GOAL_MS / 1000} s on wasm on the 2-core machine, test AUC at least the 10-epoch mini-batch default's`,
  converged: ok(wasm) && wasm.solver?.converged === true,
  fast: ok(wasm) && wasm.fitMs !== null && wasm.fitMs <= GOAL_MS,
  auc: aucDiff !== null && aucDiff >= 0,
};
goal.met = goal.converged && goal.fast && goal.auc;

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`;
const d = r.defaults;

function exactLines(run) {
  if (!ok(run)) return [`    ${run.requested}: ${run.status === 'completed' ? `ran on ${run.used} instead (${run.message})` : `${run.status}: ${run.message}`}`];
  const s = run.solver;
  const gap = gapOf(run);
  return [
    `    ${run.requested.padEnd(7)}fit ${ms(run.fitMs)} (its ${run.epochs} iteration records sum to ${ms(run.epochsMs)}; whole run ${ms(run.durationMs)})`,
    `           ${s.method}, ${s.iterations} iterations, final gradient (max |g|) ${s.gradNorm.toExponential(2)}, converged ${s.converged ? 'yes' : 'NO'}; ` +
      `objective ${run.objective64 === null ? 'n/a' : run.objective64.toPrecision(10)} (solver's float32 figure ${s.loss.toPrecision(8)})${gap === null ? '' : `, ${gap.toExponential(2)} relative above the optimum`}; test ROC AUC ${auc(run.testAuc)}`,
  ];
}

const lines = [
  `Convergence benchmark: ${n(r.rows)} rows (train ${n(r.trainRows)} / validation ${n(r.validationRows)} / test ${n(r.testRows)}), ${r.features} features -> ${r.inputs} inputs, target HeartDisease (binary)`,
  `machine: ${machine}; TF.js ${r.tfjsVersion} in a module worker${r.exact.adapter ? `; WebGPU adapter: ${[r.exact.adapter.vendor, r.exact.adapter.architecture, r.exact.adapter.description].filter(Boolean).join(' ') || 'unnamed'}` : ''}`,
  `  import (importCsv) ${ms(r.importMs)}; decode + prepare ${ms(r.prepareMs)}`,
  `  logistic regression, runTraining defaults (solver ${d.solver}, C ${d.C}, tol ${d.tol}, maxIter ${d.maxIter}); fit = 'training' stage to 'evaluating' stage:`,
  ...exactLines(wasm),
  ...(r.exact.webgpu ? exactLines(r.exact.webgpu) : [`    webgpu skipped: ${r.exact.webgpuSkipped}`]),
  ...(ref
    ? [
        `  reference optimum: solveLinear on the same training split (${n(ref.trainRows)} rows${ok(wasm) && wasm.trainRows !== ref.trainRows ? `, BUT the run trained on ${n(wasm.trainRows)}` : ''}), ${ref.backend}, tol ${ref.tol}, maxIter ${ref.maxIter}: ${ref.method}, ${ref.iterations} iterations, ` +
          `max |g| ${ref.gradNorm.toExponential(2)}, converged ${ref.converged ? 'yes' : 'no'}, objective ${ref.objective64.toPrecision(10)} (float64 sum at its weights; solver's float32 figure ${ref.loss.toPrecision(8)}), ${ms(ref.ms)}`,
        ...[wasm, r.exact.webgpu, mb]
          .filter((x) => x && gapOf(x) !== null)
          .map((x) => `    ${x === mb ? 'former mini-batch default' : `default fit on ${x.requested}`}: objective - optimum = ${(x.objective64 - ref.objective64).toExponential(2)} (relative ${gapOf(x).toExponential(2)})`),
        `  the solver alone at the default tol ${alone.tol} (solveLinear, no per-iteration scoring), ${alone.backend}: ${alone.iterations} iterations, ${ms(alone.ms)}, converged ${alone.converged ? 'yes' : 'no'}; ` +
          `the run's fit on wasm took ${ms(wasm.fitMs)}${ok(wasm) && wasm.fitMs !== null ? ` (${(wasm.fitMs / alone.ms).toFixed(2)}x${wasm.fitMs > 1.1 * alone.ms ? ": the rest is fit-exact's per-iteration train/validation scoring and yields" : ': the same within run-to-run noise'})` : ''}`,
      ]
    : [`  reference optimum: failed: ${r.reference.error}`]),
  ok(mb)
    ? `  former default on wasm (mini-batch Adam 0.01, ${mb.config.epochs} epochs of batch ${mb.config.batchSize}, early stopping patience ${mb.config.patience}): fit ${ms(mb.fitMs)} (whole run ${ms(mb.durationMs)}), ` +
      `${mb.epochs} epochs, best ${mb.bestEpoch}${mb.stoppedEarly ? ', stopped early' : ''}; test ROC AUC ${auc(mb.testAuc)}`
    : `  former default on wasm: ${mb.status}: ${mb.message}`,
  `    exact / mini-batch: fit time ${timeRatio === null ? 'n/a' : `${timeRatio.toFixed(2)}x`}, whole run ${totalRatio === null ? 'n/a' : `${totalRatio.toFixed(2)}x`}; test AUC difference (exact - mini-batch) ${aucDiff === null ? 'n/a' : signed(aucDiff, 5)}`,
];
const mlp = r.mlp;
lines.push(
  ok(mlp)
    ? `  MLP ${JSON.stringify(mlp.config.hiddenUnits)} defaults on wasm (automatic budget: batch ${mlp.budget.batchSize}, up to ${mlp.budget.epochs} epochs = ${n(mlp.budget.steps)} steps; patience ${d.patience}; time budget ${d.maxMinutes} min): ` +
      `fit ${ms(mlp.fitMs)} (whole run ${ms(mlp.durationMs)}), ${mlp.epochs} epochs, best ${mlp.bestEpoch}, ` +
      `${mlp.stoppedEarly ? 'stopped early' : mlp.stoppedByTime ? 'stopped by the time budget' : 'ran every planned epoch'}; test ROC AUC ${auc(mlp.testAuc)}`
    : `  MLP defaults on wasm: ${mlp.status}: ${mlp.message}`,
  `  Bayes AUC of the true p(x) that labelled the file: ${bayesAuc.toFixed(4)}`,
  `  goal: ${goal.text}: ${goal.met ? 'met' : 'NOT met'} (converged ${goal.converged ? 'yes' : 'no'}; fit ${ms(wasm.fitMs)} ${goal.fast ? '<=' : '>'} ${n(GOAL_MS)} ms; AUC ${aucDiff === null ? 'n/a' : `${signed(aucDiff, 5)} ${goal.auc ? '>=' : '<'} 0`})`,
  `  bench wall time ${(totalMs / 1000).toFixed(0)} s (build, import, all runs); 1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, ${loadSamples.length ? `mean ${(loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length).toFixed(2)} / max ${Math.max(...loadSamples).toFixed(2)} during the browser run` : 'not sampled'} (${cpus().length} cores)`,
);
console.log(lines.join('\n'));
writeFileSync(
  join(out, 'converge.json'),
  JSON.stringify(
    {
      machine,
      loadAverage: { before: loadBefore, after: loadAfter, duringRun: loadSamples },
      bayesAuc,
      ...r,
      objectiveGap: { wasm: gapOf(wasm), webgpu: r.exact.webgpu ? gapOf(r.exact.webgpu) : null, minibatch: gapOf(mb) },
      ratios: { exactOverMinibatchFit: timeRatio, exactOverMinibatchRun: totalRatio, aucExactMinusMinibatch: aucDiff },
      goal,
      totalMs,
    },
    null,
    2,
  ),
);
