/**
 * A model version read back from its files (as stored in the registry, or as
 * found in an imported bundle): everything prediction needs, parsed from the
 * same bytes the version's hash covers, so a bundle predicts exactly like the
 * version it was exported from.
 */
import {
  LINEAGE_JSON,
  METRICS_JSON,
  MODEL_JSON,
  PREPROCESSING_JSON,
  SCHEMA_JSON,
  TARGET_JSON,
  WEIGHTS_BIN,
  sealModelVersion,
  type SealedModelVersion,
} from './model-manifest';
import type {
  PreprocessSpec,
  TargetSpec,
  InputSchemaColumn,
  ModelArtifactsFiles,
  TrainOutcome,
  TrainRequest,
  TrainResult,
  TrainConfig,
} from '../training';
import { modelFiles } from './run-results';

/** What predicting with a model version needs, read from its files. */
export interface ModelFromFiles {
  files: ModelArtifactsFiles;
  preprocessing: PreprocessSpec;
  target: TargetSpec;
  inputSchema: InputSchemaColumn[];
  /** The binary decision threshold stored in metrics.json (null: 0.5, or not binary). */
  threshold: number | null;
  /** The target column's name, from lineage.json's run config. */
  targetName: string;
  /** The run config the version was trained with (lineage.json), to find its training rows again. */
  config: TrainConfig | null;
}

function json<T>(files: ReadonlyMap<string, Uint8Array>, path: string): T {
  const bytes = files.get(path);
  if (!bytes) throw new Error(`The model version has no ${path}.`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    throw new Error(`${path} is not valid JSON.`);
  }
}

/**
 * Parses a version's files.
 * @throws Error naming a file that is missing or is not valid JSON
 */
export function modelFromFiles(files: ReadonlyMap<string, Uint8Array>): ModelFromFiles {
  const model = files.get(MODEL_JSON);
  const weights = files.get(WEIGHTS_BIN);
  if (!model) throw new Error(`The model version has no ${MODEL_JSON}.`);
  if (!weights) throw new Error(`The model version has no ${WEIGHTS_BIN}.`);
  const metrics = json<{ threshold?: unknown } | null>(files, METRICS_JSON);
  const lineage = json<{ config?: TrainConfig & { target?: unknown } }>(files, LINEAGE_JSON);
  const threshold = metrics && typeof metrics.threshold === 'number' ? metrics.threshold : null;
  const targetName = typeof lineage.config?.target === 'string' ? lineage.config.target : 'target';
  // A copy, so the weights buffer is exactly the file's bytes whatever view it came in.
  const buffer = weights.slice().buffer;
  return {
    files: { modelJson: new TextDecoder().decode(model), weights: buffer },
    preprocessing: json<PreprocessSpec>(files, PREPROCESSING_JSON),
    target: json<TargetSpec>(files, TARGET_JSON),
    inputSchema: json<InputSchemaColumn[]>(files, SCHEMA_JSON),
    threshold,
    targetName,
    config: lineage.config && typeof lineage.config.target === 'string' ? lineage.config : null,
  };
}

/** A training request with what the worker needs, beyond the run itself, to seal its model version (lineage.json). */
export interface SealedTrainRequest extends TrainRequest {
  lineage: { notebookId: string | null; fingerprint: string };
}

/** A run's outcome as the train worker returns it: a completed run comes with its sealed model version. */
export type SealedTrainOutcome =
  | Exclude<TrainOutcome, { status: 'completed' }>
  | { status: 'completed'; result: TrainResult; version: SealedModelVersion };

/**
 * Builds and seals the model version of a completed run: its files
 * (modelFiles, with the lineage of the request), their hashes, the manifest
 * and the id. The same run always gives the same version id.
 */
export function sealTrainResult(request: SealedTrainRequest, result: TrainResult): Promise<SealedModelVersion> {
  const parentRunId = request.init?.parentRunId;
  const files = modelFiles(result, {
    runId: request.runId,
    datasetHash: request.config.datasetHash,
    notebookId: request.lineage.notebookId,
    fingerprint: request.lineage.fingerprint,
    config: request.config,
    appVersion: result.environment.appVersion,
    tfjsVersion: result.environment.tfjsVersion,
    backend: result.backend.used,
    ...(parentRunId ? { parentRunId } : {}),
  });
  return sealModelVersion(files);
}
