/**
 * The feature preprocessing of a model: fitted on the training rows only
 * (so nothing about validation or test rows leaks into the model), stored
 * as plain JSON with the model, and applied unchanged to any rows later.
 *
 * Per column, by its logical type:
 * - numeric / integer: missing values imputed with the training median (or
 *   mean), then standardized with the training mean and population std of the
 *   imputed values (as scikit-learn's SimpleImputer + StandardScaler do).
 * - boolean: 0 / 1 (true/yes/y/t/1 is 1), missing imputed with the training
 *   majority (0 on a tie); not standardized.
 * - categorical: one-hot over the top-K training categories plus `__other`,
 *   which takes rare and unseen values; missing imputed with the most frequent
 *   category, or flagged by `__missing` when indicators are on.
 * - datetime: year, month, day of week, day of year, and the hour when any
 *   training value has a time of day, each imputed and standardized.
 * - text: left out. Free text and identifiers carry no signal a one-hot or a
 *   scale could use (an ID is unique per row); choosing which numeric columns
 *   are identifiers is the caller's job (the feature picker).
 *
 * Missing indicators (`<col>__missing`), when on, are added only for columns
 * that had missing values in the training rows (scikit-learn's
 * `features="missing-only"`): a column with none would give a feature that is
 * always 0 in training, which a model cannot learn from.
 */
import {
  DATE_PARTS,
  countKeys,
  datePartValues,
  median,
  readCategories,
  readNumbers,
  timeOfDay,
  type DatePart,
  type KeySpelling,
  type ValueSource,
} from './preprocess-values';
import type { ColumnData, ColumnType } from '../common';

export { DATE_PARTS, type DatePart } from './preprocess-values';

export interface PreprocessOptions {
  /** Imputation of numeric and datetime parts: the training median (default) or mean. */
  impute?: 'median' | 'mean';
  /** Add `<col>__missing` features (for columns with missing training values). Default false. */
  missingIndicators?: boolean;
  /** Categories kept per categorical column, most frequent first. Default 20. */
  topK?: number;
}

/** Scaling of one numeric feature: (value - mean) / std after imputing `fill`. */
export interface Scaler {
  fill: number;
  mean: number;
  /** Population std of the imputed training values; 1 when that is 0. */
  std: number;
}

interface FittedBase {
  name: string;
  /** Missing (or unreadable) values among the training rows. */
  missing: number;
  /** A `<name>__missing` feature follows the column's features. */
  indicator: boolean;
}

export interface NumericFit extends FittedBase, Scaler {
  type: 'numeric' | 'integer';
}

export interface BooleanFit extends FittedBase {
  type: 'boolean';
  fill: 0 | 1;
}

export interface CategoricalFit extends FittedBase {
  type: 'categorical';
  /** Kept categories, most frequent first (ties by value). */
  categories: string[];
  /** Training count of each kept category. */
  counts: number[];
  /** Training rows with a non-missing value outside `categories`. */
  otherCount: number;
  /** Value used for a missing entry when there is no indicator; null = `__other`. */
  fill: string | null;
  /** 'number' when the training column was stored as numbers: '1.50' and '1.5' are then one category. */
  keys: KeySpelling;
}

export interface DatetimeFit extends FittedBase {
  type: 'datetime';
  parts: (Scaler & { part: DatePart })[];
}

export interface ExcludedColumn {
  name: string;
  type: 'text';
  excluded: true;
  reason: string;
}

export type FittedColumn = NumericFit | BooleanFit | CategoricalFit | DatetimeFit | ExcludedColumn;

/** A fitted preprocessing: plain JSON, saved with the model. */
export interface PreprocessSpec {
  version: 1;
  options: Required<PreprocessOptions>;
  /** Number of training rows it was fitted on. */
  fittedRows: number;
  columns: FittedColumn[];
  /** Names of the output features, in matrix column order. */
  featureNames: string[];
}

/** An input column for fitting. */
export interface InputColumn {
  name: string;
  type: ColumnType;
  data: ColumnData;
}

/** A dense row-major feature matrix. */
export interface FeatureMatrix {
  x: Float32Array;
  rows: number;
  cols: number;
  featureNames: string[];
}

export const DEFAULT_TOP_K = 20;

const EXCLUDED_REASON = 'Text columns (free text, identifiers) are not used as features.';

function resolveOptions(options: PreprocessOptions): Required<PreprocessOptions> {
  const topK = options.topK ?? DEFAULT_TOP_K;
  if (!Number.isInteger(topK) || topK < 1) throw new Error(`Top-K categories must be a whole number of at least 1, got ${topK}.`);
  const impute = options.impute ?? 'median';
  if (impute !== 'median' && impute !== 'mean') throw new Error(`Imputation must be "median" or "mean", got "${String(impute)}".`);
  return { impute, missingIndicators: options.missingIndicators ?? false, topK };
}

/**
 * Fits the preprocessing on `trainRows` of `columns`. Only those rows are
 * read: validation, test and new rows never influence the parameters.
 * @throws Error on duplicate column names, bad options, or a row index past
 * a column's end.
 */
