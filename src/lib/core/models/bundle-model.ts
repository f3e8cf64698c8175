/**
 * What an imported model.json may contain. TF.js builds whatever layer
 * classes a topology names, so a bundle is held to the classes Labbook's own
 * models use (see src/lib/ml/model.ts: a tf.Sequential of Dense layers), and
 * its weights manifest must account for weights.bin byte for byte: a
 * mismatch would otherwise surface as a confusing TF.js error, or as weights
 * read from the wrong offsets.
 */
import { BundleError, NOTHING_IMPORTED } from './bundle';
import { LINEAGE_JSON, METRICS_JSON, MODEL_JSON, PREPROCESSING_JSON, SCHEMA_JSON, TARGET_JSON, WEIGHTS_BIN } from './model-manifest';

/** Model classes a topology may have at its root. */
export const ALLOWED_MODEL_CLASSES: ReadonlySet<string> = new Set(['Sequential', 'Model', 'Functional']);
/** Layer classes Labbook's networks are made of (InputLayer appears in functional and some Sequential topologies). */
export const ALLOWED_LAYER_CLASSES: ReadonlySet<string> = new Set(['Dense', 'InputLayer']);
/** Built-in TF.js classes that may appear inside a layer's config: initializers, regularizers, constraints. */
export const ALLOWED_CONFIG_CLASSES: ReadonlySet<string> = new Set([
  'Zeros',
  'Ones',
  'Constant',
  'RandomUniform',
  'RandomNormal',
  'TruncatedNormal',
  'GlorotUniform',
  'GlorotNormal',
  'HeUniform',
  'HeNormal',
  'LeCunUniform',
  'LeCunNormal',
  'VarianceScaling',
  'Orthogonal',
  'Identity',
  'L1L2',
  'MaxNorm',
  'UnitNorm',
  'NonNeg',
  'MinMaxNorm',
]);
/** Activations of Labbook's hidden layers (relu, tanh, sigmoid, elu) and heads (sigmoid, softmax, linear). */
export const ALLOWED_ACTIVATIONS: ReadonlySet<string> = new Set(['linear', 'relu', 'tanh', 'sigmoid', 'elu', 'softmax']);
/** Bytes per value of the weight dtypes TF.js stores unquantized with a fixed width. */
export const WEIGHT_DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

const MAX_DEPTH = 64;
/** The keys src/lib/ml/io.ts writes; others (a top-level trainingConfig, say) would be read by tf.loadLayersModel unchecked. */
const MODEL_JSON_KEYS: ReadonlySet<string> = new Set(['format', 'generatedBy', 'convertedBy', 'modelTopology', 'weightsManifest']);

/** One weight of a TF.js weights manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

/** A checked TF.js layers-model model.json, in the layout src/lib/ml/io.ts writes. */
export interface LayersModelJson {
  format: 'layers-model';
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: { class_name: string; config: unknown; [key: string]: unknown };
  weightsManifest: [{ paths: [typeof WEIGHTS_BIN]; weights: WeightSpec[] }];
}

function refuse(detail: string): never {
  throw new BundleError(MODEL_JSON, `${MODEL_JSON} ${detail}. ${NOTHING_IMPORTED}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks every `class_name` and `activation` below a layer's config. */
function checkConfigTree(value: unknown, layer: string, depth: number): void {
  if (depth > MAX_DEPTH) refuse(`is nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    for (const v of value) checkConfigTree(v, layer, depth + 1);
    return;
  }
  if (!isRecord(value)) return;
  if ('class_name' in value) {
    const c = value.class_name;
    if (typeof c !== 'string' || !ALLOWED_CONFIG_CLASSES.has(c)) {
      refuse(`uses the class ${JSON.stringify(c)} inside layer ${JSON.stringify(layer)}, which Labbook does not load`);
    }
  }
  if ('activation' in value) {
    const a = value.activation;
    if (typeof a !== 'string' || !ALLOWED_ACTIVATIONS.has(a)) {
      refuse(`gives layer ${JSON.stringify(layer)} the activation ${JSON.stringify(a)}, which Labbook does not use`);
    }
  }
  for (const v of Object.values(value)) checkConfigTree(v, layer, depth + 1);
}

