#!/usr/bin/env node
/**
 * Runs-table and comparison benchmark (`node tests/bench/compare.mjs [--no-build]`,
 * or `node tests/bench/run.mjs --only compare`). Seeds 1,000 synthetic stored
 * runs (tests/bench/synthetic-runs.mjs) into the app's IndexedDB in headless
 * Chromium, then times through the real UI:
 *   a. reload -> Runs page listing all 1,000 (and the same with no runs: the baseline),
 *   b. sorting by Average precision, and filtering by a search,
 *   c. selecting 10 runs -> their comparison (metrics table, parallel coordinates),
 *   d. selecting all 1,000 shown -> their parallel coordinates,
 * each with the longest main-thread task. Prints figures against the goals
 * (interactive in under 1 s, no task over 50 ms) and never fails on time; exits
 * non-zero, naming it, when an element of the UI is not there. Builds into
 * .bench/compare-dist (`--no-build` reuses it) and serves that on port 4181.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.mjs';
import { startPreview } from './preview.mjs';
import { longTasksBetween, observeLongTasks } from './longtasks.mjs';
import { NON_FINITE, runsToJson, storedParts, syntheticRuns } from './synthetic-runs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, '.bench');
const PORT = 4181;
const RUNS = 1000;
/** Reloads timed for the Runs page (the median is reported). */
const REPEATS = 3;
/** How long any element of the UI may take to appear before it counts as missing. */
const TIMEOUT = 30_000;
/** The whole benchmark gives up after this long rather than hang. */
const WATCHDOG_MS = 10 * 60_000;
mkdirSync(out, { recursive: true });

/** An element of the UI the benchmark needs is not there. */
class Missing extends Error {}