export function fitPreprocessor(
  columns: readonly InputColumn[],
  trainRows: Uint32Array,
  options: PreprocessOptions = {},
): PreprocessSpec {
  const opts = resolveOptions(options);
  const seen = new Set<string>();
  const fitted = columns.map((col): FittedColumn => {
    if (seen.has(col.name)) throw new Error(`Two input columns are named “${col.name}”.`);
    seen.add(col.name);
    const source: ValueSource = { kind: 'stored', data: col.data, rows: trainRows };
    switch (col.type) {
      case 'numeric':
      case 'integer':
        return fitNumeric(col.name, col.type, readNumbers(source, 'number'), opts);
      case 'boolean':
        return fitBoolean(col.name, readNumbers(source, 'boolean'), opts);
      case 'categorical':
        return fitCategorical(col.name, source, opts);
      case 'datetime':
        return fitDatetime(col.name, readNumbers(source, 'date'), opts);
      case 'text':
        return { name: col.name, type: 'text', excluded: true, reason: EXCLUDED_REASON };
    }
  });
  return { version: 1, options: opts, fittedRows: trainRows.length, columns: fitted, featureNames: fitted.flatMap(featureNamesOf) };
}

/** The imputation value, mean and std of a set of values (NaN = missing). */
function fitScaler(values: Float64Array, impute: 'median' | 'mean'): Scaler & { missing: number } {
  const present = values.filter((v) => v === v);
  const missing = values.length - present.length;
  if (present.length === 0) return { fill: 0, mean: 0, std: 1, missing };
  const fill = impute === 'mean' ? meanOf(present) : median(present);
  // Scale the imputed values, as a pipeline imputer -> scaler would: train features get mean 0 and std 1 exactly.
  const n = values.length;
  const mean = (meanOf(present) * present.length + fill * missing) / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const d = (v === v ? v : fill) - mean;
    ss += d * d;
  }
  const std = Math.sqrt(ss / n);
  // A constant (or constant up to rounding) column: dividing would only blow up float noise.
  const usable = Number.isFinite(std) && std > 1e-12 * Math.max(1, Math.abs(mean));
  return { fill, mean, std: usable ? std : 1, missing };
}

function meanOf(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  const m = s / values.length;
  // A second pass corrects the first one's rounding (values far from zero).
  let c = 0;
  for (let i = 0; i < values.length; i++) c += values[i]! - m;
  return m + c / values.length;
}

function fitNumeric(name: string, type: 'numeric' | 'integer', values: Float64Array, opts: Required<PreprocessOptions>): NumericFit {
  const { fill, mean, std, missing } = fitScaler(values, opts.impute);
  return { name, type, fill, mean, std, missing, indicator: opts.missingIndicators && missing > 0 };
}

function fitBoolean(name: string, values: Float64Array, opts: Required<PreprocessOptions>): BooleanFit {
  let ones = 0;
  let zeros = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 1) ones++;
    else if (values[i] === 0) zeros++;
  }
  const missing = values.length - ones - zeros;
  return { name, type: 'boolean', fill: ones > zeros ? 1 : 0, missing, indicator: opts.missingIndicators && missing > 0 };
}

function fitCategorical(name: string, source: Extract<ValueSource, { kind: 'stored' }>, opts: Required<PreprocessOptions>): CategoricalFit {
  const keys: KeySpelling = source.data.kind === 'num' ? 'number' : 'text';
  const { counts, missing } = countKeys(source, keys);
  // Code-unit order for ties, not localeCompare: the same on every machine and locale.
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = ranked.slice(0, opts.topK);
  const total = ranked.reduce((s, [, c]) => s + c, 0);
  const keptTotal = kept.reduce((s, [, c]) => s + c, 0);
  return {
    name,
    type: 'categorical',
    categories: kept.map(([k]) => k),
    counts: kept.map(([, c]) => c),
    otherCount: total - keptTotal,
    fill: kept[0]?.[0] ?? null,
    keys,
    missing,
    indicator: opts.missingIndicators && missing > 0,
  };
}

function fitDatetime(name: string, times: Float64Array, opts: Required<PreprocessOptions>): DatetimeFit {
  let hasTime = false;
  let missing = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t !== t) missing++;
    else if (timeOfDay(t) !== 0) hasTime = true;
  }
  // Without a time of day in training, the hour would be a constant 0: no feature.
  const names = DATE_PARTS.filter((p) => p !== 'hour' || hasTime);
  const values = datePartValues(times, names);
  const parts = names.map((part, j) => {
    const { fill, mean, std } = fitScaler(values[j]!, opts.impute);
    return { part, fill, mean, std };
  });
  return { name, type: 'datetime', parts, missing, indicator: opts.missingIndicators && missing > 0 };
}

