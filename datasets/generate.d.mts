// Types for datasets/generate.mjs (plain ESM JavaScript, no build step).

export type Column =
  | 'HeartDisease' | 'BMI' | 'Smoking' | 'AlcoholDrinking' | 'Stroke' | 'PhysicalHealth'
  | 'MentalHealth' | 'DiffWalking' | 'Sex' | 'AgeCategory' | 'Race' | 'Diabetic'
  | 'PhysicalActivity' | 'GenHealth' | 'SleepTime' | 'Asthma' | 'KidneyDisease' | 'SkinCancer';

export type ShiftedFeature = 'BMI' | 'AgeCategory' | 'PhysicalActivity' | 'SleepTime';

export interface ShiftSpec {
  BMI: { rule: string; add: number; expectedMeanShift: number };
  AgeCategory: { rule: string; addBands: number; expectedMeanBandShift: number };
  PhysicalActivity: { rule: string; from: number; to: number; expectedYesShareShift: number };
  SleepTime: { rule: string; add: number; expectedMeanShift: number };
}

export interface TrueModel {
  intercept: number;
  coefficients: Record<string, number>;
  referenceLevels: Record<string, string>;
  formula: string;
  solvedOn: {
    rows: number;
    seed: number;
    shifted: false;
    targetPositiveRate: number;
    method: string;
  };
}

export interface GenerateOptions {
  /** Number of data rows (default 20,000). */
  rows?: number;
  /** Integer seed in [0, 2^32) (default 42). */
  seed?: number;
  /** Apply the documented covariate shift (the "new batch"). */
  shifted?: boolean;
  /**
   * True model to label with. Default: intercept solved on this dataset's own features, or,
   * when shifted, on its unshifted counterpart (same seed and draws, no shift).
   */
  model?: TrueModel;
}

export interface DatasetMeta {
  rows: number;
  columns: Column[];
  seed: number;
  shifted: boolean;
  shiftedFeatures: ShiftedFeature[];
  shift: ShiftSpec | null;
  positives: number;
  /** Realised share of HeartDisease = Yes. */
  positiveRate: number;
  /** Mean of the true probabilities (0.086 on the rows the intercept was solved on). */
  expectedPositiveRate: number;
  model: TrueModel;
  /** Expected AUC of the Bayes scorer p(x), see bayesAuc. */
  bayesAuc: number;
  /** AUC of p(x) against the realised labels. */
  empiricalAuc: number;
}

export interface FileMeta extends DatasetMeta {
  sha256: string;
  bytes: number;
}

export interface Dataset {
  meta: DatasetMeta;
  /** True P(HeartDisease = Yes | x) per row. */
  probabilities: Float64Array;
  /** Realised labels per row, 1 = Yes. */
  labels: Uint8Array;
  /** Header line including its "\n". */
  header: string;
  /** Unquoted values per row in COLUMNS order (no header row). */
  records(): Generator<string[], void, unknown>;
  /** CSV lines with "\n", header first. */
  lines(): Generator<string, void, unknown>;
  /** The CSV in chunks of about rowsPerChunk lines (default 4096), header in the first. */
  chunks(rowsPerChunk?: number): Generator<string, void, unknown>;
}

export const COLUMNS: readonly Column[];
export const AGE_BANDS: readonly string[];
export const RACES: readonly string[];
export const DIABETIC: readonly string[];
export const GEN_HEALTH: readonly string[];
export const FULL_ROWS: number;
export const TARGET_POSITIVE_RATE: number;
export const BINARY_RATES: Readonly<Record<
  | 'Smoking' | 'AlcoholDrinking' | 'Stroke' | 'DiffWalking' | 'SexFemale' | 'PhysicalActivity'
  | 'Asthma' | 'KidneyDisease' | 'SkinCancer', number>>;
export const FRAILTY_LOADINGS: Readonly<Record<string, number>>;
export const MARGINALS: Readonly<Record<string, unknown>>;
export const SHIFT: Readonly<ShiftSpec>;
export const SHIFTED_FEATURES: readonly ShiftedFeature[];
export const COEFFICIENTS: Readonly<Record<string, number>>;
export const MODEL_FORMULA: string;
export const LICENCE: string;
export const PROVENANCE: string;
export const DEFAULTS: Readonly<{
  sample: { name: string; rows: number; seed: number };
  batch: { name: string; rows: number; seed: number };
  full: { name: string; batchName: string; rows: number };
}>;

/** Intercept b with mean(sigmoid(b + eta_i)) = target, by bisection. */
export function solveIntercept(eta: ArrayLike<number>, target?: number): number;
/** The true model whose intercept is solved on the unshifted features of (rows, seed). */
export function solveModel(options?: { rows?: number; seed?: number }): TrueModel;
export function createDataset(options?: GenerateOptions): Dataset;
/** The whole CSV as one string, with metadata including SHA-256 and byte count. */
export function generate(options?: GenerateOptions): {
  csv: string;
  meta: FileMeta;
  probabilities: Float64Array;
  labels: Uint8Array;
};
/** Stream the CSV to `path` with a write stream; resolves to its metadata. */
export function writeCsv(path: string, options?: GenerateOptions): Promise<FileMeta>;
/**
 * Expected AUC of the Bayes scorer for independent Bernoulli(p_i) labels, O(n log n):
 * sum_{i!=j} p_i(1-p_j)([p_i>p_j] + 0.5[p_i=p_j]) / sum_{i!=j} p_i(1-p_j).
 * With `labels`, the empirical AUC of the probabilities against those labels instead.
 */
export function bayesAuc(
  probabilities: ArrayLike<number>,
  labels?: ArrayLike<number | boolean>,
): number;
/** Empirical ROC AUC (ties count one half); NaN if a class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number;
export function manifestOf(files: unknown[], command: string): Record<string, unknown>;
/** The CLI (argv without "node" and the script path). */
export function main(argv?: string[]): Promise<void>;
