#!/usr/bin/env node
// `npm test`: every check the project has, in order, with one tally at the end.
//
//   1. npm run check  (svelte-check + tsc)     counted as 1 test
//   2. npm run lint   (eslint, zero warnings)  counted as 1 test
//   3. vitest run     (unit tests)             counted per test, from test-results/unit.json
//   4. find Chromium  (CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser;
//                      as root with apt-get, installs Debian's chromium)
//   5. vite build                              counted as 1 test
//   6. playwright test (e2e, needs 4 and 5)    counted per test, from test-results/e2e.json
//
// Every step runs even when an earlier one failed, except e2e, which needs the build
// and a browser. The last line printed is exactly `N passed, N failed`; the exit
// code is 0 only when nothing failed. Node built-ins only.

import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const resultsDir = path.join(root, 'test-results');
const unitReport = path.join(resultsDir, 'unit.json');
const e2eReport = path.join(resultsDir, 'e2e.json');
const MIN_CHROMIUM = 120;
const INSTALL_HINT =
  "Install Debian's Chromium: sudo apt-get install -y chromium, " +
  `or set CHROMIUM_PATH to a Chromium ${MIN_CHROMIUM}+ binary`;

// Per-step watchdogs (minutes), generous: a hung step must not eat CI's whole budget.
const LIMIT_MIN = {
  check: 10,
  lint: 10,
  unit: 15,
  apt: 10,
  build: 10,
  e2e: Number(process.env.E2E_TIMEOUT_MIN ?? 25),
};

// Children write straight to our stdout: keep colour codes out of logs and pipes.
// (NO_COLOR, not FORCE_COLOR=0: picocolors turns colour ON when FORCE_COLOR is set at all.)
const colorEnv = process.stdout.isTTY ? {} : { NO_COLOR: '1', FORCE_COLOR: undefined };

/** @type {{name: string, passed: number, failed: number, skipped: number, ms: number, note: string}[]} */
const results = [];

let current = null; // the running child, so a signal to us can stop its whole group

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (current) killGroup(current, 'SIGTERM');
    console.log(`\n[test] interrupted (${sig})`);
    console.log('0 passed, 1 failed');
    process.exit(130);
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function banner(text) {
  const line = '='.repeat(Math.max(8, 72 - text.length - 4));
  console.log(`\n== ${text} ${line}`);
}

/**
 * Runs a command with inherited stdio (output streams straight through), in its own
 * process group so a timeout can stop it and everything it started.
 * Resolves to { code, ms, timedOut, error }.
 */
function run(cmd, args, { limitMin, env } = {}) {
  const started = Date.now();
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(cmd, args, {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: withoutUndefined({ ...process.env, ...colorEnv, ...env }),
        detached: true,
      });
    } catch (error) {
      resolve({ code: -1, ms: 0, timedOut: false, error: String(error) });
      return;
    }
    current = child;
    let timedOut = false;
    let killer;
    const timer = limitMin
      ? setTimeout(() => {
          timedOut = true;
          console.log(`\n[test] ${cmd} ran past ${limitMin} min: stopping it`);
          killGroup(child, 'SIGTERM');
          killer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
        }, limitMin * 60_000)
      : null;
    let spawnError = null;
    child.on('error', (error) => {
      spawnError = String(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killer);
      current = null;
      resolve({
        code: code ?? (signal ? 128 : -1),
        ms: Date.now() - started,
        timedOut,
        error: spawnError ?? (signal ? `killed by ${signal}` : null),
      });
    });
  });
}

function withoutUndefined(env) {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

function describeExit(r) {
  if (r.timedOut) return 'timed out';
  if (r.error) return r.error;
  return `exit ${r.code}`;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => isExecutable(path.join(dir, name)));
}

// ---- steps -------------------------------------------------------------------

async function checkStep(name, script) {
  banner(`${name}: npm run ${script}`);
  const r = await run('npm', ['run', script], { limitMin: LIMIT_MIN[name] });
  const ok = r.code === 0 && !r.timedOut;
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, ms: r.ms, note: ok ? '' : describeExit(r) });
}