// Its own build folder, so a benchmark run does not swap dist/ under e2e tests running beside it.
const appDist = join(out, 'compare-dist');
if (!process.argv.includes('--no-build') || !existsSync(join(appDist, 'index.html'))) {
  execFileSync('npx', ['vite', 'build', '--outDir', appDist, '--emptyOutDir', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

const generated = performance.now();
const runs = syntheticRuns(RUNS, { seed: 20_250_602, datasetHash: 'c0ffee'.repeat(10) + 'beef' });
const chunks = [];
// Stored as the app stores them: a summary in `runs`, epochs and curves in `runDetails`.
for (let i = 0; i < runs.length; i += 100) chunks.push(runsToJson(runs.slice(i, i + 100).map(storedParts)));
const seedBytes = chunks.reduce((s, c) => s + c.length, 0);
const generateMs = performance.now() - generated;

const preview = await startPreview(root, PORT, ['--outDir', appDist]);
const watchdog = setTimeout(() => {
  console.error(`compare benchmark: gave up after ${WATCHDOG_MS / 60_000} minutes`);
  preview.stop();
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

/**
 * Page-side probes, installed before every document: accessible names and
 * roles (the subset the contract uses), the load marks (first level-1
 * heading; side bar showing "Runs (expectRuns)"), click / input times, and
 * waiters that check a condition once per animation frame, so a time is the
 * frame that shows the result rather than a polling interval.
 */
function probes({ expectRuns }) {
  const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const SELECTORS = {
    region: 'section, [role=region]',
    navigation: 'nav, [role=navigation]',
    table: 'table, [role=table]',
    img: 'img, svg, [role=img]',
    checkbox: 'input[type=checkbox], [role=checkbox]',
    button: 'button, input[type=button], [role=button]',
  };
  function accName(el) {
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) return norm(labelledBy.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    const label = el.getAttribute('aria-label');
    if (label && label.trim()) return norm(label);
    if (el.labels && el.labels.length > 0) return norm([...el.labels].map((l) => l.textContent).join(' '));
    const tag = el.tagName.toLowerCase();
    if (tag === 'table') return norm(el.querySelector(':scope > caption')?.textContent);
    if (tag === 'img') return norm(el.getAttribute('alt'));
    if (tag === 'svg') return norm(el.querySelector(':scope > title')?.textContent);
    if (tag === 'button' || el.getAttribute('role') === 'button' || el.getAttribute('role') === 'checkbox') return norm(el.textContent);
    return norm(el.getAttribute('title'));
  }
  const shown = (el) => el.getClientRects().length > 0 && !el.closest('[aria-hidden="true"]');
  /** Playwright's name rule: a string is a case-insensitive substring, a pattern is tested as is. */
  const matcher = (name) => {
    if (name.source !== undefined) {
      const re = new RegExp(name.source, name.flags);
      return (s) => re.test(s);
    }
    const want = norm(name.text).toLowerCase();
    return (s) => s.toLowerCase().includes(want);
  };
  function firstByRole(rootEl, role, name, also = () => true) {
    const test = matcher(name);
    for (const el of rootEl.querySelectorAll(SELECTORS[role])) {
      const explicit = el.getAttribute('role');
      if (explicit && explicit !== role) continue;
      if (shown(el) && test(accName(el)) && also(el)) return el;
    }
    return null;
  }
  /** The element whose whole text matches, looking only at text nodes that match `hint`. */
  function textFinder(name, hint) {
    const test = matcher(name);
    const quick = new RegExp(hint, 'i');
    let last = null;
    return () => {
      if (last && last.isConnected && shown(last) && test(norm(last.textContent))) return last;
      const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || !quick.test(n.data)) continue;
        if (test(norm(el.textContent)) && shown(el)) return (last = el);
      }
      return null;
    };
  }
  function firstRowKey(name) {
    const box = firstByRole(document, 'checkbox', name);
    if (!box) return null;
    const row = box.closest('tr, [role=row]');
    return `${accName(box)}\n${norm(row?.textContent)}`;
  }

  const bench = { accName, firstRowKey, marks: {}, events: [], pending: null, cancel: () => {} };
  for (const type of ['click', 'input']) {
    addEventListener(
      type,
      (e) => {
        const now = performance.now();
        bench.events.push({ type, at: e.timeStamp > 0 && e.timeStamp <= now ? e.timeStamp : now });
      },
      true,
    );
  }

  const mark = (key) => {
    if (bench.marks[key] === undefined) bench.marks[key] = performance.now();
  };
  const sideBarRuns = { source: `^Runs \\(${expectRuns}\\)$`, flags: '' };
  const loadFrame = () => {
    if (document.querySelector('h1, [role=heading][aria-level="1"]')) mark('heading');
    const nav = document.body && firstByRole(document, 'navigation', { text: 'Side bar' });
    if (nav && firstByRole(nav, 'button', sideBarRuns)) mark('runsListed');
    if ((bench.marks.heading === undefined || bench.marks.runsListed === undefined) && performance.now() < 60_000) requestAnimationFrame(loadFrame);
  };
  requestAnimationFrame(loadFrame);

  function check(spec) {
    switch (spec.kind) {
      case 'text': {
        const find = textFinder(spec.name, spec.hint);
        return () => {
          const el = find();
          // With `row`, the table's first row must be drawn too (the page is not usable before).
          if (el && spec.row && !firstByRole(document, 'checkbox', spec.row)) return null;
          return el ? { text: norm(el.textContent) } : null;
        };
      }
      case 'textChange': {
        const find = textFinder(spec.name, spec.hint);
        return () => {
          const el = find();
          const text = el && norm(el.textContent);
          return text && text !== spec.from ? { text } : null;
        };
      }
      case 'firstRowChange':
        return () => {
          const key = firstRowKey(spec.name);
          return key !== null && key !== spec.from ? { first: key.split('\n')[0] } : null;
        };
      case 'comparison':
        return () => {
          const region = firstByRole(
            document,
            'region',
            spec.region,
            (r) => (spec.table === null || firstByRole(r, 'table', spec.table) !== null) && firstByRole(r, 'img', spec.img) !== null,
          );
          return region ? { region: accName(region) } : null;
        };
      default:
        throw new Error(`unknown waiter ${spec.kind}`);
    }
  }

  /** Starts waiting for `spec`; `bench.pending` resolves at the first frame where it holds, or at the timeout. */
  bench.arm = (spec) => {
    const armedAt = performance.now();
    const test = check(spec);
    let cancelled = false;
    bench.cancel = () => {
      cancelled = true;
    };
    bench.pending = new Promise((resolve) => {
      const frame = () => {
        const now = performance.now();
        let detail = null;
        try {
          detail = test();
        } catch {
          detail = null;
        }
        if (detail || cancelled || now - armedAt > spec.timeout) {
          const start = bench.events.find((e) => e.type === spec.event && e.at >= armedAt);
          resolve({ ok: detail !== null, armedAt, start: start?.at ?? null, done: detail ? now : null, detail });
          return;
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    return armedAt;
  };
  window.__bench = bench;
}

const re = (source) => ({ source, flags: '' });
const countText = (shownCount, total) => re(`^${commaOptional(shownCount)} of ${commaOptional(total)} runs?$`);
/** "1000" or "1,000": the contract spells counts without a separator; a separator is accepted. */
function commaOptional(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',?');
}

async function clickOrMissing(locator, what) {
  try {
    await locator.click({ timeout: TIMEOUT });
  } catch (err) {
    if (err?.name === 'TimeoutError') throw new Missing(`${what} was not found (waited ${TIMEOUT / 1000} s)`);
    throw err;
  }
}

async function arm(page, spec) {
  return page.evaluate((s) => window.__bench.arm(s), { timeout: TIMEOUT, ...spec });
}

/**
 * The armed waiter's result. When it timed out, `fallback` (a Playwright locator)
 * tells a missing element (Missing, naming `what`) from a condition the
 * probes could not see (then timed coarsely, when Playwright sees it).
 */
async function settle(page, what, fallback) {
  const r = await page.evaluate(() => window.__bench.pending);
  if (r.ok) return { ...r, coarse: false };
  const seen = fallback ? await fallback.first().isVisible().catch(() => false) : false;
  if (!seen) throw new Missing(`${what} did not appear within ${TIMEOUT / 1000} s`);
  const now = await page.evaluate(() => performance.now());
  return { ...r, ok: true, done: now, coarse: true };
}

/** A timed phase: ms from the triggering event, and the long tasks over it. */
async function phase(page, r) {
  const start = r.start ?? r.armedAt;
  const tasks = await longTasksBetween(page, start, r.done);
  return { ms: r.done - start, fromNavigationMs: r.done, longestTaskMs: tasks.longest, longTasks: tasks.count, coarse: r.coarse, detail: r.detail };
}

async function countStoredRuns(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('labbook');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('runs')) {
            db.close();
            resolve(-1);
            return;
          }
          const req = db.transaction('runs', 'readonly').objectStore('runs').count();
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

/** Writes the runs into the app's 'runs' and 'runDetails' stores: sent as JSON in parts, stored in one readwrite transaction. */
async function seed(page) {
  const started = performance.now();
  await page.evaluate(() => {
    window.__seedRuns = [];
  });
  for (const text of chunks) {
    await page.evaluate(
      ([json, marker]) => {
        const revive = (_key, value) => (typeof value === 'string' && value.startsWith(marker) ? Number(value.slice(marker.length)) : value);
        window.__seedRuns.push(...JSON.parse(json, revive));
      },
      [text, NON_FINITE],
    );
  }
  const stored = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('labbook');
        open.onerror = () => reject(new Error(`indexedDB.open('labbook'): ${open.error}`));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('runs') || !db.objectStoreNames.contains('runDetails')) {
            db.close();
            reject(new Error(`the 'labbook' database (version ${db.version}) has no 'runs' or 'runDetails' store: did the app open it?`));
            return;
          }
          const tx = db.transaction(['runs', 'runDetails'], 'readwrite');
          for (const { summary, details } of window.__seedRuns) {
            tx.objectStore('runs').put(summary);
            tx.objectStore('runDetails').put(details);
          }
          tx.oncomplete = () => {
            const req = db.transaction('runs', 'readonly').objectStore('runs').count();
            req.onsuccess = () => {
              db.close();
              delete window.__seedRuns;
              resolve(req.result);
            };
          };
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error ?? new Error('the seeding transaction was aborted'));
        };
      }),
  );
  return { stored, ms: performance.now() - started };
}

