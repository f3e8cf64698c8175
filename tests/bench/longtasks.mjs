/**
 * Long main-thread tasks (over 50 ms) of a benchmarked page, as its own
 * PerformanceObserver('longtask') reports them. Install before the first
 * navigation; the observer is set up again in every document the page loads.
 */

/** Adds the init script that collects every long task into `window.__longtasks` ({ start, duration }, page ms). */
export async function observeLongTasks(page) {
  await page.addInitScript(() => {
    window.__longtasks = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    });
    observer.observe({ type: 'longtask', buffered: true });
    window.__longtaskObserver = observer;
  });
}

/**
 * The long tasks overlapping [from, to] (performance.now() of the current document):
 * the longest one's milliseconds (0 when none), how many and their total.
 * Entries still queued in the observer are taken first.
 */
export async function longTasksBetween(page, from, to) {
  return page.evaluate(
    ([a, b]) => {
      for (const e of window.__longtaskObserver?.takeRecords() ?? []) window.__longtasks.push({ start: e.startTime, duration: e.duration });
      const hits = (window.__longtasks ?? []).filter((t) => t.start + t.duration >= a && t.start <= b);
      return {
        longest: Math.max(0, ...hits.map((t) => t.duration)),
        count: hits.length,
        totalMs: hits.reduce((s, t) => s + t.duration, 0),
      };
    },
    [from, to],
  );
}
