/**
 * Work in progress that a page reload would cut short (an import, a training run, a
 * restore). The update banner reads `running` and offers its reload only when it is empty.
 */

/** Labels of explicitly begun work, each entry one `beginWork` call (labels may repeat). */
let begun = $state.raw<{ id: number; label: string }[]>([]);
/** Work described by reactive state instead: each returns its label while busy, else null. */
let tracked = $state.raw<(() => string | null)[]>([]);
let nextId = 0;

/** Marks work as running; call the returned function (once; later calls do nothing) when it ends. */
export function beginWork(label: string): () => void {
  const id = nextId++;
  begun = [...begun, { id, label }];
  return () => {
    begun = begun.filter((w) => w.id !== id);
  };
}

/**
 * Marks work as running whenever `label()` returns a string, read reactively (from rune
 * state such as an import's status). Safe to call while rendering. Returns a function that
 * stops tracking.
 */
export function trackWork(label: () => string | null): () => void {
  // Added a microtask later: jobs are often created while a template or a $derived runs,
  // where writing state is not allowed. A job is busy only after a later user action.
  let stopped = false;
  queueMicrotask(() => {
    if (!stopped) tracked = [...tracked, label];
  });
  return () => {
    stopped = true;
    tracked = tracked.filter((l) => l !== label);
  };
}

/** The labels of everything running now, oldest first (reactive). */
export function runningWork(): string[] {
  const fromState = tracked.map((l) => l()).filter((l): l is string => l !== null);
  return [...begun.map((w) => w.label), ...fromState];
}
