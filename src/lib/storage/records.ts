/** Shapes of the stored records. Pure types, shared by storage and state. */
import type {
  ThresholdReport,
  BackendReport,
  EnvironmentInfo,
  EpochRecord,
  Evaluation,
  EvaluationCurves,
  EvaluationSummary,
  InputSchemaColumn,
  MainMetric,
  RunDiagnostic,
  RunStatus,
  SolverReport,
  SplitSizes,
  TestScores,
  Task,
  TrainConfig,
  PreprocessSpec,
  TargetSpec,
} from '../core/training';
import type {
  ChunkLayout,
  ColumnSchema,
  DatasetProfile,
  Delimiter,
  HeaderRename,
  RaggedReport,
} from '../core/common';
import type { Cell } from '../core/notebook';
import type { FairnessReport } from '../core/fairness';
import type { Recipe } from '../core/prepare';
import type { ImportanceReport } from '../core/explain';
import type { ModelManifest, PredictionSummary } from '../core/models';
import type { CsvValue } from '../core/csv';
import type { ModelRef } from '../core/notebook';
import type { Evaluation as ModelsEvaluation, Rehearsal } from '../core/evaluate';
import type { DriftReportDocument } from '../core/drift';

export interface NotebookRecord {
  id: string;
  title: string;
  cells: Cell[];
  createdAt: number;
  updatedAt: number;
  /**
   * Grows by one on every write. A tab saves only over the revision it last read;
   * otherwise it merges (core/notebook/notebook-merge.ts). Absent in notebooks stored before
   * revisions existed (read as 0).
   */
  rev?: number;
  /** When each cell's config last changed (by cell id): the later edit of a cell wins a merge. */
  editedAt?: Record<string, number>;
}

/**
 * Small app settings kept in the database (values structured-cloned, so a folder
 * handle from the File System Access API can be kept): the automatic backup folder,
 * when the last backup was made.
 */
export interface SettingRecord {
  key: string;
  value: unknown;
}

export interface DatasetRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface VersionRecord {
  /** SHA-256 of the file's bytes, hex. */
  hash: string;
  datasetId: string;
  /** 1, 2, 3… within its dataset. */
  version: number;
  fileName: string;
  fileBytes: number;
  storedBytes: number;
  rows: number;
  encoding: 'utf-8' | 'windows-1252';
  hadBom: boolean;
  delimiter: Delimiter;
  delimiterDetected: boolean;
  lineEnding: 'lf' | 'crlf' | 'cr' | 'none';
  schema: ColumnSchema[];
  renames: HeaderRename[];
  profile: DatasetProfile;
  preview: string[][];
  dictBlob: Blob;
  ragged: RaggedReport;
  unusualNames: string[];
  chunkCount: number;
  createdAt: number;
  /** A version made by a Prepare recipe: its input version(s) and the recipe (absent on imported files). */
  derivation?: Derivation | null;
}

/** The lineage of a prepared version: the input first, then any joined versions, and the recipe with its hash. */
export interface Derivation {
  parents: string[];
  recipe: Recipe;
  recipeHash: string;
  /** A version made by an operation, not a recipe (its recipe is then empty): how it was made from `parents`. */
  operation?: DerivationOperation | null;
}

/**
 * "Retrain with this data": 'retrain-train' is every row of parents[0] then the rows of parents[1]
 * not held out; 'retrain-holdout' the held-out rows of parents[0]. Row i of the new data is held
 * out when rowUniform(deriveSeed(seed, 'retrain-holdout'), i) < share (core/evaluate's rule).
 */
export interface DerivationOperation {
  kind: 'retrain-train' | 'retrain-holdout';
  seed: number;
  share: number;
  /** In words, for the lineage. */
  note: string;
}

export interface ChunkRecord {
  hash: string;
  index: number;
  layout: ChunkLayout;
  blob: Blob;
}

/** One training run: its config, live progress and final results. */
export interface RunRecord {
  /** Random id (newId). */
  id: string;
  notebookId: string | null;
  cellId: string | null;
  /** Its readable name ("logreg-balanced-3"); absent on runs stored before names (see withRunNames). */
  name?: string | null;
  /** The dataset version trained on. */
  datasetHash: string;
  config: TrainConfig;
  /** runFingerprint(datasetHash, config, appVersion). */
  fingerprint: string;
  status: RunStatus;
  /** For the screen: why it failed, was cancelled or interrupted. */
  statusMessage: string | null;
  notes: string;
  tags: string[];
  /** The run this one was started to reproduce. */
  reproducesRunId: string | null;
  /** The sweep this run belongs to (absent in runs stored before sweeps existed). */
  sweepId?: string | null;
  /** The notebook cell fingerprint (core/pipeline) of the train cell that started it, when a cell did. */
  cellFingerprint?: string | null;
  /** The drift report whose "Retrain with this data" set this run up (the retraining loop's lineage). */
  retrainedFrom?: string | null;
  createdAt: number;
  /** Last sign of life from the training tab; stale running runs become 'interrupted'. */
  heartbeatAt: number;
  endedAt: number | null;
  durationMs: number | null;
  backend: BackendReport | null;
  environment: EnvironmentInfo | null;
  sizes: SplitSizes | null;
  mainMetric: MainMetric | null;
  epochs: EpochRecord[];
  bestEpoch: number | null;
  stoppedEarly: boolean;
  preprocessing: PreprocessSpec | null;
  target: TargetSpec | null;
  evaluation: Evaluation | null;
  /** Binary runs with a tuned decision threshold (absent in runs stored before it existed). */
  threshold?: ThresholdReport | null;
  /** How the training split was rebalanced, when it was. */
  imbalanceNote?: string | null;
  /** Manifest hash of the model version it produced. */
  modelVersionId: string | null;
  /** The run whose last weights this one continued training from (absent on runs stored before it existed). */
  parentRunId?: string | null;
  /** Linear models fitted by the full-batch solver. */
  solver?: SolverReport | null;
  /** Plain-words findings about the run (still improving, not converged…). */
  diagnostics?: RunDiagnostic[];
  /** Binary runs: the test split's labels and scores (kept in the run's details half). */
  testScores?: TestScores | null;
}

