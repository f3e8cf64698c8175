/**
 * Train worker: TF.js training off the main thread, and the hashing of the
 * model version it produces. Thin: the run itself is src/lib/ml/train.ts,
 * the sealing src/lib/ml/train-sealed.ts. Runs are queued, one at a time,
 * because TF.js has one global engine and backend per thread.
 */
import * as Comlink from 'comlink';
import { sealedTransferables, trainAndSeal } from '../src/lib/ml/train-sealed';
import { browserHost, deviceLost } from '../src/lib/ml/backends-browser';
import { environmentInfo } from '../src/lib/ml/environment';
import type { TrainEvent } from '../src/lib/core/training';
import type { SealedTrainOutcome, SealedTrainRequest } from '../src/lib/core/models';

const cancelled = new Set<string>();
let queue: Promise<unknown> = Promise.resolve();

const api = {
  /** Trains one run; resolves with its outcome and sealed model version (never rejects for a training failure). */
  train(request: SealedTrainRequest, onEvent: (e: TrainEvent) => void): Promise<SealedTrainOutcome> {
    const run = queue.then(async () => {
      try {
        if (cancelled.has(request.runId)) {
          return { status: 'cancelled', message: 'Cancelled before training started.', epochs: [], backend: null, environment: environmentInfo(), sizes: null, durationMs: 0 } satisfies SealedTrainOutcome;
        }
        const outcome = await trainAndSeal(request, {
          host: browserHost,
          environment: environmentInfo,
          onEvent,
          isCancelled: () => cancelled.has(request.runId),
          deviceLost,
        });
        return Comlink.transfer(outcome, sealedTransferables(outcome));
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
