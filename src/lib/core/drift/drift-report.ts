/**
 * A drift check as it is stored and exported: its inputs' hashes, settings,
 * per-feature results and verdict. Plain data; storage keeps it as is
 * (DriftReportRecord) and drift-html.ts exports it.
 */
import { driftSummary, type DriftOptions, type DriftResult } from './drift';
import { modelSummary, withTolerances, type ModelDrift } from './drift-model';
import type { Tolerances } from './drift-verdict';
import type { SchemaFinding } from '../training';

export interface DriftReportDocument {
  /** Random id (newId). */
  id: string;
  createdAt: number;
  notebookId: string | null;
  /** What the new data was compared with: a dataset version, or the rows a model version was trained on. */
  reference: { kind: 'dataset' | 'model'; datasetHash: string; label: string };
  /** The new data's dataset version (SHA-256 of its file). */
  currentHash: string;
  currentLabel: string;
  /** The model version checked (prediction, label and concept drift), if any. */
  modelVersionId: string | null;
  modelLabel: string | null;
  options: DriftOptions;
  schema: readonly SchemaFinding[];
  result: DriftResult;
  /** The model's drift, checks and verdict (`model.verdict` is absent in reports stored before verdicts). */
  model: ModelDrift | null;
  /** What a non-specialist reads first: the dataset's summary, then the model's verdict. */
  summary: string;
  referenceReused: boolean;
  ms: number;
  /** The notebook cell fingerprint the check ran with (absent on reports made outside a cell, or before fingerprints). */
  cellFingerprint?: string | null;
}

/** The summary of a check: the dataset's drift, then the model verdict's sentence. */
export function reportSummary(result: DriftResult, model: ModelDrift | null): string {
  return [driftSummary(result), model ? modelSummary(model) : ''].filter((x) => x !== '').join(' ');
}

/**
 * The report judged at other tolerances (the drift cell's, changed after the
 * check): the model's rows, verdict and summary follow; every measurement
 * stays as it was checked. Without a model it is the report itself.
 */
export function reportAtTolerances(report: DriftReportDocument, tolerances: Tolerances): DriftReportDocument {
  if (!report.model) return report;
  const model = withTolerances(report.model, tolerances);
  return { ...report, model, summary: reportSummary(report.result, model) };
}
