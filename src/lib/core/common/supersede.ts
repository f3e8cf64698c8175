/**
 * Stale work stopped where it runs: each request names its cell (`key`) and
 * itself (`requestId`); a newer request for the same key supersedes the
 * older, whose long loops stop at their next step with `Superseded`.
 */

/** Thrown by work that a newer request for the same key replaced. */
export class Superseded extends Error {
  constructor(key: string) {
    super(`A newer request for ${key} replaced this one.`);
    // The name, unlike the class, survives Comlink's error serialisation.
    this.name = 'Superseded';
  }
}

/** Whether `err` (here, or after crossing a worker boundary) is a Superseded error. */
export function isSuperseded(err: unknown): boolean {
  return err instanceof Error && err.name === 'Superseded';
}

/** The two fields a cancellable request carries. */
export interface RequestIdentity {
  /** The cell (or other owner) whose latest request alone counts. */
  key: string;
  /** This request; the caller makes it unique per key (the cell id and a counter, say). */
  requestId: string;
}

export interface CancelToken {
  /** Throws Superseded when a newer request for the key has begun. */
  check(): void;
  /**
   * Lets waiting messages in now and then (a newer request can only begin between two tasks),
   * then checks. Call it between the steps of a long loop.
   */
  step(): Promise<void>;
}

/** A token that never cancels (tests, callers without a key). */
export const NEVER_CANCELLED: CancelToken = { check: () => {}, step: async () => {} };

// Yielding costs a task (and timers clamp when nested), so at most every this many ms.
const YIELD_EVERY_MS = 15;

const yieldTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The latest request id per key, in the worker that runs the requests. */
export class LatestRequests {
  readonly #latest = new Map<string, string>();

  /** Makes `requestId` the latest for `key`, and returns its token. */
  begin({ key, requestId }: RequestIdentity): CancelToken {
    this.#latest.set(key, requestId);
    let last = performance.now();
    const check = () => {
      if (this.#latest.get(key) !== requestId) throw new Superseded(key);
    };
    return {
      check,
      step: async () => {
        if (performance.now() - last >= YIELD_EVERY_MS) {
          await yieldTask();
          last = performance.now();
        }
        check();
      },
    };
  }

  /** Forgets the key once its latest request is done (a superseded one leaves the newer in place). */
  end({ key, requestId }: RequestIdentity): void {
    if (this.#latest.get(key) === requestId) this.#latest.delete(key);
  }

  /** Runs `work` as the latest request for its key. */
  async run<T>(id: RequestIdentity, work: (token: CancelToken) => Promise<T>): Promise<T> {
    const token = this.begin(id);
    try {
      return await work(token);
    } finally {
      this.end(id);
    }
  }
}
