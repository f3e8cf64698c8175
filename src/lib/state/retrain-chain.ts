/**
 * What a model version page's retraining chain reads: the drift report its run was retrained
 * from, the evaluations the version took part in, and its model's alias events; then
 * core/evaluate's retrainChain puts them in order.
 */
import { retrainChain, type RetrainChainStep } from '../core/evaluate';
import { getDriftReport } from '../storage/drift';
import { evaluationsOfVersion } from '../storage/evaluations';
import { aliasHistory } from '../storage/models';
import type { ModelVersionRecord, RunSummaryRecord } from '../storage/records';

/** The steps of `version`'s chain (`run`: its run, when stored here; `versionNumber`: a version id's number). */
export async function loadRetrainChain(
  version: Pick<ModelVersionRecord, 'id' | 'modelName'>,
  run: Pick<RunSummaryRecord, 'id' | 'name' | 'createdAt' | 'retrainedFrom'> | undefined,
  versionNumber?: (versionId: string) => number | undefined,
): Promise<RetrainChainStep[]> {
  const from = run?.retrainedFrom ?? null;
  const [report, evaluations, aliasEvents] = await Promise.all([from ? getDriftReport(from) : Promise.resolve(undefined), evaluationsOfVersion(version.id), aliasHistory(version.modelName)]);
  return retrainChain({ version, run: run ?? null, report: report ?? null, evaluations, aliasEvents, versionNumber });
}
