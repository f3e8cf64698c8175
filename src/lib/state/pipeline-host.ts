/**
 * What *Run all* reads from the app: the registry's links (model version ->
 * run, aliases, each train cell's newest model) and whether a stamped result
 * is still stored.
 */
import type { Cell, CellOutputs } from '../core/notebook';
import type { PipelineContext } from '../core/pipeline';
import type { ModelVersionRecord, RunSummaryRecord, VersionRecord } from '../storage/records';
import type { ModelWithVersions } from '../storage/models';
import { getPrediction } from '../storage/predictions';
import { getDriftReport } from '../storage/drift';
import { getEvaluation } from '../storage/evaluations';

export interface RegistryView {
  allVersions(): ModelVersionRecord[];
  run(id: string | null | undefined): RunSummaryRecord | undefined;
  version(id: string | null | undefined): ModelVersionRecord | undefined;
  readonly registry: { readonly models: readonly ModelWithVersions[] };
}

export function pipelineContext(records: RegistryView, cells: readonly Cell[]): Omit<PipelineContext, 'cells'> {
  const modelVersionRuns = new Map(records.allVersions().map((v) => [v.id, v.runId]));
  const aliases = new Map(records.registry.models.map((m) => [m.model.name, m.model.aliases]));
  const cellModels = new Map<string, string>();
  for (const cell of cells) {
    if (cell.kind !== 'train') continue;
    // The newest run of the cell that stored a model version.
    for (let i = cell.config.runIds.length - 1; i >= 0; i--) {
      const versionId = records.run(cell.config.runIds[i])?.modelVersionId;
      if (versionId) {
        cellModels.set(cell.id, versionId);
        break;
      }
    }
  }
  return { modelVersionRuns, aliases, cellModels };
}

export interface OutputsHost {
  findVersion(hash: string | null): { version: VersionRecord } | null;
  records: Pick<RegistryView, 'run' | 'version'>;
}

/** Whether every record `outputs` names is still stored (a deleted run or report is not a cached result). */
export async function outputsStored(host: OutputsHost, outputs: CellOutputs): Promise<boolean> {
  if (outputs.datasetHash && !host.findVersion(outputs.datasetHash)) return false;
  if (outputs.runId && host.records.run(outputs.runId)?.status !== 'completed') return false;
  if (outputs.modelVersionId && !host.records.version(outputs.modelVersionId)) return false;
  if (outputs.predictionId && !(await getPrediction(outputs.predictionId))) return false;
  if (outputs.reportId && !(await getDriftReport(outputs.reportId))) return false;
  if (outputs.evaluationId && !(await getEvaluation(outputs.evaluationId))) return false;
  return true;
}
