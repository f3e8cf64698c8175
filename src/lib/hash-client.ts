/**
 * The data worker's side of the hash worker: hashes a Blob on the second core while the
 * import parses it. Each hash gets a worker of its own (an idle one is kept warm for the next
 * import); a cancelled import ends its worker at once, so no hashing outlives its import and
 * other imports are untouched. It lives in src/lib beside workers.ts, as the other place that
 * starts a worker (this one from inside the data worker).
 */
import type { HashReply, HashRequest } from '../../workers/hash.worker';

let idle: Worker | null = null;
let nextId = 1;

function startWorker(): Worker {
  return new Worker(new URL('../../workers/hash.worker.ts', import.meta.url), { type: 'module', name: 'labbook-hash' });
}

/**
 * SHA-256 (lower-case hex) of `blob`'s bytes, computed in a hash worker.
 * Aborting `signal` ends that worker at once and rejects.
 */
export function hashInWorker(blob: Blob, signal: AbortSignal): Promise<string> {
  const worker = idle ?? startWorker();
  idle = null;
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    const finish = (keep: boolean): void => {
      signal.removeEventListener('abort', onAbort);
      worker.onmessage = null;
      worker.onerror = null;
      if (keep && idle === null) idle = worker;
      else worker.terminate();
    };
    const onAbort = (): void => {
      finish(false);
      reject(new Error('cancelled'));
    };
    worker.onmessage = (event: MessageEvent<HashReply>): void => {
      const reply = event.data;
      if (reply.id !== id) return;
      finish(reply.ok);
      if (reply.ok) resolve(reply.hex);
      else reject(new Error(reply.message));
    };
    worker.onerror = (event: ErrorEvent): void => {
      event.preventDefault();
      finish(false);
      reject(new Error(`the hashing worker failed (${event.message || 'unknown error'})`));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    worker.postMessage({ id, blob } satisfies HashRequest);
  });
}
