/** Champion/challenger evaluations (Evaluate models cells' results). */
import { db } from './db';
import type { EvaluationRecord } from './records';

export async function saveEvaluation(record: EvaluationRecord): Promise<void> {
  await db().evaluations.put(record);
}

export async function getEvaluation(id: string): Promise<EvaluationRecord | undefined> {
  return db().evaluations.get(id);
}

/** Every evaluation a model version took part in, newest first. */
export async function evaluationsOfVersion(versionId: string): Promise<EvaluationRecord[]> {
  const found = await db().evaluations.where('modelVersionIds').equals(versionId).toArray();
  return found.sort((a, b) => b.createdAt - a.createdAt);
}
