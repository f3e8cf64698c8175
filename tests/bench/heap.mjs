/**
 * Peak JS heap of a page and of its Web Workers while a phase runs, sampled
 * through the Chrome DevTools Protocol (Runtime.getHeapUsage: the V8 heap in
 * use plus the ArrayBuffers' backing stores). Workers are reached through
 * the browser's CDP session (Target.attachToTarget), since Playwright opens
 * CDP sessions on pages only; a worker started during the phase is picked up
 * at the next sample. With `gc`, every sample first forces a garbage
 * collection (HeapProfiler.collectGarbage), so it reads the live heap rather
 * than garbage V8 has not collected yet; that slows the phase, so time it in
 * another pass.
 */

const INTERVAL_MS = 25;

/** Starts sampling every worker whose URL contains `workerUrlPart`, and `page`. Call `stop()` for the figures. */
export async function sampleHeap(browser, page, workerUrlPart, { gc = false } = {}) {
  const cdp = await browser.newBrowserCDPSession();
  const pageSession = await page.context().newCDPSession(page);
  let nextId = 0;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    const done = waiting.get(m.id);
    if (!done) return;
    waiting.delete(m.id);
    done(m.result ?? null);
  });
  const workers = new Map(); // targetId -> { sessionId, url, first, peak }
  const onWorker = async (sessionId, method) => {
    const id = ++nextId;
    const answer = new Promise((resolve) => waiting.set(id, resolve));
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(() => waiting.delete(id));
    return Promise.race([answer, new Promise((r) => setTimeout(() => r(null), 1000))]);
  };
  const used = (h) => (h ? h.usedSize + (h.backingStorageSize ?? 0) : 0);
  const pageFigures = { first: 0, peak: 0 };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { targetInfos } = await cdp.send('Target.getTargets');
      for (const t of targetInfos) {
        if (t.type !== 'worker' || !t.url.includes(workerUrlPart) || workers.has(t.targetId)) continue;
        const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false }).catch(() => ({ sessionId: null }));
        if (sessionId) workers.set(t.targetId, { sessionId, url: t.url, first: null, peak: 0 });
      }
      for (const w of workers.values()) {
        if (gc) await onWorker(w.sessionId, 'HeapProfiler.collectGarbage');
        const h = await onWorker(w.sessionId, 'Runtime.getHeapUsage');
        if (!h) continue;
        w.first ??= used(h);
        w.peak = Math.max(w.peak, used(h));
      }
      if (gc) await pageSession.send('HeapProfiler.collectGarbage').catch(() => null);
      const p = await pageSession.send('Runtime.getHeapUsage').catch(() => null);
      if (p) {
        pageFigures.first ||= used(p);
        pageFigures.peak = Math.max(pageFigures.peak, used(p));
      }
      await new Promise((r) => setTimeout(r, INTERVAL_MS));
    }
  })();
  return {
    /** Peak heap (bytes) of the page and of the sampled workers (together, and the largest one). */
    async stop() {
      stopped = true;
      await loop;
      await cdp.detach().catch(() => {});
      await pageSession.detach().catch(() => {});
      const ws = [...workers.values()];
      return {
        pagePeak: pageFigures.peak,
        pageFirst: pageFigures.first,
        workerPeak: Math.max(0, ...ws.map((w) => w.peak)),
        workerFirst: ws.length ? Math.min(...ws.map((w) => w.first ?? 0)) : 0,
        workers: ws.length,
      };
    },
  };
}
