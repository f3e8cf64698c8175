#!/usr/bin/env node
/**
 * Drift and bundle benchmark (`node tests/bench/drift.mjs [--no-build]`, or
 * `node tests/bench/run.mjs --only drift`). In headless Chromium, through the
 * real UI:
 *  1. a dataset cell imports .bench/heart-full.csv (319,795 rows); a drift cell
 *     takes it as "Reference data" and .bench/heart-full-new-batch.csv (the
 *     same size, four features shifted) through "Choose new CSV";
 *  2. "Check drift", timed from the click to the frame showing the summary
 *     (`drift-summary`), with the worker's own time (the stored report's `ms`)
 *     and the longest main-thread task; then "Check drift" again, which reuses
 *     the reference's statistics kept in the worker; then once more with the
 *     reference and the new data swapped (fresh statistics, warm worker).
 *     The printed ratio is fresh / reused. Evidently's figure is a reference only;
 *  3. the 2 x 64 MLP of the training benchmark, trained (wasm, 2 epochs) on the
 *     20,000-row sample: "Export bundle" timed to the download, then in a fresh
 *     browser context "Import model bundle" timed to the imported version's page,
 *     each with the longest main-thread task.
 * Prints figures against the goals (check under 1 s, no task over 50 ms) and
 * never fails on time; exits non-zero, naming it, when an element of the UI is
 * not there. Builds into .bench/drift-dist (`--no-build` reuses it) and serves
 * that on port 4183; writes .bench/drift.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.mjs';
import { startPreview } from './preview.mjs';
import { Missing, SLOW, TIMEOUT, need, openApp, timed } from './ui.mjs';
import { SHIFTED_FEATURES } from '../../datasets/generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, '.bench');
const PORT = 4183;
/** The whole benchmark gives up after this long rather than hang. */
const WATCHDOG_MS = 20 * 60_000;
/** Evidently, as reported in the issue: a reference, not measured here. */
const EVIDENTLY = { seconds: 180, columns: 50, rows: 356_000 };
const MODEL_NAME = 'bench-mlp';
/** Checks timed with the reference's statistics reused (the median is reported). */
const REUSED_REPEATS = 3;
mkdirSync(out, { recursive: true });

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
}

const loadBefore = loadavg()[0];
const samplePath = join(out, 'heart-full.csv');
const batchPath = join(out, 'heart-full-new-batch.csv');
const haveSample = existsSync(samplePath);
const haveBatch = existsSync(batchPath);
if (!haveSample || !haveBatch) {
  const only = haveSample ? ['--only', 'batch'] : haveBatch ? ['--only', 'sample'] : [];
  run('node', ['datasets/generate.mjs', '--full', ...only, '--out', out]);
}

// Its own build folder, so a benchmark run does not swap dist/ under e2e tests running beside it.
const appDist = join(out, 'drift-dist');
if (!process.argv.includes('--no-build') || !existsSync(join(appDist, 'index.html'))) {
  run('npx', ['vite', 'build', '--outDir', appDist, '--emptyOutDir', '--logLevel', 'warn']);
}

const preview = await startPreview(root, PORT, ['--outDir', appDist]);
let browser = null;
const watchdog = setTimeout(() => {
  console.error(`drift benchmark: gave up after ${WATCHDOG_MS / 60_000} minutes`);
  preview.stop();
  void Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 5000))]).finally(() => process.exit(1));
}, WATCHDOG_MS);
watchdog.unref();

