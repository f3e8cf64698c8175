/**
 * A run's analyses (fairness, feature importance) are kept in its details
 * half, beside its curves: they travel with the run in backups, exports and
 * the model bundle's card. A new analysis of the same kind replaces the last.
 */
import { db } from './db';
import type { FairnessReport } from '../core/fairness';
import type { ImportanceReport } from '../core/explain';

export type AnalysisReport = FairnessReport | ImportanceReport;

export interface RunAnalyses {
  fairness: FairnessReport | null;
  importance: ImportanceReport | null;
}

/**
 * Stores `report` with run `runId`, replacing that run's previous analysis of the same kind.
 * @throws Error when the run's details are not stored (the run was deleted)
 */
export async function saveAnalysis(runId: string, report: AnalysisReport): Promise<void> {
  const d = db();
  await d.transaction('rw', d.runDetails, async () => {
    const details = await d.runDetails.get(runId);
    if (!details) throw new Error('This run is no longer stored: its analysis was not saved.');
    await d.runDetails.put(report.kind === 'fairness' ? { ...details, fairness: report } : { ...details, importance: report });
  });
}

/** The analyses stored with a run (null for a kind not run yet). */
export async function getAnalyses(runId: string): Promise<RunAnalyses> {
  const details = await db().runDetails.get(runId);
  return { fairness: details?.fairness ?? null, importance: details?.importance ?? null };
}
