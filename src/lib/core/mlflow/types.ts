/**
 * What the MLflow export takes and what reading one back gives. Plain shapes,
 * independent of Labbook's storage records: the caller maps its runs and
 * registry onto them.
 */

/** MLflow's run statuses (service.proto RunStatus) that Labbook can have. */
export type MlflowRunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface MlflowExperimentInput {
  /** Folder name under mlruns/: a letter or digit, then letters, digits, _ or - (not 'models'). */
  id: string;
  name: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface MlflowMetricPoint {
  key: string;
  value: number;
  /** Integer, usually the epoch. */
  step: number;
  /** Milliseconds since the epoch, an integer ≥ 0. */
  timestamp: number;
}

export interface MlflowArtifact {
  /** Relative to the run's artifacts/ folder, '/'-separated: 'model/model.json'. */
  path: string;
  bytes: Uint8Array;
}

export interface MlflowRunInput {
  /** The run folder and run_id: a letter or digit, then letters, digits, _ or - (32 hex is MLflow's own). */
  id: string;
  name: string;
  experimentId: string;
  status: MlflowRunStatus;
  startTime: number;
  /** null while running. */
  endTime: number | null;
  params: Record<string, string>;
  /** User tags. mlflow.runName, mlflow.user, mlflow.source.* are added (given ones win, but mlflow.runName must equal name). */
  tags: Record<string, string>;
  metrics: MlflowMetricPoint[];
  artifacts: MlflowArtifact[];
  /** Markdown shown as the run's description in the MLflow UI (tag mlflow.note.content). */
  note?: string;
}

export interface MlflowModelVersionInput {
  /** 1, 2, … */
  version: number;
  createdAt: number;
  runId: string;
  /** Artifact path inside the run, e.g. 'model'. */
  source: string;
  status: 'READY';
  description?: string;
}

export interface MlflowRegisteredModelInput {
  name: string;
  createdAt: number;
  updatedAt: number;
  description?: string;
  /** alias → version number, e.g. { champion: 2 }. */
  aliases: Record<string, number>;
  versions: MlflowModelVersionInput[];
}

export interface MlflowExportInput {
  experiment: MlflowExperimentInput;
  runs: MlflowRunInput[];
  registeredModels: MlflowRegisteredModelInput[];
}

/**
 * Several experiments in one store (one per Labbook notebook): each run names
 * its experiment by id. Ids and names must be unique, and differ from the
 * default experiment's ('0', 'Default') when that is written.
 */
export interface MlflowStoreInput {
  experiments: MlflowExperimentInput[];
  runs: MlflowRunInput[];
  registeredModels: MlflowRegisteredModelInput[];
}

export interface MlflowExportOptions {
  /**
   * The file URI that stands for the mlruns folder in every artifact_location,
   * artifact_uri, source and storage_location (no trailing '/'). The rewrite
   * script replaces it with the real path once unzipped. Default MLFLOW_PLACEHOLDER_ROOT.
   */
  rootUri?: string;
  /** user_id of the runs and the mlflow.user tag. Default 'labbook'. */
  user?: string;
  /** 'throw' (default): a metric, param or tag key MLflow refuses stops the export; 'sanitize': it is renamed by sanitizeMlflowKey. */
  invalidKeys?: 'throw' | 'sanitize';
  /** Also write experiment 0 "Default", which MLflow's tracking store expects to exist. Default true. */
  defaultExperiment?: boolean;
}

export interface MlflowFile {
  /** '/'-separated, starting with 'mlruns/'. */
  path: string;
  bytes: Uint8Array;
}

export interface ParsedExperiment {
  id: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
  creationTime: number | null;
  lastUpdateTime: number | null;
}

export interface ParsedRun {
  id: string;
  name: string | null;
  experimentId: string;
  status: MlflowRunStatus;
  startTime: number | null;
  endTime: number | null;
  userId: string | null;
  lifecycleStage: string;
  artifactUri: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** Every point of every metric, in file order per key, keys sorted. */
  metrics: MlflowMetricPoint[];
  artifacts: MlflowArtifact[];
}

export interface ParsedModelVersion {
  version: number;
  createdAt: number | null;
  updatedAt: number | null;
  runId: string | null;
  /** As written: the artifact URI. */
  source: string;
  /** source relative to the run's artifact_uri when it lies inside it, else null. */
  sourcePath: string | null;
  storageLocation: string | null;
  status: string;
  currentStage: string | null;
  description: string | null;
}

export interface ParsedRegisteredModel {
  name: string;
  createdAt: number | null;
  updatedAt: number | null;
  description: string | null;
  /** alias → version, read from the aliases/ files (as the registry reads them). */
  aliases: Record<string, number>;
  versions: ParsedModelVersion[];
}

export interface ParsedStore {
  experiments: ParsedExperiment[];
  runs: ParsedRun[];
  registeredModels: ParsedRegisteredModel[];
}
