/**
 * A drift check as it is stored and exported: its inputs' hashes, settings,
 * per-feature results and verdict. Plain data; storage keeps it as is
 * (DriftReportRecord) and drift-html.ts exports it.
 */
import type { DriftOptions, DriftResult } from './drift';
import type { ModelDrift } from './drift-model';
import type { SchemaFinding } from './schema-check';

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
  model: ModelDrift | null;
  /** What a non-specialist reads first. */
  summary: string;
  referenceReused: boolean;
  ms: number;
}
