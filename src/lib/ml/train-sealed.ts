/**
 * A training run that ends with its model version sealed: files, their
 * SHA-256, manifest and id computed here, in the train worker, so the page
 * never hashes tens of megabytes of weights on its own thread.
 */
import { sealTrainResult, type SealedTrainOutcome, type SealedTrainRequest } from '../core/models';
import { runTraining, type TrainHooks } from './train';

/** Trains one run and seals its model version. Never throws: a failure to seal is a `failed` outcome too. */
export async function trainAndSeal(request: SealedTrainRequest, hooks: TrainHooks): Promise<SealedTrainOutcome> {
  const outcome = await runTraining(request, hooks);
  if (outcome.status !== 'completed') return outcome;
  const r = outcome.result;
  try {
    hooks.onEvent?.({ type: 'stage', stage: 'saving', message: 'Hashing the model files…' });
    return { status: 'completed', result: r, version: await sealTrainResult(request, r) };
  } catch (err) {
    return {
      status: 'failed',
      message: `The model files could not be written: ${err instanceof Error ? err.message : String(err)}`,
      epochs: r.epochs,
      backend: r.backend,
      environment: r.environment,
      sizes: r.sizes,
      durationMs: r.durationMs,
    };
  }
}

/** The buffers of a sealed outcome to hand over to the page instead of copying (each listed once). */
export function sealedTransferables(outcome: SealedTrainOutcome): ArrayBuffer[] {
  if (outcome.status !== 'completed') return [];
  const buffers = [outcome.result.artifacts.weights, ...outcome.version.files.map((f) => f.bytes.buffer)];
  return buffers.filter((b, i): b is ArrayBuffer => b instanceof ArrayBuffer && buffers.indexOf(b) === i);
}
