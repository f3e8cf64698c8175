/**
 * `--profile` for the UI benchmarks: a CPU profile (CDP Profiler) and a timeline trace of
 * the page around one timed phase, summed up as the functions with the most self time, the
 * main thread's work of 20 ms or more by kind (layout, paint, garbage collection…), and,
 * for each main-thread task of 50 ms or more, what it was made of.
 */

/** With `--profile` on the command line: starts recording the page (else null). */
export async function startProfile(page) {
  if (!process.argv.includes('--profile')) return null;
  await page.context().browser().startTracing(page, { categories: ['devtools.timeline', 'toplevel', 'v8'] });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return cdp;
}

const isTask = (e) => /RunTask/.test(e.name);

/** Stops recording; lines to print: top functions, slow work by kind, then each long task. */
export async function stopProfile(browser, cdp) {
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  const events = JSON.parse((await browser.stopTracing()).toString('utf8')).traceEvents ?? [];
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)).sort((a, b) => a.ts - b.ts);
  const describe = (e) => {
    const d = e.args?.data ?? {};
    if (e.name === 'FunctionCall' || e.name === 'EvaluateScript') return `${e.name} ${(d.url ?? '').split('/').pop()}:${d.lineNumber ?? ''} ${d.functionName ?? ''}`;
    return e.name === 'TimerFire' || e.name === 'EventDispatch' ? `${e.name} ${d.type ?? ''}` : e.name;
  };

  const slow = new Map();
  for (const e of onMain) {
    if (isTask(e) || !(e.dur >= 20_000)) continue;
    slow.set(describe(e), [...(slow.get(describe(e)) ?? []), Math.round(e.dur / 1000)]);
  }

  // Sample times, and each sample's function with its caller.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const frame = (n) => (n ? `${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber + 1}` : '');
  const samples = [];
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    samples.push({ at, ms: dt / 1000, key: `${frame(byId.get(id))} < ${frame(parent.get(id))}` });
  });

  const tasks = [];
  for (const t of onMain) {
    if (!isTask(t) || !(t.dur >= 50_000)) continue;
    const inside = onMain.filter((e) => !isTask(e) && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur >= 5_000);
    tasks.push(`[task ${Math.round(t.dur / 1000)} ms] ${inside.slice(0, 14).map((e) => `${describe(e)} ${Math.round(e.dur / 1000)}`).join(' | ')}`);
    const self = new Map();
    for (const s of samples) if (s.at >= t.ts && s.at <= t.ts + t.dur) self.set(s.key, (self.get(s.key) ?? 0) + s.ms);
    tasks.push(`   cpu: ${[...self].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(' | ')}`);
  }
  return [...topFunctions(profile, 10), ...[...slow].map(([k, v]) => `[trace] ${k}: ${v.join(', ')} ms`), ...tasks];
}

/** The functions with the most self time in a CPU profile: "name (file:line) ms". */
export function topFunctions(profile, n) {
  const dt = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
  const byName = new Map();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    if (['(idle)', '(program)', '(garbage collector)'].includes(f.functionName) && f.url === '') continue;
    const key = `${f.functionName || '(anonymous)'} (${f.url.split('/').pop()}:${f.lineNumber + 1})`;
    byName.set(key, (byName.get(key) ?? 0) + (dt.get(node.id) ?? 0));
  }
  return [...byName].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `${k} ${ms.toFixed(0)} ms`);
}