/** The output feature names of one fitted column, in order. */
function featureNamesOf(col: FittedColumn): string[] {
  let names: string[];
  switch (col.type) {
    case 'text':
      return [];
    case 'numeric':
    case 'integer':
    case 'boolean':
      names = [col.name];
      break;
    case 'categorical':
      names = [...col.categories.map((c) => `${col.name}=${c}`), `${col.name}__other`];
      break;
    case 'datetime':
      names = col.parts.map((p) => `${col.name}__${p.part}`);
      break;
  }
  if (col.indicator) names.push(`${col.name}__missing`);
  return names;
}

/** The input columns a spec reads (text columns excluded). */
export function requiredColumns(spec: PreprocessSpec): string[] {
  return spec.columns.filter((c) => c.type !== 'text').map((c) => c.name);
}

/**
 * Applies a fitted spec to `rows` of stored columns (looked up by name; the
 * spec's types rule, not the columns' current ones). Any rows: train,
 * validation, test or a new dataset.
 * @throws Error naming a required column that is absent, or on a row index
 * past a column's end.
 */
export function transform(spec: PreprocessSpec, columns: readonly { name: string; data: ColumnData }[], rows: Uint32Array): FeatureMatrix {
  const byName = new Map<string, ColumnData>();
  for (const c of columns) byName.set(c.name, c.data);
  return build(spec, rows.length, (name) => {
    const data = byName.get(name);
    if (!data) throw new Error(`The column “${name}” that the model was trained on is missing from the data.`);
    return { kind: 'stored', data, rows };
  });
}

/** A raw record: CSV strings by column name, as a Map or a plain object. */
export type RawRecord = ReadonlyMap<string, string> | Readonly<Record<string, unknown>>;

/**
 * Applies a fitted spec to raw records (values as CSV strings), for
 * prediction on a new file; gives the same features as `transform` on the
 * same values imported. Keys are read with Map.get or Object.hasOwn, so a
 * column named `__proto__` or `constructor` reads only the record's own
 * value. An absent key, null or undefined counts as a missing value; check
 * the header first with `missingColumns` to tell the user about absent columns.
 */
export function transformRecords(spec: PreprocessSpec, records: readonly RawRecord[]): FeatureMatrix {
  return build(spec, records.length, (name) => ({
    kind: 'strings',
    values: records.map((r) => readRecord(r, name)),
  }));
}

function readRecord(record: RawRecord, name: string): string | undefined {
  if (record instanceof Map) {
    const v: unknown = record.get(name);
    return v === undefined || v === null ? undefined : String(v);
  }
  const obj = record as Readonly<Record<string, unknown>>;
  if (!Object.hasOwn(obj, name)) return undefined;
  const v = obj[name];
  return v === undefined || v === null ? undefined : String(v);
}

/** Required columns of `spec` that are not among `names` (for example a new CSV's header). */
export function missingColumns(spec: PreprocessSpec, names: readonly string[]): string[] {
  const have = new Set(names);
  return requiredColumns(spec).filter((n) => !have.has(n));
}

/** Fills the matrix column block by column block. */
function build(spec: PreprocessSpec, n: number, sourceOf: (name: string) => ValueSource): FeatureMatrix {
  const cols = spec.featureNames.length;
  const x = new Float32Array(n * cols);
  let at = 0;
  for (const col of spec.columns) {
    if (col.type === 'text') continue;
    const source = sourceOf(col.name);
    const width = featureNamesOf(col).length;
    const put = (i: number, j: number, v: number): void => {
      x[i * cols + at + j] = v;
    };
    if (col.type === 'numeric' || col.type === 'integer' || col.type === 'boolean') {
      const values = readNumbers(source, col.type === 'boolean' ? 'boolean' : 'number');
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        const miss = v !== v;
        put(i, 0, col.type === 'boolean' ? (miss ? col.fill : v) : scale(miss ? col.fill : v, col));
        if (col.indicator) put(i, 1, miss ? 1 : 0);
      }
    } else if (col.type === 'categorical') {
      const index = readCategories(source, col.categories, col.keys);
      const other = col.categories.length;
      const fillIndex = col.fill === null ? other : col.categories.indexOf(col.fill);
      for (let i = 0; i < n; i++) {
        const k = index[i]!;
        if (k >= 0) put(i, k, 1);
        else if (col.indicator) put(i, other + 1, 1);
        else put(i, fillIndex < 0 ? other : fillIndex, 1);
      }
    } else if (col.type === 'datetime') {
      const times = readNumbers(source, 'date');
      const values = datePartValues(times, col.parts.map((p) => p.part));
      col.parts.forEach((p, j) => {
        const v = values[j]!;
        for (let i = 0; i < n; i++) {
          const x = v[i]!;
          put(i, j, scale(x === x ? x : p.fill, p));
        }
      });
      if (col.indicator) for (let i = 0; i < n; i++) put(i, col.parts.length, Number.isNaN(times[i]) ? 1 : 0);
    }
    at += width;
  }
  return { x, rows: n, cols, featureNames: [...spec.featureNames] };
}

function scale(v: number, s: Scaler): number {
  return (v - s.mean) / s.std;
}
