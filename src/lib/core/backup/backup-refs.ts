/**
 * What a notebook references, for "Export notebook": the records its cells point
 * at, and transitively the dataset versions its runs, model versions,
 * predictions, drift reports and evaluations were made from (so Reproduce works elsewhere).
 */
import type { Cell } from '../notebook';
import { joinedVersionHashes } from '../prepare';

export interface References {
  versionHashes: Set<string>;
  runIds: Set<string>;
  modelVersionIds: Set<string>;
  predictionIds: Set<string>;
  driftReportIds: Set<string>;
  evaluationIds: Set<string>;
}

export function emptyReferences(): References {
  return { versionHashes: new Set(), runIds: new Set(), modelVersionIds: new Set(), predictionIds: new Set(), driftReportIds: new Set(), evaluationIds: new Set() };
}

const add = (set: Set<string>, v: unknown) => {
  if (typeof v === 'string' && v !== '') set.add(v);
};

/** The ids and hashes a notebook's cells point at directly. */
export function cellReferences(cells: readonly Cell[]): References {
  const r = emptyReferences();
  for (const cell of cells) {
    switch (cell.kind) {
      case 'dataset':
        add(r.versionHashes, cell.config.versionHash);
        break;
      case 'train':
        add(r.versionHashes, cell.config.config?.datasetHash);
        for (const id of cell.config.runIds) add(r.runIds, id);
        break;
      case 'compare':
        for (const id of cell.config.selected) add(r.runIds, id);
        add(r.runIds, cell.config.baselineId);
        break;
      case 'predict':
        add(r.modelVersionIds, cell.config.modelVersionId);
        add(r.versionHashes, cell.config.datasetHash);
        add(r.predictionIds, cell.config.predictionId);
        break;
      case 'drift':
        add(r.versionHashes, cell.config.referenceHash);
        add(r.versionHashes, cell.config.currentHash);
        add(r.modelVersionIds, cell.config.modelVersionId);
        add(r.driftReportIds, cell.config.reportId);
        break;
      case 'evaluate':
        // The labelled data, the versions named directly (aliases and train cells resolve through
        // the stored evaluation), and the evaluation the last run stored.
        add(r.versionHashes, cell.config.datasetHash);
        for (const ref of cell.config.models) if (ref.kind === 'version') add(r.modelVersionIds, ref.versionId);
        add(r.evaluationIds, cell.config.evaluationId);
        break;
      case 'prepare':
        // The input, every version it joins, and the version the last Apply stored.
        add(r.versionHashes, cell.config.inputHash);
        for (const hash of joinedVersionHashes(cell.config.recipe)) add(r.versionHashes, hash);
        add(r.versionHashes, cell.config.resultHash);
        break;
      default:
        break;
    }
  }
  return r;
}

/** How the closure looks records up (null: not stored here). */
export interface ReferenceLookup {
  run(id: string): Promise<{ datasetHash: string; modelVersionId: string | null } | null>;
  modelVersion(id: string): Promise<{ datasetHash: string } | null>;
  prediction(id: string): Promise<{ datasetHash: string; modelVersionId: string } | null>;
  driftReport(id: string): Promise<{ currentHash: string; reference: { datasetHash: string }; modelVersionId: string | null } | null>;
  /** Absent: evaluations are not followed (nothing of theirs is exported). */
  evaluation?(id: string): Promise<{ datasetHash: string; modelVersionIds: readonly string[] } | null>;
}

/**
 * The notebook's direct references plus what they were made from: runs bring
 * their dataset version and model version, model versions, predictions and
 * drift reports and evaluations their dataset versions (and model versions). Ids not stored
 * here are dropped.
 */
export async function referenceClosure(cells: readonly Cell[], lookup: ReferenceLookup): Promise<References> {
  const r = cellReferences(cells);
  const out = emptyReferences();
  for (const h of r.versionHashes) out.versionHashes.add(h);
  for (const id of r.runIds) {
    const run = await lookup.run(id);
    if (!run) continue;
    out.runIds.add(id);
    add(out.versionHashes, run.datasetHash);
    add(r.modelVersionIds, run.modelVersionId);
  }
  for (const id of r.predictionIds) {
    const p = await lookup.prediction(id);
    if (!p) continue;
    out.predictionIds.add(id);
    add(out.versionHashes, p.datasetHash);
    add(r.modelVersionIds, p.modelVersionId);
  }
  for (const id of r.driftReportIds) {
    const d = await lookup.driftReport(id);
    if (!d) continue;
    out.driftReportIds.add(id);
    add(out.versionHashes, d.currentHash);
    add(out.versionHashes, d.reference.datasetHash);
    add(r.modelVersionIds, d.modelVersionId);
  }
  for (const id of r.evaluationIds) {
    const e = lookup.evaluation ? await lookup.evaluation(id) : null;
    if (!e) continue;
    out.evaluationIds.add(id);
    add(out.versionHashes, e.datasetHash);
    for (const mv of e.modelVersionIds) add(r.modelVersionIds, mv);
  }
  for (const id of r.modelVersionIds) {
    const mv = await lookup.modelVersion(id);
    if (!mv) continue;
    out.modelVersionIds.add(id);
    add(out.versionHashes, mv.datasetHash);
  }
  return out;
}
