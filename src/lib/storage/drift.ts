/** Drift report repository: a report is written once, after the check, with its inputs' hashes. */
import { db } from './db';
import type { DriftReportRecord } from './records';

export async function saveDriftReport(report: DriftReportRecord): Promise<void> {
  await db().driftReports.add(report);
}

export async function getDriftReport(id: string): Promise<DriftReportRecord | undefined> {
  return db().driftReports.get(id);
}

/** The reports about a model version, newest first. */
export async function driftReportsOf(modelVersionId: string): Promise<DriftReportRecord[]> {
  const found = await db().driftReports.where('modelVersionId').equals(modelVersionId).toArray();
  return found.sort((a, b) => b.createdAt - a.createdAt);
}
