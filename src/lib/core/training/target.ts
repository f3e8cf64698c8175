/**
 * The target column's encoding: class indices for classification, numbers
 * (optionally standardized) for regression. Fitted on the training rows
 * only and saved with the model, like the feature preprocessing.
 */
import { columnAsStrings, parseBooleanLike, parseNumber } from '../csv';
import { categoryKey, readNumbers, type KeySpelling } from './preprocess-values';
import type { ColumnData, ColumnType } from '../common';

export type TargetTask = 'classification' | 'regression';

export interface ClassificationTarget {
  task: 'classification';
  type: ColumnType;
  /** Class labels in index order (see `fitTarget` for the order). */
  classes: string[];
  /** Training rows per class. */
  counts: number[];
  keys: KeySpelling;
}

export interface RegressionTarget {
  task: 'regression';
  type: ColumnType;
  /** Training mean and population std (1 when that is 0). */
  mean: number;
  std: number;
  /** Encoded values are (y - mean) / std when true, raw y otherwise. */
  scaled: boolean;
}

export type TargetSpec = ClassificationTarget | RegressionTarget;

export interface TargetOptions {
  /** Default: regression for numeric and integer columns, classification otherwise. */
  task?: TargetTask;
  /** Regression only: standardize the encoded target. Default false. */
  scale?: boolean;
}

/** The task a target column gets unless the user picks another. */
export function defaultTask(type: ColumnType): TargetTask {
  return type === 'numeric' || type === 'integer' ? 'regression' : 'classification';
}

/** 0 for false-like, 1 for true-like, 2 for anything else (booleans: the negative class first). */
function booleanRank(s: string): number {
  const b = parseBooleanLike(s);
  if (b === b) return b;
  const x = parseNumber(s);
  return x === 0 || x === 1 ? x : 2;
}

/**
 * The class order: booleans false before true; numbers by value (so '2' <
 * '10', as numpy's unique sorts integer labels); then numbers before text;
 * text by UTF-16 code units (the same everywhere, unlike localeCompare).
 */
function compareClasses(type: ColumnType): (a: string, b: string) => number {
  return (a, b) => {
    if (type === 'boolean') {
      const d = booleanRank(a) - booleanRank(b);
      if (d !== 0) return d;
    }
    const x = parseNumber(a);
    const y = parseNumber(b);
    if (x === x && y === y && x !== y) return x - y;
    if ((x === x) !== (y === y)) return x === x ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

/**
 * Fits the target encoding on `trainRows`. Classification: the classes seen
 * in training, sorted (booleans false first, numbers by value, text by code
 * units), so index 1 of a binary target is the positive class. Regression:
 * the training mean and std. Rows with a missing target should have been
 * left out of the split; here they are skipped.
 * @throws Error when training has fewer than two classes, or no numeric
 * value for a regression target, or the column cannot be a target of that task.
 */
export function fitTarget(data: ColumnData, type: ColumnType, trainRows: Uint32Array, options: TargetOptions = {}): TargetSpec {
  const task = options.task ?? defaultTask(type);
  if (task === 'regression') {
    if (type !== 'numeric' && type !== 'integer' && type !== 'boolean') {
      throw new Error(`A ${type} column cannot be a regression target: regression predicts a number.`);
    }
    const y = readNumbers({ kind: 'stored', data, rows: trainRows }, type === 'boolean' ? 'boolean' : 'number');
    let n = 0;
    let sum = 0;
    for (const v of y) {
      if (v !== v) continue;
      n++;
      sum += v;
    }
    if (n === 0) throw new Error('The training rows have no numeric target values.');
    const mean = sum / n;
    let ss = 0;
    for (const v of y) if (v === v) ss += (v - mean) * (v - mean);
    const std = Math.sqrt(ss / n);
    return { task, type, mean, std: std > 0 && Number.isFinite(std) ? std : 1, scaled: options.scale ?? false };
  }
  if (type === 'datetime') throw new Error('A datetime column cannot be a classification target.');
  const keys: KeySpelling = data.kind === 'num' ? 'number' : 'text';
  const { codes, dict } = columnAsStrings(data);
  const perCode = new Uint32Array(dict.length + 1);
  for (const r of trainRows) {
    const code = codes[r];
    if (code === undefined) throw new Error(`Row ${r} is past the end of the target column (${codes.length} rows).`);
    perCode[code]!++;
  }
  const counts = new Map<string, number>();
  dict.forEach((s, k) => {
    const c = perCode[k + 1]!;
    if (c > 0) {
      const key = categoryKey(s, keys);
      counts.set(key, (counts.get(key) ?? 0) + c);
    }
  });
  const classes = [...counts.keys()].sort(compareClasses(type));
  if (classes.length < 2) {
    throw new Error(
      classes.length === 0
        ? 'The training rows have no target values.'
        : `Every training row has the same target value (“${classes[0]}”): there is nothing to classify.`,
    );
  }
  return { task, type, classes, counts: classes.map((c) => counts.get(c)!), keys };
}

/**
 * The encoded target of `rows`: the class index (classification) or the
 * (scaled) value (regression). NaN marks a missing target, and a class not
 * seen in training; `unknown` counts them so the caller can warn.
 */
export function encodeTarget(spec: TargetSpec, data: ColumnData, rows: Uint32Array): { y: Float32Array; unknown: number } {
  const y = new Float32Array(rows.length);
  let unknown = 0;
  if (spec.task === 'regression') {
    const values = readNumbers({ kind: 'stored', data, rows }, spec.type === 'boolean' ? 'boolean' : 'number');
    values.forEach((v, i) => {
      if (v !== v) unknown++;
      y[i] = spec.scaled ? (v - spec.mean) / spec.std : v;
    });
    return { y, unknown };
  }
  const index = new Map<string, number>();
  spec.classes.forEach((c, k) => index.set(c, k));
  const { codes, dict } = columnAsStrings(data);
  const table = new Float64Array(dict.length + 1);
  table[0] = NaN;
  dict.forEach((s, k) => {
    table[k + 1] = index.get(categoryKey(s, spec.keys)) ?? NaN;
  });
  rows.forEach((r, i) => {
    const code = codes[r];
    if (code === undefined) throw new Error(`Row ${r} is past the end of the target column (${codes.length} rows).`);
    const v = table[code]!;
    if (v !== v) unknown++;
    y[i] = v;
  });
  return { y, unknown };
}

/** Class indices as integers (for the metrics); NaN (missing / unseen) must have been filtered out. */
export function toClassIndices(y: Float32Array): Uint32Array {
  const out = new Uint32Array(y.length);
  y.forEach((v, i) => {
    if (!(v >= 0)) throw new Error(`Target ${i} has no class (missing or unseen in training).`);
    out[i] = v;
  });
  return out;
}

/** Regression model outputs back on the target's own scale (undoes the scaling, if any). */
export function unscaleTarget(spec: RegressionTarget, y: ArrayLike<number>): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = spec.scaled ? y[i]! * spec.std + spec.mean : y[i]!;
  return out;
}