/** The layers of a topology's config: `{ layers: [...] }`, or a bare array in older Sequential files. */
function layersOf(config: unknown): unknown[] {
  if (Array.isArray(config)) return config;
  if (isRecord(config) && Array.isArray(config.layers)) return config.layers;
  return refuse('has no list of layers in its topology');
}

function checkTopology(topology: unknown): LayersModelJson['modelTopology'] {
  if (!isRecord(topology)) refuse('has no model topology: it is not a TF.js layers model');
  if ('model_config' in topology) refuse('wraps its topology in "model_config", which Labbook does not write');
  const modelClass = topology.class_name;
  if (typeof modelClass !== 'string' || !ALLOWED_MODEL_CLASSES.has(modelClass)) {
    refuse(`has the model class ${JSON.stringify(modelClass)}; only ${[...ALLOWED_MODEL_CLASSES].join(', ')} are allowed`);
  }
  const layers = layersOf(topology.config);
  if (layers.length === 0) refuse('has no layers');
  layers.forEach((layer, i) => {
    if (!isRecord(layer)) refuse(`has a layer (number ${i + 1}) that is not an object`);
    const cls = layer.class_name;
    if (typeof cls !== 'string' || !ALLOWED_LAYER_CLASSES.has(cls)) {
      refuse(`has a layer of class ${JSON.stringify(cls)}; only ${[...ALLOWED_LAYER_CLASSES].join(' and ')} layers are allowed`);
    }
    const name = isRecord(layer.config) && typeof layer.config.name === 'string' ? layer.config.name : `number ${i + 1}`;
    checkConfigTree(layer.config, name, 0);
  });
  return topology as LayersModelJson['modelTopology'];
}

function describeWeight(w: WeightSpec): string {
  return `${JSON.stringify(w.name)} [${w.shape.join(', ')}] ${w.dtype}`;
}

/** Checks one weights-manifest entry and returns its byte count. */
function weightBytes(raw: unknown, i: number): { spec: WeightSpec; bytes: number } {
  if (!isRecord(raw)) refuse(`has a weight (number ${i + 1}) that is not an object`);
  const { name, shape, dtype } = raw;
  if (typeof name !== 'string') refuse(`has a weight (number ${i + 1}) without a name`);
  if ('quantization' in raw && raw.quantization != null) refuse(`stores the weight ${JSON.stringify(name)} quantized, which Labbook does not write`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    refuse(`gives the weight ${JSON.stringify(name)} a shape that is not a list of whole numbers`);
  }
  const width = typeof dtype === 'string' && Object.hasOwn(WEIGHT_DTYPE_BYTES, dtype) ? WEIGHT_DTYPE_BYTES[dtype] : undefined;
  if (width === undefined) refuse(`gives the weight ${JSON.stringify(name)} the dtype ${JSON.stringify(dtype)}; only ${Object.keys(WEIGHT_DTYPE_BYTES).join(', ')} are allowed`);
  // Doubles are exact up to 2^53; a product past that is far over any cap anyway.
  const bytes = (shape as number[]).reduce((p, d) => p * d, width);
  return { spec: { name, shape: shape as number[], dtype: dtype as string }, bytes };
}

/**
 * Checks a parsed model.json against the allow-lists and weights.bin's
 * size: format `layers-model`; a root class in ALLOWED_MODEL_CLASSES; only
 * ALLOWED_LAYER_CLASSES layers; only ALLOWED_CONFIG_CLASSES and
 * ALLOWED_ACTIVATIONS inside them; one weights group whose only path is
 * weights.bin; every weight's byte count = product(shape) × bytes per dtype,
 * summing to `weightsSize`.
 * @throws BundleError naming model.json, with the class or weight at fault.
 */
