/**
 * Train worker: TF.js training off the main thread. Thin: the run itself is
 * src/lib/ml/train.ts. Runs are queued, one at a time, because TF.js has one
 * global engine and backend per thread.
 */
import * as Comlink from 'comlink';
import { runTraining } from '../src/lib/ml/train';
import { browserHost, deviceLost } from '../src/lib/ml/backends-browser';
import { environmentInfo } from '../src/lib/ml/environment';
import type { TrainEvent, TrainOutcome, TrainRequest } from '../src/lib/core/training';

const cancelled = new Set<string>();
let queue: Promise<unknown> = Promise.resolve();

const api = {
  /** Trains one run; resolves with its outcome (never rejects for a training failure). */
  train(request: TrainRequest, onEvent: (e: TrainEvent) => void): Promise<TrainOutcome> {
    const run = queue.then(async () => {
      try {
        if (cancelled.has(request.runId)) {
          return { status: 'cancelled', message: 'Cancelled before training started.', epochs: [], backend: null, environment: environmentInfo(), sizes: null, durationMs: 0 } satisfies TrainOutcome;
        }
        const outcome = await runTraining(request, {
          host: browserHost,
          environment: environmentInfo,
          onEvent,
          isCancelled: () => cancelled.has(request.runId),
          deviceLost,
        });
        return outcome.status === 'completed' ? Comlink.transfer(outcome, [outcome.result.artifacts.weights]) : outcome;
      } finally {
        cancelled.delete(request.runId);
      }
    });
    queue = run.catch(() => undefined);
    return run;
  },

  /** Asks a run to stop; it stops at its next loss read-back (about every 250 ms). */
  cancel(runId: string): void {
    cancelled.add(runId);
  },
};

Comlink.expose(api);
export type TrainApi = typeof api;