const median = (xs) => {
  const v = [...xs].sort((x, y) => x - y);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** The newest stored drift report (the worker's `ms` is kept with it). */
async function newestDriftReport(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('labbook');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('driftReports')) {
            db.close();
            resolve(null);
            return;
          }
          const req = db.transaction('driftReports', 'readonly').objectStore('driftReports').getAll();
          req.onsuccess = () => {
            db.close();
            const r = req.result.sort((a, b) => b.createdAt - a.createdAt)[0];
            resolve(r ? { id: r.id, ms: r.ms, referenceReused: r.referenceReused, drifted: r.result.drifted, tested: r.result.tested, summary: r.summary } : null);
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

/** What the drift cell shows: the summary, the seconds line, the drifted features (most drifted first). */
async function driftShown(cell) {
  const summary = await cell.getByTestId('drift-summary').innerText();
  const line = await cell.getByTestId('drift-summary').locator('xpath=following-sibling::div[1]').innerText();
  const seconds = Number(/(\d+(?:\.\d+)?) s\b/.exec(line)?.[1] ?? NaN);
  const rows = await cell.locator('tr[data-feature]').evaluateAll((trs) =>
    trs.map((tr) => ({ column: tr.getAttribute('data-feature'), drifted: tr.querySelector('[data-testid=drift-verdict]')?.textContent?.trim() === 'drifted' })),
  );
  if (rows.length === 0) throw new Missing('the rows of the table "Feature drift…" (tr[data-feature]) in the drift cell');
  return { summary, seconds, reusedShown: line.includes('were reused'), features: rows.length, withLabel: rows.some((r) => r.column === 'HeartDisease'), drifted: rows.filter((r) => r.drifted).map((r) => r.column) };
}

/** Picks the option whose text starts with `prefix` in a select. */
async function selectStartingWith(select, prefix, what) {
  await need(select, what);
  const value = await select.locator('option').evaluateAll((os, p) => os.find((o) => o.textContent.trim().startsWith(p))?.value ?? null, prefix);
  if (value === null) throw new Missing(`an option starting "${prefix}" in ${what}`);
  await select.selectOption(value);
}

const results = { rows: null, drift: {}, bundle: {} };
const errorsSeen = [];
let missing = null;
browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const chromiumVersion = browser.version();
try {
  // ---- 1. the two full files, through the UI ----
  const app = await openApp(browser, preview.base);
  const { page } = app;
  try {
    await (await need(page.getByRole('button', { name: '+ Dataset cell' }), 'the button "+ Dataset cell"')).click();
    const dataCell = await need(page.getByRole('region', { name: /^Cell 1: / }), 'the region "Cell 1: …" (the dataset cell)');
    const chooseCsv = await need(dataCell.getByLabel('Choose CSV file'), 'the file input "Choose CSV file" in the dataset cell');
    results.importSample = await timed(page, {
      trigger: () => chooseCsv.setInputFiles(samplePath),
      event: 'change',
      condition: (t) => [...document.querySelectorAll('[role=status]')].some((el) => el.textContent.includes(t)) && performance.now(),
      arg: 'Stored as version 1 of "heart-full"',
      what: 'the status "Stored as version 1 of "heart-full"" in the dataset cell',
    });
    results.rows = Number((await dataCell.getByTestId('row-count').innerText()).replace(/,/g, ''));

    await (await need(page.getByRole('button', { name: '+ Drift cell' }), 'the button "+ Drift cell"')).click();
    const cell = await need(page.getByRole('region', { name: /^Cell 2: / }), 'the region "Cell 2: …" (the drift cell)');
    await selectStartingWith(cell.getByLabel('Reference data', { exact: true }), 'heart-full v1', 'the select "Reference data" in the drift cell');
    const chooseNew = await need(cell.getByLabel('Choose new CSV'), 'the file input "Choose new CSV" in the drift cell');
    results.importBatch = await timed(page, {
      trigger: () => chooseNew.setInputFiles(batchPath),
      event: 'change',
      condition: (t) => [...document.querySelectorAll('[role=status]')].some((el) => el.textContent.includes(t)) && performance.now(),
      arg: 'Stored as version 1 of "heart-full-new-batch"',
      what: 'the status "Stored as version 1 of "heart-full-new-batch"" in the drift cell',
    });
    results.batchRows = Number(/^heart-full-new-batch v1 \(([\d,]+) rows/.exec(await cell.getByLabel('New data', { exact: true }).locator('option:checked').innerText())?.[1]?.replace(/,/g, '') ?? NaN);

    // ---- 2. Check drift: fresh, then reused, then fresh again with a warm worker ----
    const checkButton = await need(cell.getByRole('button', { name: 'Check drift' }), 'the button "Check drift" in the drift cell');
    // A check is over when the button, seen reading "Checking…" since the click, reads "Check drift"
    // again and the summary is shown: a repeated check may show the same summary as the one before.
    const armBusy = () =>
      page.evaluate(() => {
        const busy = () => [...document.querySelectorAll('button')].some((el) => el.textContent.trim() === 'Checking…');
        window.__sawBusy = false;
        window.__busyObserver?.disconnect();
        window.__busyObserver = new MutationObserver(() => {
          if (!window.__sawBusy && busy()) window.__sawBusy = true;
        });
        window.__busyObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
    const checkDone = (wantReused) => {
      const busy = [...document.querySelectorAll('button')].some((el) => el.textContent.trim() === 'Checking…');
      const line = document.querySelector('[data-testid="drift-summary"] + .row .muted');
      return window.__sawBusy && !busy && line !== null && (!wantReused || line.textContent.includes('were reused')) && performance.now();
    };
    let lastReport = null;
    const check = async (label, { reused = false, repeat = 1, what }) => {
      const samples = [];
      for (let i = 0; i < repeat; i++) {
        await armBusy();
        const p = await timed(page, { trigger: () => checkButton.click(), event: 'click', condition: checkDone, arg: reused, what });
        const shown = await driftShown(cell);
        const stored = await newestDriftReport(page);
        if (!stored || stored.id === lastReport) throw new Missing('a new stored drift report (the IndexedDB store "driftReports") after "Check drift"');
        lastReport = stored.id;
        samples.push({ ...p, workerMs: stored.ms, referenceReused: stored.referenceReused, tested: stored.tested, ...shown });
      }
      const mid = (key) => median(samples.map((x) => x[key]));
      const worst = samples.reduce((w, x) => (x.longestTaskMs > w.longestTaskMs ? x : w), samples[0]);
      results.drift[label] = { ...samples.at(-1), ms: mid('ms'), workerMs: mid('workerMs'), longestTaskMs: worst.longestTaskMs, longTasks: Math.max(...samples.map((x) => x.longTasks)), repeats: repeat, samples };
    };
    await check('fresh', { what: 'the drift summary (data-testid="drift-summary") and its line with the seconds' });
    if (results.drift.fresh.reusedShown || results.drift.fresh.referenceReused) throw new Error('the first check says the reference’s statistics were reused: the benchmark expects a fresh worker');
    await check('reused', {
      reused: true,
      repeat: REUSED_REPEATS,
      what: 'the line "…; the reference’s statistics were reused from an earlier check" after another "Check drift"',
    });
    // Swapped: the batch becomes the reference (not summarised yet), the full sample the new data.
    await selectStartingWith(cell.getByLabel('Reference data', { exact: true }), 'heart-full-new-batch v1', 'the select "Reference data" in the drift cell');
    await selectStartingWith(cell.getByLabel('New data', { exact: true }), 'heart-full v1', 'the select "New data" in the drift cell');
    try {
      await cell.getByTestId('drift-summary').waitFor({ state: 'hidden', timeout: TIMEOUT });
    } catch {
      throw new Error('the drift summary stayed on screen after the reference and the new data changed');
    }
    await check('swapped', { what: 'the drift summary after checking with the reference and the new data swapped' });
    if (results.drift.swapped.referenceReused) throw new Error('the check with the reference and the new data swapped reused statistics: the benchmark expects fresh ones');
  } finally {
    errorsSeen.push(...app.errors.map((e) => `[drift] ${e}`));
    await app.context.close();
  }

  // ---- 3. the bundle of a 2 x 64 MLP ----
  const trainer = await openApp(browser, preview.base);
  let bundlePath = null;
  let bundleName = null;
  try {
    const p = trainer.page;
    await (await need(p.getByRole('button', { name: '+ Dataset cell' }), 'the button "+ Dataset cell"')).click();
    const data = await need(p.getByRole('region', { name: /^Cell 1: / }), 'the region "Cell 1: …" (the dataset cell)');
    await (await need(data.getByRole('button', { name: 'Open sample dataset' }), 'the button "Open sample dataset"')).click();
    await need(data.getByRole('status').filter({ hasText: 'Stored as version 1 of' }), 'the status "Stored as version 1 of "heart-sample"" after "Open sample dataset"', SLOW);
    await (await need(p.getByRole('button', { name: '+ Train cell' }), 'the button "+ Train cell"')).click();
    const train = await need(p.getByRole('region', { name: /^Cell 2: / }), 'the region "Cell 2: …" (the train cell)');
    await (await need(train.getByLabel('Model', { exact: true }), 'the select "Model" in the train cell')).selectOption('mlp');
    await (await need(train.getByLabel('Hidden layers (units, comma-separated)', { exact: true }), 'the input "Hidden layers (units, comma-separated)"')).fill('64, 64');
    await (await need(train.getByLabel('Backend'), 'the select "Backend" in the train cell')).selectOption('wasm');
    await (await need(train.getByLabel('Epochs', { exact: true }), 'the input "Epochs" in the train cell')).fill('2');
    await (await need(train.getByLabel('Model name'), 'the input "Model name" in the train cell')).fill(MODEL_NAME);
    const trainButton = await need(train.getByRole('button', { name: 'Train model' }), 'the button "Train model"');
    results.bundle.train = await timed(p, {
      trigger: () => trainButton.click(),
      event: 'click',
      condition: () => ['completed', 'failed', 'interrupted', 'cancelled'].includes((document.querySelector('[data-testid="run-status"]')?.textContent ?? '').trim().toLowerCase()) && performance.now(),
      what: 'the run status (data-testid="run-status") at the end of training',
    });
    results.bundle.train.status = ((await train.getByTestId('run-status').textContent()) ?? '').trim().toLowerCase();
    if (results.bundle.train.status !== 'completed') throw new Error(`the training run ended "${results.bundle.train.status}", not "completed"`);
    await (await need(train.getByRole('button', { name: `${MODEL_NAME} v1` }), `the button "${MODEL_NAME} v1" (the run's model version) in the train cell`)).click();
    await need(p.getByRole('heading', { level: 1, name: `${MODEL_NAME} v1` }), `the model version page (heading "${MODEL_NAME} v1")`);
    const exportButton = await need(p.getByRole('button', { name: 'Export bundle' }), 'the button "Export bundle" on the model version page');
    const download = p.waitForEvent('download', { timeout: SLOW });
    let clickedAt = 0;
    const exported = await timed(p, {
      trigger: async () => {
        clickedAt = performance.now();
        await exportButton.click();
      },
      event: 'click',
      condition: () => document.querySelector('[data-testid="bundle-exported"]') !== null && performance.now(),
      what: 'the status "Exported … .zip" (data-testid="bundle-exported")',
    });
    let file;
    try {
      file = await download;
    } catch {
      throw new Missing('the download of the bundle after "Export bundle"');
    }
    const downloadedAt = performance.now();
    bundlePath = await file.path();
    bundleName = file.suggestedFilename();
    results.bundle.export = { ...exported, nodeClickToDownloadMs: downloadedAt - clickedAt, fileName: bundleName, bytes: statSync(bundlePath).size };
    // Copied out: the download's temporary file goes with its context.
    const kept = join(out, 'drift-bundle.zip');
    execFileSync('cp', [bundlePath, kept]);
    bundlePath = kept;
  } finally {
    errorsSeen.push(...trainer.errors.map((e) => `[bundle export] ${e}`));
    await trainer.context.close();
  }

  const importer = await openApp(browser, preview.base);
  try {
    const p = importer.page;
    await (await need(p.getByRole('navigation', { name: 'Side bar' }).getByRole('button', { name: /^Models \(\d+\)$/ }), 'the side bar button "Models (N)"')).click();
    await need(p.getByRole('heading', { level: 1, name: 'Models' }), 'the Models page (heading "Models")');
    const input = await need(p.getByLabel('Import model bundle'), 'the file input "Import model bundle" on the Models page');
    results.bundle.import = await timed(p, {
      trigger: () => input.setInputFiles(bundlePath),
      event: 'change',
      condition: (name) =>
        [...document.querySelectorAll('h1')].some((h) => h.textContent.trim() === name) &&
        (document.querySelector('[data-testid="imported-note"]')?.textContent ?? '').includes('Imported from a bundle on') &&
        performance.now(),
      arg: `${MODEL_NAME} v1`,
      what: `the imported version’s page (heading "${MODEL_NAME} v1" and "Imported from a bundle on")`,
    });
  } finally {
    errorsSeen.push(...importer.errors.map((e) => `[bundle import] ${e}`));
    await importer.context.close();
  }
} catch (err) {
  if (!(err instanceof Missing)) throw err;
  missing = err.message;
} finally {
  clearTimeout(watchdog);
  await browser.close().catch(() => {});
  preview.stop();
}

// ---- report ----
const ms = (v) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${v.toFixed(0)} ms`);
const met = (ok) => (ok ? 'met' : 'NOT met');
const tasks = (p) => `${p.longestTaskMs > 0 ? `longest main-thread task ${p.longestTaskMs.toFixed(0)} ms` : 'no main-thread task over 50 ms'} (${p.longTasks} long tasks; goal < 50 ms: ${met(p.longestTaskMs <= 50)})`;
const count = (n) => (n === null || n === undefined || Number.isNaN(n) ? '?' : n.toLocaleString('en-US'));
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Chromium ${chromiumVersion}, load ${loadBefore.toFixed(2)}`;
const lines = [
  `Drift benchmark: ${basenameOf(samplePath)} (${count(results.rows)} rows, ${mb(statSync(samplePath).size)}) against ${basenameOf(batchPath)} (${count(results.batchRows)} rows, ${mb(statSync(batchPath).size)})`,
  `machine: ${machine}`,
];
if (results.importSample) lines.push(`  setup: import of the reference ${ms(results.importSample.ms)}, of the new batch ("Choose new CSV") ${ms(results.importBatch?.ms)}`);
const d = results.drift;
const checkLines = (label, r, goal) => {
  if (!r) return;
  lines.push(
    `  ${label}`,
    `    click -> summary shown       ${ms(r.ms).padStart(9)}${goal ? `  (goal < 1 s: ${met(r.ms < 1000)})` : ''}`,
    `    in the worker (report.ms)    ${ms(r.workerMs).padStart(9)}  (the cell shows ${r.samples.map((x) => (Number.isNaN(x.seconds) ? '?' : `${x.seconds.toFixed(2)} s`)).join(', ')}; reference statistics ${r.referenceReused ? 'reused' : 'computed'})`,
    `    ${tasks(r)}`,
    `    ${r.drifted.length} of ${r.features} columns drifted${r.withLabel ? ` (${r.features - 1} features and the label HeartDisease tested)` : ''}: ${r.drifted.join(', ') || 'none'}  (${sameSet(r.drifted, SHIFTED_FEATURES) ? 'exactly the generator’s shifted features' : `NOT the generator’s shifted features ${SHIFTED_FEATURES.join(', ')}`})`,
  );
};
checkLines('Check drift, fresh reference statistics (first check, cold worker)', d.fresh, true);
checkLines(`Check drift again, reference statistics reused (the cell says so; times: median of ${REUSED_REPEATS}, long tasks: the worst)`, d.reused, false);
checkLines('Check drift with the reference and the new data swapped (fresh statistics, warm worker)', d.swapped, false);
if (d.fresh && d.reused) {
  lines.push(
    `  ratio fresh / reused (the baseline: the same check without and with the reference summarised)`,
    `    click -> summary  ${(d.fresh.ms / d.reused.ms).toFixed(2)}×   worker ${(d.fresh.workerMs / d.reused.workerMs).toFixed(2)}×${d.swapped ? `   (warm fresh / reused: worker ${(d.swapped.workerMs / d.reused.workerMs).toFixed(2)}×)` : ''}`,
  );
}
lines.push(`  reference only, not measured here: Evidently was reported at ${EVIDENTLY.seconds / 60} minutes for ${EVIDENTLY.columns} columns of ${count(EVIDENTLY.rows)} rows`);
const b = results.bundle;
if (b.train) lines.push(`  bundle: ${MODEL_NAME} (MLP 64, 64; wasm; 2 epochs) trained on the 20,000-row sample in ${ms(b.train.ms)}`);
if (b.export) {
  lines.push(
    `    Export bundle: click -> "Exported" shown ${ms(b.export.ms)}, click -> download event ${ms(b.export.nodeClickToDownloadMs)} (from Node); ${b.export.fileName}, ${count(b.export.bytes)} bytes`,
    `      ${tasks(b.export)}`,
  );
}
if (b.import) lines.push(`    Import model bundle (fresh browser context): file chosen -> imported version page ${ms(b.import.ms)}`, `      ${tasks(b.import)}`);
const counts = new Map();
for (const e of errorsSeen) counts.set(e, (counts.get(e) ?? 0) + 1);
lines.push(counts.size === 0 ? '  console errors: none' : `  console errors (${errorsSeen.length}):`);
for (const [e, n] of counts) lines.push(`    ${n > 1 ? `${n} × ` : ''}${e.slice(0, 300)}`);
if (missing) lines.push(`NOT MEASURED: missing from the UI: ${missing}.`);
console.log(lines.join('\n'));
writeFileSync(join(out, 'drift.json'), JSON.stringify({ machine, ...results, consoleErrors: errorsSeen, missing }, null, 2));
process.exit(missing ? 1 : 0);

function sameSet(a, b) {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function basenameOf(p) {
  return p.split('/').at(-1);
}
