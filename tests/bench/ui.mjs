/**
 * What the UI benchmarks share: waiting for an element (and naming it when it
 * is missing), the page-side probe of click and change times, and one timed
 * phase from its triggering event to the frame where a condition holds.
 */
import { longTasksBetween, observeLongTasks } from './longtasks.mjs';

/** How long an element of the UI may take to appear before it counts as missing. */
export const TIMEOUT = 30_000;
/** Imports of the full file, drift checks, training runs and backups may take longer than TIMEOUT on 2 cores. */
export const SLOW = 300_000;

/** An element of the UI the benchmark needs is not there. */
export class Missing extends Error {}

/** Page-side (an init script): the time of every click and change (file inputs), so a phase starts at its event. */
export function eventProbe() {
  window.__events = [];
  for (const type of ['click', 'change']) {
    addEventListener(
      type,
      (e) => {
        const now = performance.now();
        window.__events.push({ type, at: e.timeStamp > 0 && e.timeStamp <= now ? e.timeStamp : now });
      },
      true,
    );
  }
}

/**
 * A fresh browser context with the probes (long tasks, click and change times), the app
 * at `base` opened and its level-1 heading shown. `errors` collects console errors and
 * uncaught exceptions.
 */
export async function openApp(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await observeLongTasks(page);
  await page.addInitScript(eventProbe);
  await page.goto(base);
  await need(page.getByRole('heading', { level: 1 }), 'the app’s level-1 heading');
  return { context, page, errors };
}

/** Waits for `locator`; a timeout means the UI lacks it: Missing, naming `what`. */
export async function need(locator, what, timeout = TIMEOUT) {
  try {
    await locator.first().waitFor({ timeout });
  } catch (err) {
    if (err?.name === 'TimeoutError') throw new Missing(`${what} (waited ${Math.round(timeout / 1000)} s)`);
    throw err;
  }
  return locator.first();
}

/**
 * One timed phase: `trigger()` (a click or a file choice), then the first
 * animation frame at which `condition(arg)` holds in the page. The condition
 * returns `performance.now()` when it holds (false before): Playwright runs it
 * as a function, since the app's Content-Security-Policy refuses the string
 * form. Times are the page's performance.now(): from the triggering event to
 * that frame, with the longest main-thread task between them
 * (tests/bench/longtasks.mjs).
 */
export async function timed(page, { trigger, event, condition, arg = null, what, timeout = SLOW }) {
  const armedAt = await page.evaluate(() => performance.now());
  await trigger();
  let done;
  try {
    const handle = await page.waitForFunction(condition, arg, { polling: 'raf', timeout });
    done = await handle.jsonValue();
  } catch (err) {
    if (err?.name === 'TimeoutError') throw new Missing(`${what} did not appear within ${Math.round(timeout / 1000)} s`);
    throw err;
  }
  if (typeof done !== 'number') throw new Error(`the condition for ${what} must return performance.now() when it holds, not ${JSON.stringify(done)}`);
  const start = await page.evaluate(([type, after]) => window.__events.find((e) => e.type === type && e.at >= after)?.at ?? after, [event, armedAt]);
  const tasks = await longTasksBetween(page, start, done);
  return { ms: done - start, start, done, longestTaskMs: tasks.longest, longTasks: tasks.count };
}
