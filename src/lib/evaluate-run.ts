/**
 * Champion against challengers on one labelled dataset version, as the
 * predict worker runs it: every model version is read from its own files
 * (its preprocessing, target, decision threshold), scores every labelled row
 * through its own preprocessing, and core/evaluate compares the answers on
 * the same rows (bootstrap intervals, paired differences, verdicts) and
 * rehearses shadow, canary and A/B rollouts against the first challenger.
 * The network code (TF.js) is injected, so this runs in Node tests.
 */
import { decodeColumns, encodeTarget, requiredColumns, transform, unscaleTarget, type DatasetSource, type TargetSpec } from './core/training';
import { modelFromFiles, type ModelFromFiles } from './core/models';
import {
  compareModels,
  rehearse,
  type BinaryModelOutputs,
  type EvaluateInput,
  type Evaluation,
  type MulticlassModelOutputs,
  type RegressionModelOutputs,
  type Rehearsal,
  type RolloutStrategy,
} from './core/evaluate';
import { NEVER_CANCELLED, type CancelToken, type RequestIdentity } from './core/common';
import type { ModelArtifactsFiles } from './core/training';
import type { MatrixPredictor } from './ml/matrix-predict';

/** One model version to score: its label on screen ("heart v2 @champion") and its stored files by path. */
export interface EvaluateModel {
  label: string;
  files: ReadonlyMap<string, Uint8Array>;
}

export interface EvaluateRequest extends RequestIdentity {
  /** The labelled dataset version every model scores. */
  dataset: DatasetSource;
  /** Champion first, then one or more challengers. */
  models: EvaluateModel[];
  resamples: number;
  /** Seeds the bootstrap and the rollout assignment. */
  seed: number;
  /** Shares of rows the challenger serves in the canary and A/B rehearsals. */
  canaryShare: number;
  abShare: number;
}

export interface EvaluateResponse {
  evaluation: Evaluation;
  /** Shadow, canary and A/B of models[1] against models[0]. */
  rehearsals: Rehearsal[];
  /** The target column every model predicts. */
  target: string;
  /** Each model's binary decision threshold (null when not binary). */
  thresholds: (number | null)[];
  /** Rows of the dataset version. */
  datasetRows: number;
  /** Rows scored: those with a label the models know. */
  labelledRows: number;
  /** Rows left out: no label, or a class no model was trained on. */
  droppedRows: number;
  ms: number;
}

/** Where an evaluation is: `done` of `total` steps, and what it does ("Scoring model 2 of 3"). */
export interface EvaluateProgress {
  done: number;
  total: number;
  label: string;
}

export interface EvaluateDeps {
  /** Loads a network (TF.js in the worker) for matrix predictions. */
  loadModel: (files: ModelArtifactsFiles) => Promise<MatrixPredictor>;
  token?: CancelToken;
  onProgress?: (progress: EvaluateProgress) => void;
}

const quoted = (s: string) => `'${s}'`;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function taskWords(t: TargetSpec): string {
  if (t.task === 'regression') return 'a number (regression)';
  return t.classes.length === 2 ? 'one of 2 classes (binary)' : `one of ${t.classes.length} classes (multiclass)`;
}

/**
 * Throws, naming both models, when a challenger cannot be scored on the
 * champion's labels: another target column, task or class list.
 */
export function checkComparable(models: readonly { label: string; model: ModelFromFiles }[]): void {
  const [first, ...rest] = models;
  if (!first) return;
  const a = first.model;
  for (const other of rest) {
    const b = other.model;
    const cannot = 'they cannot be compared on the same labels';
    if (b.targetName !== a.targetName) {
      throw new Error(`${other.label} predicts ${quoted(b.targetName)}, ${first.label} predicts ${quoted(a.targetName)} — ${cannot}.`);
    }
    if (b.target.task !== a.target.task) {
      throw new Error(`${other.label} predicts ${quoted(b.targetName)} as ${taskWords(b.target)}, ${first.label} as ${taskWords(a.target)} — ${cannot}.`);
    }
    if (a.target.task === 'classification' && b.target.task === 'classification' && !sameList(a.target.classes, b.target.classes)) {
      const list = (c: string[]) => c.map(quoted).join(', ');
      throw new Error(`${other.label} knows the classes ${list(b.target.classes)} of ${quoted(b.targetName)}, ${first.label} knows ${list(a.target.classes)} — ${cannot}.`);
    }
  }
}

/** The label of every row as the first model encodes it: class index or raw value; NaN when missing or unknown. */
function encodedLabels(spec: TargetSpec, target: { data: Parameters<typeof encodeTarget>[1] }, rows: number): Float32Array {
  const all = Uint32Array.from({ length: rows }, (_, i) => i);
  // Regression labels in the target's own units, whatever scaling the model trained with.
  const raw: TargetSpec = spec.task === 'regression' ? { ...spec, scaled: false } : spec;
  return encodeTarget(raw, target.data, all).y;
}

