/**
 * The jobs of the notebook's cells, one per cell and kept while the tab is open:
 * training (of train cells, Reproduce and Continue training), sweeps,
 * predictions, drift checks and prepare cells' recipes.
 */
import * as runsRepo from '../storage/runs';
import * as modelsRepo from '../storage/models';
import type { RunRecord } from '../storage/records';
import { TrainingJob } from './training.svelte';
import { SweepJob } from './sweep.svelte';
import { PredictJob } from './predict.svelte';
import { DriftJob } from './drift.svelte';
import { PrepareJob } from './prepare.svelte';
import { EvaluateJob } from './evaluate.svelte';

/** A model name for a run whose cell gave none: "<target> model". */
export function defaultModelName(run: Pick<RunRecord, 'config'>): string {
  return `${run.config.target} model`.slice(0, 64);
}

export interface JobsHost {
  /** Runs after any run is stored. */
  onRun(run: RunRecord): Promise<void>;
  /** The model name a stored version is registered under, if it is listed. */
  modelNameOf(versionId: string | null | undefined): string | undefined;
}

/** Gets a map's entry for `key`, making it first when there is none. */
function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let found = map.get(key);
  if (!found) {
    found = make();
    map.set(key, found);
  }
  return found;
}

export class JobsState {
  // Caches of job objects (each holds its own rune state); templates never read the maps themselves.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #training = new Map<string, TrainingJob>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #sweeps = new Map<string, SweepJob>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #predictions = new Map<string, PredictJob>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #drifts = new Map<string, DriftJob>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #prepares = new Map<string, PrepareJob>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #evaluations = new Map<string, EvaluateJob>();
  readonly #host: JobsHost;

  constructor(host: JobsHost) {
    this.#host = host;
  }

  /** The training job of a train cell, or of a Reproduce request (`reproduce:<runId>`). */
  job(key: string): TrainingJob {
    return cached(this.#training, key, () => new TrainingJob((run) => this.#host.onRun(run)));
  }

  /** The sweep state of a train cell. */
  sweep(key: string): SweepJob {
    return cached(this.#sweeps, key, () => new SweepJob());
  }

  /** The prediction job of a predict cell. */
  predictJob(cellId: string): PredictJob {
    return cached(this.#predictions, cellId, () => new PredictJob());
  }

  /** The drift job of a drift cell. */
  driftJob(cellId: string): DriftJob {
    return cached(this.#drifts, cellId, () => new DriftJob());
  }

  /** The preview and Apply job of a prepare cell. */
  prepareJob(cellId: string): PrepareJob {
    return cached(this.#prepares, cellId, () => new PrepareJob());
  }

  /** The evaluation job of an Evaluate models cell. */
  evaluateJob(cellId: string): EvaluateJob {
    return cached(this.#evaluations, cellId, () => new EvaluateJob(cellId));
  }

  /** Re-runs a run with its identical config; the new run records which run it reproduces. */
  async reproduce(runId: string): Promise<RunRecord | null> {
    const original = await runsRepo.getRun(runId);
    if (!original) return null;
    const modelName = this.#host.modelNameOf(original.modelVersionId) ?? defaultModelName(original);
    // The same backend as the original, not `auto` again: auto may pick another backend on a busier
    // machine, and only the same backend promises the same numbers.
    const config = { ...original.config, backend: original.backend?.used ?? original.config.backend };
    return this.job(`reproduce:${runId}`).start(config, {
      notebookId: original.notebookId,
      cellId: null,
      modelName,
      reproducesRunId: runId,
    });
  }

  /**
   * Continue training: a new run with the same config that starts from
   * `runId`'s saved weights (more epochs from where it stopped), recorded with
   * the parent in its lineage and stored as a fresh model version. It runs in
   * the parent's train cell when it has one, so it shows there.
   */
  async continueTraining(runId: string): Promise<RunRecord | null> {
    const parent = await runsRepo.getRun(runId);
    if (!parent?.modelVersionId) return null;
    const files = await modelsRepo.getModelFileBytes(parent.modelVersionId);
    const modelJson = files.get('model.json');
    const weights = files.get('weights.bin');
    if (!modelJson || !weights) throw new Error(`The model files of run ${runId.slice(0, 8)} are missing, so its training cannot be continued.`);
    const modelName = this.#host.modelNameOf(parent.modelVersionId) ?? defaultModelName(parent);
    return this.job(parent.cellId ?? `continue:${runId}`).start(parent.config, {
      notebookId: parent.notebookId,
      cellId: parent.cellId,
      modelName,
      continues: { parentRunId: runId, modelJson: new TextDecoder().decode(modelJson), weights: weights.slice().buffer },
    });
  }
}
