/**
 * A TF.js IO handler of our own: models are saved into (and loaded from) two
 * in-memory files, `model.json` and `weights.bin`, exactly as TF.js's own
 * browser download writes them, so the stored bytes can be hashed, kept as
 * Blobs in IndexedDB, exported in a bundle and loaded by any TF.js program.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelArtifactsFiles } from '../core/training';

export const WEIGHTS_PATH = 'weights.bin';

/** Saves a layers model into `model.json` text and one weights buffer. */
export async function saveToFiles(model: tf.LayersModel): Promise<ModelArtifactsFiles> {
  let files: ModelArtifactsFiles | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData
        ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
        : new ArrayBuffer(0);
      const json = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_PATH], weights: artifacts.weightSpecs ?? [] }],
      };
      files = { modelJson: JSON.stringify(json), weights };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!files) throw new Error('TF.js did not hand over the model to save.');
  return files;
}

interface ModelJson {
  modelTopology?: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** An IO handler that loads a model from `model.json` text and its weights buffer. */
export function loadHandler(files: ModelArtifactsFiles): tf.io.IOHandler {
  return {
    load: async () => {
      let json: ModelJson;
      try {
        json = JSON.parse(files.modelJson) as ModelJson;
      } catch {
        throw new Error('model.json is not valid JSON.');
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new Error('model.json has no model topology or weights manifest: it is not a TF.js layers model.');
      }
      const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
      return {
        modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        weightSpecs,
        weightData: files.weights,
      };
    },
  };
}

/** Loads a saved model back (for prediction, and to check a save round-trips). */
export async function loadFromFiles(files: ModelArtifactsFiles): Promise<tf.LayersModel> {
  return tf.loadLayersModel(loadHandler(files));
}
