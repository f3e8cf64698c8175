/**
 * A stored model version applied to a whole dataset version: the version's
 * own preprocessing (fitted on its training split) turns the columns into
 * features, the saved TF.js layers model gives the outputs in large batches,
 * and the version's decision threshold decides binary labels.
 */
import * as tf from '@tensorflow/tfjs';
import {
  transform,
  type PreprocessSpec,
  type TargetSpec,
  type ModelArtifactsFiles,
  type SourceColumn,
} from '../core/training';
import { outputsToPredictions, type PredictionOutput } from '../core/models';
import { loadFromFiles } from './io';
import { PREDICT_BATCH } from './predict';

/** What a model version needs to predict: its files and the JSON stored with it. */
export interface PredictableModel {
  files: ModelArtifactsFiles;
  preprocessing: PreprocessSpec;
  target: TargetSpec;
  /** The binary decision threshold the version carries (null: 0.5). */
  threshold: number | null;
}

/**
 * Predictions for every row of `columns` (all `rows` of a dataset version), or for `subset` of them.
 * `step`, when given, runs between batches: a superseded request stops there (it throws).
 * @throws Error naming a column the model needs that is absent (check the schema first)
 */
export async function predictRows(
  model: PredictableModel,
  columns: readonly SourceColumn[],
  rows: number,
  subset?: Uint32Array,
  step?: () => Promise<void>,
): Promise<PredictionOutput> {
  const all = subset ?? Uint32Array.from({ length: rows }, (_, i) => i);
  rows = all.length;
  const features = transform(
    model.preprocessing,
    columns.map((c) => ({ name: c.schema.name, data: c.data })),
    all,
  );
  const net = await loadFromFiles(model.files);
  try {
    const width = net.outputs[0]!.shape[net.outputs[0]!.shape.length - 1] ?? 1;
    const out = new Float32Array(rows * width);
    for (let start = 0; start < rows; start += PREDICT_BATCH) {
      await step?.();
      const size = Math.min(PREDICT_BATCH, rows - start);
      const y = tf.tidy(() => net.predict(tf.tensor2d(features.x.subarray(start * features.cols, (start + size) * features.cols), [size, features.cols]), { batchSize: size }) as tf.Tensor);
      out.set(await y.data(), start * width);
      y.dispose();
    }
    return outputsToPredictions(out, model.target, model.threshold);
  } finally {
    net.dispose();
  }
}
