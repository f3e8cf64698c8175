/**
 * A run as one JSON file (“Export run (JSON)” on the run page): its config,
 * names, dataset hash, model version, status, test metrics, epochs, the
 * evaluation summary, the decision threshold, and the run's analyses
 * (fairness, which features matter) when they were run. For reading in a
 * notebook or a script, not for importing back: a run travels whole in a
 * backup.
 *
 * JSON has no NaN or Infinity: an undefined metric (an AUC on one class, a
 * recall of a group without positives) is written as null (`finiteOnly`).
 */
import type { EpochRecord, EvaluationSummary, ThresholdReport, TrainConfig } from '../training';
import { finiteOnly, headlineMetrics } from './run-results';

export const RUN_EXPORT_FORMAT = 'labbook-run';
export const RUN_EXPORT_FORMAT_VERSION = 1;

/**
 * An analysis report as the export carries it: any plain JSON object with
 * its kind (core/fairness FairnessReport and core/explain ImportanceReport fit;
 * those domains sit above models, so the export does not name their types).
 */
export interface ExportedAnalysis {
  readonly kind: string;
}

/** What the page knows of a run, its names and its analyses. */
export interface RunExportInput {
  id: string;
  /** The run's name (runName: the stored name or its default). */
  name: string;
  datasetHash: string;
  /** The dataset's name and version number, when the dataset is still stored. */
  datasetName: string | null;
  datasetVersion: number | null;
  modelVersionId: string | null;
  /** The registered model's name and version number, when stored. */
  modelName: string | null;
  modelVersion: number | null;
  notebookId: string | null;
  fingerprint: string;
  status: string;
  statusMessage: string | null;
  createdAt: number;
  endedAt: number | null;
  durationMs: number | null;
  config: TrainConfig;
  mainMetric: string | null;
  evaluation: EvaluationSummary | null;
  threshold: ThresholdReport | null;
  epochs: readonly EpochRecord[];
  bestEpoch: number | null;
  stoppedEarly: boolean;
  notes: string;
  tags: readonly string[];
  fairness?: ExportedAnalysis | null;
  importance?: ExportedAnalysis | null;
}

/** The exported document (after JSON.parse, every non-finite number is null). */
export interface RunExportDocument {
  format: typeof RUN_EXPORT_FORMAT;
  formatVersion: typeof RUN_EXPORT_FORMAT_VERSION;
  /** ISO 8601, UTC. */
  exportedAt: string;
  run: {
    id: string;
    name: string;
    status: string;
    statusMessage: string | null;
    createdAt: string;
    endedAt: string | null;
    durationMs: number | null;
    fingerprint: string;
    notebookId: string | null;
    dataset: { hash: string; name: string | null; version: number | null };
    modelVersion: { id: string; name: string | null; version: number | null } | null;
    config: TrainConfig;
    notes: string;
    tags: string[];
  };
  /** The headline test metrics (ROC AUC, accuracy… or MAE, RMSE, R²); null for one left undefined. */
  metrics: Record<string, number | null>;
  mainMetric: string | null;
  /** The decision threshold used on test (binary), null otherwise; `thresholdChoice` says how it was chosen. */
  threshold: number | null;
  thresholdChoice: ThresholdReport | null;
  evaluation: EvaluationSummary | null;
  epochs: EpochRecord[];
  bestEpoch: number | null;
  stoppedEarly: boolean;
  fairness?: ExportedAnalysis;
  importance?: ExportedAnalysis;
}

function iso(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

/**
 * The run's export document, as plain JSON-ready data (non-finite numbers
 * become null; analyses are included only when present). `at` is the export
 * time (ms), so the same input and time give the same text.
 */
export function runExport(input: RunExportInput, at: number): RunExportDocument {
  const evaluation = input.evaluation;
  const threshold = evaluation && evaluation.task !== 'regression' && typeof evaluation.threshold === 'number' ? evaluation.threshold : null;
  const doc: RunExportDocument = {
    format: RUN_EXPORT_FORMAT,
    formatVersion: RUN_EXPORT_FORMAT_VERSION,
    exportedAt: new Date(at).toISOString(),
    run: {
      id: input.id,
      name: input.name,
      status: input.status,
      statusMessage: input.statusMessage,
      createdAt: iso(input.createdAt) ?? '',
      endedAt: iso(input.endedAt),
      durationMs: input.durationMs,
      fingerprint: input.fingerprint,
      notebookId: input.notebookId,
      dataset: { hash: input.datasetHash, name: input.datasetName, version: input.datasetVersion },
      modelVersion: input.modelVersionId === null ? null : { id: input.modelVersionId, name: input.modelName, version: input.modelVersion },
      config: input.config,
      notes: input.notes,
      tags: [...input.tags],
    },
    metrics: evaluation ? headlineMetrics(evaluation) : {},
    mainMetric: input.mainMetric,
    threshold,
    thresholdChoice: input.threshold,
    evaluation,
    epochs: [...input.epochs],
    bestEpoch: input.bestEpoch,
    stoppedEarly: input.stoppedEarly,
  };
  if (input.fairness) doc.fairness = input.fairness;
  if (input.importance) doc.importance = input.importance;
  return finiteOnly(doc) as RunExportDocument;
}

/** The export as JSON text (two-space indented, non-finite numbers as null). */
export function runExportJson(input: RunExportInput, at: number): string {
  return `${JSON.stringify(runExport(input, at), null, 2)}\n`;
}

/**
 * `<run name>.json`, the name made safe for any file system: characters
 * Windows, macOS or Linux refuse (and control characters) become `_`,
 * leading and trailing dots and spaces go, at most 100 characters; "run" when
 * nothing is left.
 */
export function runExportFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = name.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '_').replace(/^[\s.]+|[\s.]+$/g, '').slice(0, 100);
  return `${safe === '' ? 'run' : safe}.json`;
}
