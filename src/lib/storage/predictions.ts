/** Prediction repository: a batch prediction and its file, written once. */
import { db } from './db';
import type { PredictionRecord } from './records';

/** Stores a finished prediction (its file as a Blob). */
export async function savePrediction(record: PredictionRecord): Promise<void> {
  await db().predictions.add(record);
}

export async function getPrediction(id: string): Promise<PredictionRecord | undefined> {
  return db().predictions.get(id);
}

/** Predictions of a model version, newest first. */
export async function predictionsOf(modelVersionId: string): Promise<PredictionRecord[]> {
  const found = await db().predictions.where('modelVersionId').equals(modelVersionId).toArray();
  return found.sort((a, b) => b.createdAt - a.createdAt);
}