/**
 * Scores every labelled row with every model, then compares them
 * (compareModels) and rehearses shadow, canary and A/B against models[1].
 * @throws Error when fewer than 2 models are given, the models predict different targets or classes,
 *   the data lacks a column, or no row has a label the models know
 */
export async function evaluateModels(request: EvaluateRequest, deps: EvaluateDeps): Promise<EvaluateResponse> {
  const token = deps.token ?? NEVER_CANCELLED;
  const started = performance.now();
  const report = (p: EvaluateProgress) => deps.onProgress?.(p);
  const k = request.models.length;
  if (k < 2) throw new Error('An evaluation needs a champion and at least one challenger.');
  const total = k + 3;
  report({ done: 0, total, label: 'Reading the models and the data' });

  const parsed = request.models.map((m) => ({ label: m.label, model: modelFromFiles(m.files) }));
  checkComparable(parsed);
  const first = parsed[0]!.model;
  const targetName = first.targetName;
  const { dataset } = request;
  const has = (name: string) => dataset.schema.some((c) => c.name === name);
  if (!has(targetName)) throw new Error(`The dataset version has no column ${quoted(targetName)} to take the labels from: choose labelled data.`);
  for (const { label, model } of parsed) {
    const missing = requiredColumns(model.preprocessing).filter((n) => !has(n));
    if (missing.length > 0) throw new Error(`The dataset version has no column ${missing.map(quoted).join(', ')}, which ${label} reads.`);
  }
  await token.step();
  const names = [...new Set([targetName, ...parsed.flatMap((p) => requiredColumns(p.model.preprocessing))])];
  const decoded = await decodeColumns(dataset, names);
  const columns = decoded.map((c) => ({ name: c.schema.name, data: c.data }));
  const target = decoded.find((c) => c.schema.name === targetName)!;

  const y = encodedLabels(first.target, target, dataset.rows);
  const kept: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i] === y[i]) kept.push(i);
  const droppedRows = dataset.rows - kept.length;
  if (kept.length === 0) throw new Error(`No row of the dataset version has a value of ${quoted(targetName)} the models know: choose labelled data.`);
  const rows = Uint32Array.from(kept);
  const labels = Float64Array.from(kept, (i) => y[i]!);
  await token.step();

  const spec = first.target;
  const classes = spec.task === 'classification' ? spec.classes.length : 0;
  const width = classes > 2 ? classes : 1;
  const outputs: Float32Array[] = [];
  for (let m = 0; m < k; m++) {
    const { label, model } = parsed[m]!;
    report({ done: m + 1, total, label: `Scoring model ${m + 1} of ${k} (${label})` });
    const x = transform(model.preprocessing, columns, rows);
    await token.step();
    const net = await deps.loadModel(model.files);
    try {
      if (net.cols !== x.cols) throw new Error(`${label} takes ${net.cols} features per row, but its preprocessing gives ${x.cols}.`);
      if (net.width !== width) throw new Error(`${label} gives ${net.width} outputs per row, but its target needs ${width}.`);
      outputs.push(await net.predict(x.x, x.rows, token.step));
    } finally {
      net.dispose();
    }
    await token.step();
  }

  const thresholds = parsed.map(({ model }) => (classes === 2 ? (model.threshold ?? 0.5) : null));
  const common = { resamples: request.resamples, seed: request.seed };
  let input: EvaluateInput;
  if (spec.task === 'regression') {
    const models: RegressionModelOutputs[] = parsed.map(({ label, model }, m) => ({ name: label, values: unscaleTarget(model.target as typeof spec, outputs[m]!) }));
    input = { ...common, task: 'regression', labels, models };
  } else if (classes === 2) {
    const models: BinaryModelOutputs[] = parsed.map(({ label }, m) => ({ name: label, scores: outputs[m]!, threshold: thresholds[m]! }));
    input = { ...common, task: 'binary', labels, models };
  } else {
    const models: MulticlassModelOutputs[] = parsed.map(({ label }, m) => ({ name: label, proba: outputs[m]! }));
    input = { ...common, task: 'multiclass', labels, classes, models };
  }

  report({ done: k + 1, total, label: `Resampling the ${kept.length.toLocaleString('en-US')} rows ${request.resamples.toLocaleString('en-US')} times` });
  await token.step();
  const resampling = (done: number, of: number) =>
    report({ done: k + 1, total, label: `Resampling the ${kept.length.toLocaleString('en-US')} rows: ${done.toLocaleString('en-US')} of ${of.toLocaleString('en-US')} resamples` });
  const evaluation = compareModels(input, resampling);
  await token.step();
  report({ done: k + 2, total, label: 'Rehearsing shadow, canary and A/B rollouts' });
  const strategies: RolloutStrategy[] = [{ kind: 'shadow' }, { kind: 'canary', share: request.canaryShare }, { kind: 'ab', share: request.abShare }];
  const rehearsals = strategies.map((s) => rehearse(input, s, request.seed, 1));
  token.check();
  report({ done: total, total, label: 'Done' });
  return { evaluation, rehearsals, target: targetName, thresholds, datasetRows: dataset.rows, labelledRows: kept.length, droppedRows, ms: performance.now() - started };
}
