/**
 * What a drift cell's settings resolve to (the model, the reference and the
 * new data, their labels, whether a check can run): one function the cell
 * shows and *Run all* runs from, so both check the same thing.
 */
import type { DriftCellConfig } from '../core/notebook';
import type { SchemaFinding } from '../core/training';
import type { ModelVersionRecord, RunSummaryRecord, VersionRecord } from '../storage/records';
import type { DatasetWithVersions } from '../storage/datasets';
import { schemaFindings, type DriftInputs } from './drift.svelte';

type Found = { dataset: DatasetWithVersions; version: VersionRecord } | null;

export interface DriftCellHost {
  findVersion(hash: string | null): Found;
  records: { version(id: string | null | undefined): ModelVersionRecord | undefined; run(id: string | null | undefined): RunSummaryRecord | undefined };
}

export interface DriftCellInputs {
  model: ModelVersionRecord | undefined;
  referenceHash: string | null;
  reference: Found;
  current: Found;
  referenceLabel: string;
  targetName: string | null;
  /** A check can run: new data, and reference rows or a model's stored statistics. */
  usable: boolean;
  findings: SchemaFinding[];
}

export function datasetLabel(f: NonNullable<Found>): string {
  return `${f.dataset.dataset.name} v${f.version.version}`;
}

export function driftCellInputs(host: DriftCellHost, c: DriftCellConfig): DriftCellInputs {
  const model = c.referenceKind === 'model' ? host.records.version(c.modelVersionId) : undefined;
  const referenceHash = c.referenceKind === 'model' ? (model?.datasetHash ?? null) : c.referenceHash;
  const reference = host.findVersion(referenceHash);
  const current = host.findVersion(c.currentHash);
  const targetName = model ? (host.records.run(model.runId)?.config.target ?? null) : null;
  // A model version's training data may be elsewhere: then its bundle's reference statistics stand in.
  const usable = current !== null && (reference !== null || (c.referenceKind === 'model' && model !== undefined && referenceHash !== null));
  const referenceLabel = reference
    ? c.referenceKind === 'model' && model
      ? `the training split of ${datasetLabel(reference)} (the rows ${model.modelName} v${model.version} was trained on)`
      : datasetLabel(reference)
    : model
      ? `the statistics of ${referenceHash?.slice(0, 12)} stored with ${model.modelName} v${model.version}`
      : '';
  const findings =
    current && referenceHash && usable
      ? schemaFindings({ reference: { kind: c.referenceKind, version: reference?.version ?? null, datasetHash: referenceHash, label: referenceLabel }, current: { version: current.version, label: datasetLabel(current) }, model: model ?? null }, targetName)
      : [];
  return { model, referenceHash, reference, current, referenceLabel, targetName, usable, findings };
}

/** The drift job's inputs for a cell, or null when it cannot run. */
export function driftJobInputs(inputs: DriftCellInputs, c: DriftCellConfig, notebookId: string, cellFingerprint: string | null): DriftInputs | null {
  const { current, referenceHash, reference, model } = inputs;
  if (!inputs.usable || !current || !referenceHash) return null;
  return {
    reference: { kind: c.referenceKind, version: reference?.version ?? null, datasetHash: referenceHash, label: inputs.referenceLabel },
    current: { version: current.version, label: datasetLabel(current) },
    model: model ?? null,
    options: { overrides: c.overrides, shareThreshold: c.shareThreshold },
    tolerances: c.modelTolerances,
    notebookId,
    cellFingerprint,
  };
}