async function unitStep() {
  banner('unit: vitest run');
  rmSync(unitReport, { force: true });
  const r = await run(
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.relative(root, unitReport)}`],
    { limitMin: LIMIT_MIN.unit },
  );
  const report = readJson(unitReport);
  if (!report) {
    results.push({ name: 'unit', passed: 0, failed: 1, skipped: 0, ms: r.ms, note: `no report (${describeExit(r)})` });
    return;
  }
  const passed = report.numPassedTests ?? 0;
  let failed = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const notes = [];
  // A file that fails to load (syntax error, bad import) has no failed test of its own.
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((t) => t.status === 'failed'),
  ).length;
  if (brokenFiles) {
    failed += brokenFiles;
    notes.push(`${brokenFiles} file(s) failed to run`);
  }
  if (r.code !== 0 && failed === 0) {
    // e.g. unhandled errors, no test files found, timeout
    failed = 1;
    notes.push(`vitest ${describeExit(r)}`);
  }
  results.push({ name: 'unit', passed, failed, skipped, ms: r.ms, note: notes.join('; ') });
}

function chromiumVersion(file) {
  const out = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (out.status !== 0) return null;
  const m = /(\d+)\.\d+\.\d+\.\d+/.exec(out.stdout ?? '');
  return { text: (out.stdout ?? '').trim(), major: m ? Number(m[1]) : NaN };
}

function findChromium() {
  const candidates = [];
  if (process.env.CHROMIUM_PATH) candidates.push(process.env.CHROMIUM_PATH);
  candidates.push('/usr/bin/chromium', '/usr/bin/chromium-browser');
  for (const file of candidates) {
    if (!existsSync(file) || !isExecutable(file)) {
      if (file === process.env.CHROMIUM_PATH) console.log(`[test] CHROMIUM_PATH=${file} is not an executable file`);
      continue;
    }
    const version = chromiumVersion(file);
    if (!version) {
      console.log(`[test] ${file} exists but \`--version\` failed: skipping it`);
      continue;
    }
    if (!(version.major >= MIN_CHROMIUM)) {
      console.log(`[test] warning: ${file} is "${version.text}"; WebGPU tests want Chromium ${MIN_CHROMIUM}+`);
    }
    return { file, version: version.text };
  }
  return null;
}

async function browserStep() {
  banner('browser: find Chromium');
  let found = findChromium();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!found && isRoot && onPath('apt-get')) {
    console.log("[test] no Chromium found: installing Debian's chromium with apt-get");
    const r = await run('sh', ['-c', 'apt-get update && apt-get install -y chromium'], {
      limitMin: LIMIT_MIN.apt,
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.code !== 0) console.log(`[test] apt-get failed (${describeExit(r)})`);
    found = findChromium();
  }
  if (found) console.log(`[test] using ${found.file} (${found.version})`);
  else console.log(`[test] no usable Chromium. ${INSTALL_HINT}`);
  return found;
}

async function buildStep() {
  banner('build: vite build');
  const r = await run(bin('vite'), ['build'], { limitMin: LIMIT_MIN.build });
  const ok = r.code === 0 && !r.timedOut;
  results.push({ name: 'build', passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, ms: r.ms, note: ok ? '' : describeExit(r) });
  return ok;
}

async function e2eStep(browser) {
  banner('e2e: playwright test');
  rmSync(e2eReport, { force: true });
  const r = await run(bin('playwright'), ['test'], {
    limitMin: LIMIT_MIN.e2e,
    env: { CHROMIUM_PATH: browser.file, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  const report = readJson(e2eReport);
  if (!report || !report.stats) {
    results.push({ name: 'e2e', passed: 0, failed: 1, skipped: 0, ms: r.ms, note: `no report (${describeExit(r)})` });
    return;
  }
  const s = report.stats;
  const passed = (s.expected ?? 0) + (s.flaky ?? 0);
  let failed = s.unexpected ?? 0;
  const notes = [];
  if (s.flaky) notes.push(`${s.flaky} passed only on retry`);
  const errors = report.errors ?? [];
  if (failed === 0 && (errors.length || r.code !== 0)) {
    // webServer did not start, config error, no tests found, global timeout, ...
    failed = 1;
    const first = errors[0]?.message?.split('\n')[0]?.replace(/^Error:\s*/, '');
    notes.push(first ? `error: ${first}` : `playwright ${describeExit(r)}`);
  }
  results.push({ name: 'e2e', passed, failed, skipped: s.skipped ?? 0, ms: r.ms, note: notes.join('; ') });
}

// ---- main --------------------------------------------------------------------

const t0 = Date.now();
mkdirSync(resultsDir, { recursive: true });

await checkStep('check', 'check');
await checkStep('lint', 'lint');
await unitStep();
const browser = await browserStep();
const built = await buildStep();
if (!browser) {
  results.push({ name: 'e2e', passed: 0, failed: 1, skipped: 0, ms: 0, note: `not run: no Chromium. ${INSTALL_HINT}` });
} else if (!built) {
  results.push({ name: 'e2e', passed: 0, failed: 0, skipped: 0, ms: 0, note: 'not run: the build failed' });
} else {
  await e2eStep(browser);
}

const total = results.reduce(
  (acc, r) => ({ passed: acc.passed + r.passed, failed: acc.failed + r.failed, skipped: acc.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);

banner('summary');
for (const r of results) {
  const status = r.failed ? 'FAIL' : r.passed ? 'ok  ' : '--  ';
  const counts = `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`;
  const secs = `${(r.ms / 1000).toFixed(1)}s`.padStart(7);
  console.log(`${status} ${r.name.padEnd(6)} ${counts.padEnd(34)} ${secs}${r.note ? `  ${r.note}` : ''}`);
}
if (browser) console.log(`browser: ${browser.file} (${browser.version})`);
console.log(`reports: ${path.relative(root, unitReport)}, ${path.relative(root, e2eReport)}`);
console.log(`total time ${((Date.now() - t0) / 1000).toFixed(0)}s${total.skipped ? `, ${total.skipped} skipped` : ''}`);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exitCode = total.failed === 0 ? 0 : 1;