/** A fresh browser context with the probes, the app opened once (so it creates its database), `count` runs seeded. */
async function openApp(browser, count) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await observeLongTasks(page);
  await page.addInitScript(probes, { expectRuns: count });
  await page.goto(preview.base);
  try {
    await page.getByRole('heading', { level: 1 }).waitFor({ timeout: TIMEOUT });
  } catch {
    throw new Missing('the app’s level-1 heading (the open notebook) did not appear on first load');
  }
  const seeded = count > 0 ? await seed(page) : { stored: await countStoredRuns(page), ms: 0 };
  if (seeded.stored !== count) throw new Error(`expected ${count} runs in IndexedDB after seeding, found ${seeded.stored}`);
  return { context, page, errors, seedMs: seeded.ms };
}

/** a. Reload, wait for the app, click "Runs (N)" in the side bar, until "N of N runs" shows and the first row is drawn. */
async function timeRunsPage(page, count) {
  await page.reload();
  try {
    await page.waitForFunction(() => document.querySelector('h1, [role=heading][aria-level="1"]'), null, { polling: 'raf', timeout: TIMEOUT });
  } catch {
    throw new Missing('the app’s level-1 heading did not appear after reload');
  }
  const sideBar = page.getByRole('navigation', { name: 'Side bar' });
  await arm(page, { kind: 'text', name: countText(count, count), hint: 'run', event: 'click', row: count > 0 ? re('^Select run ') : null });
  await clickOrMissing(sideBar.getByRole('button', { name: /^Runs \(\d[\d,]*\)$/ }), 'the button /^Runs \\(\\d+\\)$/ in the navigation named "Side bar"');
  const r = await settle(page, `the text "${count} of ${count} runs" on the Runs page`, page.getByText(new RegExp(countText(count, count).source)));
  const marks = await page.evaluate(() => window.__bench.marks);
  const p = await phase(page, r);
  const loadEnd = count > 0 ? marks.runsListed : marks.heading;
  const load = await longTasksBetween(page, 0, loadEnd ?? r.done);
  const listed = await sideBar.getByRole('button', { name: `Runs (${count})`, exact: true }).isVisible();
  if (!listed) throw new Error(`after reload the side bar does not show "Runs (${count})"`);
  return { ...p, headingMs: marks.heading ?? null, runsListedMs: marks.runsListed ?? null, loadLongestTaskMs: load.longest, loadLongTasks: load.count };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function summarize(samples) {
  const pickMedian = (key) => median(samples.map((s) => s[key]).filter((v) => v !== null && v !== undefined));
  const worst = (key) => Math.max(...samples.map((s) => s[key]));
  return {
    samples,
    fromNavigationMs: pickMedian('fromNavigationMs'),
    fromClickMs: pickMedian('ms'),
    headingMs: pickMedian('headingMs'),
    runsListedMs: pickMedian('runsListedMs'),
    longestTaskMs: worst('longestTaskMs'),
    longTasks: worst('longTasks'),
    loadLongestTaskMs: worst('loadLongestTaskMs'),
    loadLongTasks: worst('loadLongTasks'),
    coarse: samples.some((s) => s.coarse),
  };
}

const results = { runs: RUNS, seedBytes, generateMs, phases: {} };
const errorsSeen = [];
let missing = null;
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const chromiumVersion = browser.version();
try {
  // Baseline: the same flow with no runs.
  const empty = await openApp(browser, 0);
  const baseline = [];
  for (let i = 0; i < REPEATS; i++) baseline.push(await timeRunsPage(empty.page, 0));
  results.baseline = summarize(baseline);
  errorsSeen.push(...empty.errors.map((e) => `[no runs] ${e}`));
  await empty.context.close();

  const full = await openApp(browser, RUNS);
  const { page } = full;
  results.seedMs = full.seedMs;
  try {
    const loads = [];
    for (let i = 0; i < REPEATS; i++) loads.push(await timeRunsPage(page, RUNS));
    results.phases.runsPage = summarize(loads);
    results.storedAfterReload = await countStoredRuns(page);

    // b. Sort by Average precision: until the first row is another run.
    const selectName = re('^Select run ');
    const firstRow = await page.evaluate((n) => window.__bench.firstRowKey(n), selectName);
    if (firstRow === null) throw new Missing('no checkbox named /^Select run / (one per row of the runs table)');
    await arm(page, { kind: 'firstRowChange', name: selectName, from: firstRow, event: 'click' });
    await clickOrMissing(page.getByRole('button', { name: 'Sort by Average precision' }), 'the column header button "Sort by Average precision"');
    results.phases.sort = await phase(page, await settle(page, 'a different first row after sorting by Average precision', null));

    // b. Filter: type "smote" into the search box, until the count changes.
    const search = page.getByRole('searchbox', { name: 'Search' });
    try {
      await search.waitFor({ timeout: TIMEOUT });
    } catch {
      throw new Missing('the searchbox named "Search" was not found');
    }
    const anyCount = re(`^\\d[\\d,]* of ${commaOptional(RUNS)} runs?$`);
    await arm(page, { kind: 'textChange', name: anyCount, from: `${RUNS} of ${RUNS} runs`, hint: 'run', event: 'input' });
    await search.fill('smote');
    results.phases.filter = await phase(page, await settle(page, `the count text changing from "${RUNS} of ${RUNS} runs" after searching "smote"`, null));

    // c. Select the first 10 rows shown: until their comparison shows its table and parallel coordinates.
    const boxes = page.getByRole('checkbox', { name: /^Select run / });
    try {
      await boxes.first().waitFor({ timeout: TIMEOUT });
    } catch {
      throw new Missing('no checkbox named /^Select run / after filtering');
    }
    const names = await boxes.evaluateAll((els) => els.slice(0, 10).map((el) => window.__bench.accName(el)));
    if (names.length < 10) throw new Missing(`only ${names.length} checkboxes named /^Select run / are shown after searching "smote"; 10 are needed`);
    const comparison = (n) => ({
      kind: 'comparison',
      region: re(`^Comparison of ${commaOptional(n)} runs`),
      table: { text: 'Metrics of the selected runs' },
      img: re('^Parallel coordinates'),
    });
    const firstClick = await page.evaluate(() => performance.now());
    for (let i = 0; i < names.length; i++) {
      if (i === names.length - 1) await arm(page, { ...comparison(10), event: 'click' });
      // By name, so a row that moves once selected is not clicked twice; by position if the name differs from Playwright's.
      const byName = page.getByRole('checkbox', { name: names[i], exact: true });
      await ((await byName.count()) === 1 ? byName : boxes.nth(i)).check({ timeout: TIMEOUT });
    }
    const ten = await settle(page, 'the region /^Comparison of 10 runs/ with the table "Metrics of the selected runs" and an img /^Parallel coordinates/', comparisonLocator(page, 10));
    results.phases.selectTen = await phase(page, ten);
    const all = await longTasksBetween(page, firstClick, ten.done);
    results.phases.selectTen.allClicks = { ms: ten.done - firstClick, longestTaskMs: all.longest, longTasks: all.count };

    // d. Clear the search, "Select all shown": until the comparison of all 1,000 shows its parallel coordinates.
    await arm(page, { kind: 'text', name: countText(RUNS, RUNS), hint: 'run', event: 'input' });
    await search.fill('');
    results.phases.clearSearch = await phase(page, await settle(page, `the text "${RUNS} of ${RUNS} runs" after clearing the search`, null));
    await arm(page, { ...comparison(RUNS), table: null, event: 'click' });
    await clickOrMissing(page.getByRole('button', { name: 'Select all shown' }), 'the button "Select all shown"');
    results.phases.selectAll = await phase(
      page,
      await settle(page, `the region /^Comparison of ${RUNS} runs/ with an img /^Parallel coordinates/`, comparisonLocator(page, RUNS, false)),
    );
  } finally {
    errorsSeen.push(...full.errors.map((e) => `[${RUNS} runs] ${e}`));
  }
} catch (err) {
  if (!(err instanceof Missing)) throw err;
  missing = err.message;
} finally {
  await browser.close().catch(() => {});
  preview.stop();
}

function comparisonLocator(page, n, withTable = true) {
  const region = page.getByRole('region', { name: new RegExp(`^Comparison of ${commaOptional(n)} runs`) });
  const img = region.getByRole('img', { name: /^Parallel coordinates/ });
  return withTable ? region.filter({ has: page.getByRole('table', { name: 'Metrics of the selected runs' }) }).getByRole('img', { name: /^Parallel coordinates/ }) : img;
}

// ---- report ----
const ms = (v) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${v.toFixed(0)} ms`);
const met = (ok) => (ok ? 'met' : 'NOT met');
const tasks = (longest, count) => `${longest > 0 ? `longest task ${longest.toFixed(0)} ms` : 'no task over 50 ms'} (${count} long tasks; goal < 50 ms: ${met(longest <= 50)})`;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Chromium ${chromiumVersion}`;
const b = results.baseline;
const a = results.phases.runsPage;
const lines = [
  `Compare benchmark: ${RUNS.toLocaleString('en-US')} synthetic stored runs (100 epochs, 200-point ROC and PR curves each; ${(seedBytes / 1e6).toFixed(1)} MB as JSON)`,
  `machine: ${machine}`,
];
if (results.seedMs !== undefined) lines.push(`  generate ${ms(generateMs)}; seed into IndexedDB (one readwrite transaction) ${ms(results.seedMs)}`);
if (a) {
  const ratio = (x, y) => (x && y ? `${(x / y).toFixed(2)}×` : '—');
  lines.push(
    `  load (times: median of ${REPEATS} reloads; long tasks: the worst of them)   with ${RUNS}      with none   ratio`,
    `    app ready (first level-1 heading)            ${ms(a.headingMs).padStart(9)}   ${ms(b?.headingMs).padStart(9)}   ${ratio(a.headingMs, b?.headingMs)}`,
    `    side bar shows "Runs (${RUNS})"                 ${ms(a.runsListedMs).padStart(9)}        —`,
    `      during it: ${tasks(a.loadLongestTaskMs, a.loadLongTasks)}`,
    `  a. Runs page shows "${RUNS} of ${RUNS} runs" and its first rows`,
    `    from navigation start                        ${ms(a.fromNavigationMs).padStart(9)}   ${ms(b?.fromNavigationMs).padStart(9)}   ${ratio(a.fromNavigationMs, b?.fromNavigationMs)}  (goal < 1 s: ${met(a.fromNavigationMs < 1000)})`,
    `    from the click on "Runs (${RUNS})"              ${ms(a.fromClickMs).padStart(9)}   ${ms(b?.fromClickMs).padStart(9)}   ${ratio(a.fromClickMs, b?.fromClickMs)}`,
    `    ${tasks(a.longestTaskMs, a.longTasks)}${a.coarse ? ' [timed by Playwright polling: coarse]' : ''}`,
  );
}
const row = (label, p) => {
  if (!p) return;
  lines.push(`  ${label.padEnd(46)} ${ms(p.ms).padStart(9)}   ${tasks(p.longestTaskMs, p.longTasks)}${p.coarse ? ' [coarse]' : ''}`);
};
row('b. sort by Average precision -> first row changes', results.phases.sort);
row(`b. search "smote" -> count (${results.phases.filter?.detail?.text ?? '?'})`, results.phases.filter);
row('c. 10th selection -> comparison of 10 shown', results.phases.selectTen);
if (results.phases.selectTen) {
  const all = results.phases.selectTen.allClicks;
  lines.push(`     all 10 clicks, first to shown               ${ms(all.ms).padStart(9)}   ${tasks(all.longestTaskMs, all.longTasks)}`);
}
row('   clear the search -> all rows counted again', results.phases.clearSearch);
row(`d. select all ${RUNS} shown -> parallel coordinates`, results.phases.selectAll);
const counts = new Map();
for (const e of errorsSeen) counts.set(e, (counts.get(e) ?? 0) + 1);
lines.push(counts.size === 0 ? '  console errors: none' : `  console errors (${errorsSeen.length}):`);
for (const [e, n] of counts) lines.push(`    ${n > 1 ? `${n} × ` : ''}${e.slice(0, 300)}`);
if (missing) lines.push(`NOT MEASURED: ${missing}. The rest of the benchmark needs the runs table and comparison UI.`);
console.log(lines.join('\n'));
writeFileSync(join(out, 'compare.json'), JSON.stringify({ machine, ...results, consoleErrors: errorsSeen, missing }, null, 2));
process.exit(missing ? 1 : 0);
