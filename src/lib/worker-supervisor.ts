/**
 * Supervision of the app's workers. A worker that dies (an uncaught error in its global
 * scope, a failed module load, running out of memory) leaves Comlink's pending calls waiting
 * forever, and a job awaiting one would show "running" until the tab closes. Supervised, every
 * call still pending when the worker fails is rejected with a message that says so, the dead
 * worker is dropped, and the next call starts a fresh one.
 */

/** What supervision needs of a worker: its error events, and a way to stop it. */
export interface WorkerLike {
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

/** The worker died while a call was pending. */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

/** Calls a method of a worker's Comlink remote. */
type Remote = Record<PropertyKey, (...args: unknown[]) => Promise<unknown>>;

/**
 * A getter for a supervised worker's remote: `start()` makes the worker and its Comlink remote
 * on first use and again after a failure. Only method calls go through the remote.
 */
export function supervised<T extends object>(name: string, start: () => { worker: WorkerLike; remote: T }): () => T {
  type Live = { worker: WorkerLike; remote: T; pending: Set<(err: Error) => void> };
  let live: Live | null = null;

  const fail = (entry: Live, event: Event) => {
    if (live !== entry) return;
    live = null;
    entry.worker.terminate();
    const why = (event as ErrorEvent).message || (event.type === 'messageerror' ? 'a message could not be read' : 'it crashed');
    const err = new WorkerCrashedError(`The ${name} worker stopped unexpectedly (${why}); it starts again on the next try.`);
    for (const reject of entry.pending) reject(err);
    entry.pending.clear();
  };

  const ensure = (): Live => {
    if (live) return live;
    const { worker, remote } = start();
    const entry: Live = { worker, remote, pending: new Set() };
    worker.addEventListener('error', (e) => fail(entry, e));
    worker.addEventListener('messageerror', (e) => fail(entry, e));
    live = entry;
    return entry;
  };

  const facade = new Proxy(
    {},
    {
      get(_target, method) {
        // Not a thenable: `await` on the facade must not mistake it for a promise.
        if (method === 'then') return undefined;
        return (...args: unknown[]) => {
          const entry = ensure();
          return new Promise((resolve, reject) => {
            entry.pending.add(reject);
            (entry.remote as unknown as Remote)[method]!(...args)
              .then(resolve, reject)
              .finally(() => entry.pending.delete(reject));
          });
        };
      },
    },
  );
  return () => facade as T;
}