/**
 * A run as the `runs` table holds it and lists show it: the whole run but its
 * per-epoch history and its evaluation's curves, which are its RunDetailsRecord
 * (a run with 100 epochs and its curves is ~40 KB, its summary ~5 KB: a
 * thousand runs list in a tenth of the time).
 */
export interface RunSummaryRecord extends Omit<RunRecord, 'epochs' | 'evaluation' | 'testScores'> {
  evaluation: EvaluationSummary | null;
  /** Epochs recorded so far (their values are in the details). */
  epochCount: number;
}

/** The bulky half of a run, read only for the runs being drawn. */
export interface RunDetailsRecord extends EvaluationCurves {
  runId: string;
  epochs: EpochRecord[];
  /** Binary runs: the test split's labels and scores, for the live threshold (absent on older runs). */
  testScores?: TestScores | null;
  /** The latest fairness analysis of the run's model version (absent until one is run). */
  fairness?: FairnessReport | null;
  /** The latest feature-importance analysis of the run's model version (absent until one is run). */
  importance?: ImportanceReport | null;
}

/** A registered model name; its versions are ModelVersionRecords. */
export interface ModelRecord {
  /** Primary key, trimmed, 1 to 64 characters. */
  name: string;
  createdAt: number;
  updatedAt: number;
  latestVersion: number;
  /** alias -> version id. An alias points at one version; a version may carry several. */
  aliases: Record<string, string>;
}

export interface ModelVersionRecord {
  /** SHA-256 of manifestText, hex. */
  id: string;
  modelName: string;
  /** 1, 2, 3… within its model. */
  version: number;
  runId: string;
  datasetHash: string;
  notebookId: string | null;
  task: Task;
  manifest: ModelManifest;
  /** Canonical JSON of the manifest, exactly as hashed. */
  manifestText: string;
  inputSchema: InputSchemaColumn[];
  preprocessing: PreprocessSpec;
  target: TargetSpec;
  /** The numbers shown in the registry, e.g. {rocAuc, accuracy} or {rmse, r2}. */
  headline: Record<string, number>;
  createdAt: number;
  /** Where the version came from; absent on versions stored before bundles existed (trained here). */
  source?: 'trained' | 'bundle';
  /** When it was imported from a bundle (source 'bundle'); its run and dataset are then in another browser. */
  importedAt?: number;
}

/** One file of a model version. */
export interface ModelFileRecord {
  versionId: string;
  path: string;
  sha256: string;
  bytes: number;
  blob: Blob;
}

/**
 * A file that travelled with a model version in a bundle but is not part of
 * its identity (README.md, reference-stats.json): kept so a re-export carries
 * it along. Checked against bundle.json's SHA-256 when it was imported.
 */
export interface ModelExtraRecord {
  versionId: string;
  path: string;
  sha256: string;
  bytes: number;
  blob: Blob;
}

/** A batch prediction: a model version applied to a dataset version, with its file. */
export interface PredictionRecord {
  /** Random id (newId). */
  id: string;
  modelVersionId: string;
  datasetHash: string;
  createdAt: number;
  summary: PredictionSummary;
  header: string[];
  /** The first rows of the file, for the preview table. */
  preview: CsvValue[][];
  /** The prediction file (CSV, UTF-8 with BOM). */
  csv: Blob;
  backend: string;
  ms: number;
  /** The notebook cell fingerprint the prediction ran with (absent before fingerprints). */
  cellFingerprint?: string | null;
}

/** A stored drift check (its shape is core's, so storage and the exports agree). */
export type DriftReportRecord = DriftReportDocument;

/** An alias was set, moved (from and to) or removed (to null); a promotion says who, why and on which evaluation. */
export interface AliasEventRecord {
  id?: number;
  modelName: string;
  alias: string;
  from: string | null;
  to: string | null;
  at: number;
  /** Who moved it, as they typed their name (absent on events before promotions). */
  by?: string | null;
  /** Why, in their words (a promotion starts from the evaluation's verdict). */
  why?: string | null;
  /** The evaluation (EvaluationRecord.id) the promotion rests on. */
  evaluationId?: string | null;
}

/** One model of an evaluation, as it was resolved when the evaluation ran. */
export interface EvaluatedModel {
  /** How the cell named it. */
  ref: ModelRef;
  versionId: string;
  /** "heart-model v2 @champion". */
  label: string;
  /** The decision threshold used for its labels (binary; null otherwise). */
  threshold: number | null;
}

/** Champion against challengers on one labelled dataset version (an Evaluate models cell's result). */
export interface EvaluationRecord {
  /** Random id (newId). */
  id: string;
  createdAt: number;
  notebookId: string | null;
  cellId: string | null;
  /** The cell fingerprint the evaluation ran with. */
  cellFingerprint: string | null;
  datasetHash: string;
  /** "heart-new v1 (4,000 rows)". */
  datasetLabel: string;
  /** The target column the labels came from. */
  target: string;
  /** Champion first. */
  models: EvaluatedModel[];
  /** The version ids of `models`, in order (indexed: a version's evaluations). */
  modelVersionIds: string[];
  /** Metrics with intervals, paired differences, disagreement and verdicts (core/evaluate). */
  evaluation: ModelsEvaluation;
  /** Shadow, canary and A/B on the same rows, against the first challenger. */
  rehearsals: Rehearsal[];
  ms: number;
}