export function checkModelJson(value: unknown, weightsSize: number): LayersModelJson {
  if (!isRecord(value)) refuse('is not a JSON object');
  const unknown = Object.keys(value).find((k) => !MODEL_JSON_KEYS.has(k));
  if (unknown !== undefined) refuse(`has the key ${JSON.stringify(unknown)}, which Labbook does not write`);
  if (value.format !== 'layers-model') refuse(`has the format ${JSON.stringify(value.format)}, not "layers-model"`);
  const modelTopology = checkTopology(value.modelTopology);
  const groups = value.weightsManifest;
  if (!Array.isArray(groups) || groups.length !== 1 || !isRecord(groups[0])) refuse(`must have exactly one weights group, pointing at ${WEIGHTS_BIN}`);
  const group = groups[0];
  const paths = group.paths;
  if (!Array.isArray(paths) || paths.length !== 1 || paths[0] !== WEIGHTS_BIN) refuse(`must read its weights from ${WEIGHTS_BIN} alone`);
  if (!Array.isArray(group.weights) || group.weights.length === 0) refuse('lists no weights');
  const weights: WeightSpec[] = [];
  let total = 0;
  const seen = new Set<string>();
  group.weights.forEach((raw, i) => {
    const { spec, bytes } = weightBytes(raw, i);
    if (seen.has(spec.name)) refuse(`lists the weight ${JSON.stringify(spec.name)} twice`);
    seen.add(spec.name);
    weights.push(spec);
    total += bytes;
    if (total > weightsSize) {
      refuse(`declares weights up to ${describeWeight(spec)} that need ${total} bytes, but ${WEIGHTS_BIN} has ${weightsSize}: the shapes do not match the weights`);
    }
  });
  if (total !== weightsSize) {
    refuse(`declares weights of ${total} bytes in all, but ${WEIGHTS_BIN} has ${weightsSize}: the shapes do not match the weights`);
  }
  const out: LayersModelJson = {
    format: 'layers-model',
    modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights }],
  };
  if (typeof value.generatedBy === 'string') out.generatedBy = value.generatedBy;
  if (typeof value.convertedBy === 'string' || value.convertedBy === null) out.convertedBy = value.convertedBy;
  return out;
}

function refuseDocument(path: string, detail: string): never {
  throw new BundleError(path, `${path} ${detail}: the bundle was not made by Labbook, or it is damaged. ${NOTHING_IMPORTED}`);
}

const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Light shape checks of a version's JSON files (already hash-verified and
 * parsed), so the importer can store them as the types they claim to be:
 * preprocessing.json a PreprocessSpec (version 1, columns, featureNames),
 * target.json a TargetSpec, schema.json a list of named, typed columns,
 * metrics.json an evaluation with a task, lineage.json a Lineage with a
 * dataset hash and config. Other files (extras) need only be valid JSON.
 * @throws BundleError naming the file.
 */
export function checkVersionDocument(path: string, value: unknown): void {
  switch (path) {
    case PREPROCESSING_JSON:
      if (!isRecord(value) || value.version !== 1 || !Array.isArray(value.columns) || !isStringArray(value.featureNames)) {
        refuseDocument(path, 'is not a Labbook preprocessing (version 1, with columns and feature names)');
      }
      return;
    case TARGET_JSON: {
      const ok =
        isRecord(value) &&
        ((value.task === 'classification' && isStringArray(value.classes)) ||
          (value.task === 'regression' && typeof value.mean === 'number' && typeof value.std === 'number'));
      if (!ok) refuseDocument(path, 'is not a Labbook target encoding');
      return;
    }
    case SCHEMA_JSON:
      if (!Array.isArray(value) || !value.every((c) => isRecord(c) && typeof c.name === 'string' && typeof c.type === 'string')) {
        refuseDocument(path, 'is not a list of input columns with names and types');
      }
      return;
    case METRICS_JSON:
      if (!isRecord(value) || !['binary', 'multiclass', 'regression'].includes(value.task as string)) {
        refuseDocument(path, 'is not a Labbook evaluation');
      }
      return;
    case LINEAGE_JSON:
      if (!isRecord(value) || typeof value.datasetHash !== 'string' || !isRecord(value.config)) {
        refuseDocument(path, 'is not a Labbook lineage (dataset version and run config)');
      }
      return;
  }
}
