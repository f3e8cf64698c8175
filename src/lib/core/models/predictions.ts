/**
 * Batch predictions as plain data: the model's raw outputs turned into a
 * predicted label (with the version's stored decision threshold) and class
 * probabilities, and the rows of the prediction file (the input columns, then
 * the prediction and one probability column per class). Pure: tested in Node.
 */
import { unscaleTarget, type TargetSpec } from '../training';
import type { ColumnData } from '../common';
import type { CsvValue } from '../csv';

/** What a model version predicted for every row of a dataset. */
export interface PredictionOutput {
  rows: number;
  task: 'classification' | 'regression';
  /** Class labels in output order; empty for regression. */
  classes: string[];
  /** Classification: n × K probabilities, row-major. Regression: n predicted values. */
  values: Float64Array;
  /** Binary only: p(classes[1]) at or above it predicts classes[1]. */
  threshold: number | null;
}

/**
 * Probabilities (or values) from a network's head outputs: a sigmoid head
 * gives p(class 1) per row, a softmax head K values per row, a regression head
 * the scaled value (unscaled here with the training mean and std).
 */
export function outputsToPredictions(outputs: ArrayLike<number>, target: TargetSpec, threshold: number | null): PredictionOutput {
  if (target.task === 'regression') {
    const values = unscaleTarget(target, outputs);
    return { rows: values.length, task: 'regression', classes: [], values, threshold: null };
  }
  const k = target.classes.length;
  if (k === 2 && outputs.length > 0 && outputs.length % 2 === 1) throw new RangeError('A binary model gives one output per row.');
  const binaryHead = k === 2;
  const rows = binaryHead ? outputs.length : outputs.length / k;
  const values = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    if (binaryHead) {
      const p = outputs[i]!;
      values[2 * i] = 1 - p;
      values[2 * i + 1] = p;
    } else for (let c = 0; c < k; c++) values[i * k + c] = outputs[i * k + c]!;
  }
  return { rows, task: 'classification', classes: [...target.classes], values, threshold: binaryHead ? (threshold ?? 0.5) : null };
}

/** The predicted class index of row `i`: the threshold for binary models, the most probable class otherwise. */
export function predictedClass(p: PredictionOutput, i: number): number {
  const k = p.classes.length;
  if (k === 2) return p.values[2 * i + 1]! >= (p.threshold ?? 0.5) ? 1 : 0;
  let best = 0;
  for (let c = 1; c < k; c++) if (p.values[i * k + c]! > p.values[i * k + best]!) best = c;
  return best;
}

/** How many rows were predicted as each class (classification), for the summary. */
export function classCounts(p: PredictionOutput): number[] {
  const counts = new Array<number>(p.classes.length).fill(0);
  for (let i = 0; i < p.rows; i++) counts[predictedClass(p, i)]!++;
  return counts;
}

/** A name not among `taken`: `name`, else `name_2`, `name_3`… */
function freeName(name: string, taken: Set<string>): string {
  let out = name;
  for (let n = 2; taken.has(out); n++) out = `${name}_${n}`;
  taken.add(out);
  return out;
}

/**
 * The added columns' names: "predicted_<target>" and "probability_<class>"
 * per class (regression: "predicted_<target>" only), renamed with a suffix
 * where the input already has such a column.
 */
export function predictionHeader(p: PredictionOutput, inputNames: readonly string[], target: string): string[] {
  const taken = new Set(inputNames);
  return [freeName(`predicted_${target}`, taken), ...p.classes.map((c) => freeName(`probability_${c}`, taken))];
}

/** One stored column's value at a row, as it is written out: numbers as numbers, missing as empty. */
export function cellOf(data: ColumnData, row: number): CsvValue {
  if (data.kind === 'num') {
    const v = data.values[row]!;
    return Number.isFinite(v) ? v : null;
  }
  // Dictionary codes are 1-based; 0 is a missing value.
  const code = data.codes[row]!;
  return code === 0 ? null : (data.dict[code - 1] ?? null);
}

/** The added cells of row `i`: the prediction, then each class's probability. */
export function predictionCells(p: PredictionOutput, i: number): CsvValue[] {
  if (p.task === 'regression') return [p.values[i]!];
  const k = p.classes.length;
  const out: CsvValue[] = [p.classes[predictedClass(p, i)]!];
  for (let c = 0; c < k; c++) out.push(Number(p.values[i * k + c]!.toPrecision(7)));
  return out;
}

/** The rows of the prediction file, lazily: each input row's values, then its prediction cells. */
export function* predictionRows(p: PredictionOutput, inputs: readonly ColumnData[], from = 0, to = p.rows): Generator<CsvValue[]> {
  for (let i = from; i < Math.min(to, p.rows); i++) yield [...inputs.map((d) => cellOf(d, i)), ...predictionCells(p, i)];
}

/** The whole prediction file, header and rows: every input column as stored, then the added ones. */
export function predictionFile(p: PredictionOutput, inputs: readonly { name: string; data: ColumnData }[], target: string): { header: string[]; rows: () => Generator<CsvValue[]> } {
  const header = [...inputs.map((c) => c.name), ...predictionHeader(p, inputs.map((c) => c.name), target)];
  const data = inputs.map((c) => c.data);
  return { header, rows: () => predictionRows(p, data) };
}

/** What a prediction job says about its result, small enough to store and show. */
export interface PredictionSummary {
  rows: number;
  task: PredictionOutput['task'];
  classes: string[];
  /** Rows predicted as each class (classification). */
  counts: number[];
  /** Mean and range of the predicted values (regression). */
  mean: number | null;
  min: number | null;
  max: number | null;
  threshold: number | null;
}

/** The summary of a prediction output. */
export function summarizePredictions(p: PredictionOutput): PredictionSummary {
  if (p.task === 'regression') {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of p.values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const some = p.rows > 0;
    return { rows: p.rows, task: p.task, classes: [], counts: [], mean: some ? sum / p.rows : null, min: some ? min : null, max: some ? max : null, threshold: null };
  }
  return { rows: p.rows, task: p.task, classes: p.classes, counts: classCounts(p), mean: null, min: null, max: null, threshold: p.threshold };
}
