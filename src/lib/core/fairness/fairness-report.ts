/**
 * The fairness report: for each sensitive attribute, its groups before
 * training (Clarify's CI and DPL on the dataset's labels) and after (rates
 * per group and gaps against the rest on the test split, each gap with a
 * seeded bootstrap 95% interval).
 */
import { deriveSeed, Rng, type ColumnData } from '../common';
import { quantileSorted } from '../csv';
import { groupAttribute, type GroupedAttribute } from './fairness-grouping';
import { FN, FP, GAP_METRIC_ORDER, gapMetricInfo, gapsInto, ratesOf, TN, TP } from './fairness-metrics';
import type { AttributeReport, FairnessConfig, FairnessReport, GroupGap, GroupRates, Interval, PreTrainingBias } from './fairness-types';

/** Groups (and the rest) with fewer rows are reported but never flagged. */
export const MIN_GROUP_ROWS = 30;

/** 2^31: bootstrap draws use 31 random bits. */
const HALF_RANGE = 2_147_483_648;

/** A boolean per row: true or any non-zero number means favourable. */
export type Favourable = ArrayLike<boolean | number>;

/**
 * What `fairnessReport` reads. Every per-row array of one part has the same
 * length; `attributes` are index-aligned with `config.attributes` (the
 * columns' values for those rows, in the same row order).
 */
export interface FairnessInput {
  config: FairnessConfig;
  /** The decision threshold that turned probabilities into `test.predicted` (reported only). */
  threshold: number;
  /** Pre-training: every dataset row with a target. The attribute groups (and bin edges) are fitted here. */
  dataset: {
    /** Whether each row's label is the favourable one. */
    favourable: Favourable;
    attributes: ColumnData[];
  };
  /** Post-training: the test split. */
  test: {
    /** Whether each row's observed label is the favourable one. */
    favourable: Favourable;
    /** Whether each row is predicted favourable (already thresholded). */
    predicted: Favourable;
    attributes: ColumnData[];
  };
}

function columnLength(c: ColumnData): number {
  return c.kind === 'num' ? c.values.length : c.codes.length;
}

function checkInput(input: FairnessInput): void {
  const { config, dataset, test } = input;
  const k = config.attributes.length;
  if (dataset.attributes.length !== k || test.attributes.length !== k) {
    throw new Error(`The fairness report needs one column per sensitive attribute (${k}), got ${dataset.attributes.length} and ${test.attributes.length}.`);
  }
  if (!Number.isInteger(config.resamples) || config.resamples < 0) {
    throw new Error(`Bootstrap resamples must be a whole number of at least 0, got ${String(config.resamples)}.`);
  }
  const n = dataset.favourable.length;
  const m = test.favourable.length;
  if (test.predicted.length !== m) throw new Error(`The test split has ${m} labels but ${test.predicted.length} predictions.`);
  config.attributes.forEach((name, i) => {
    if (columnLength(dataset.attributes[i]!) !== n) throw new Error(`Column "${name}" has ${columnLength(dataset.attributes[i]!)} dataset rows, expected ${n}.`);
    if (columnLength(test.attributes[i]!) !== m) throw new Error(`Column "${name}" has ${columnLength(test.attributes[i]!)} test rows, expected ${m}.`);
  });
}

/** Clarify's CI and DPL for every group of one attribute against the rest of the dataset's rows. */
export function preTrainingBias(grouped: GroupedAttribute, favourable: Favourable): PreTrainingBias[] {
  const g = grouped.labels.length;
  const rows = new Float64Array(g);
  const good = new Float64Array(g);
  for (let i = 0; i < grouped.groupOf.length; i++) {
    const k = grouped.groupOf[i]!;
    rows[k]! += 1;
    if (favourable[i]) good[k]! += 1;
  }
  let n = 0;
  let pos = 0;
  for (let k = 0; k < g; k++) {
    n += rows[k]!;
    pos += good[k]!;
  }
  return grouped.labels.map((group, k) => {
    const nD = rows[k]!;
    const nA = n - nD;
    const qD = nD > 0 ? good[k]! / nD : NaN;
    const qA = nA > 0 ? (pos - good[k]!) / nA : NaN;
    return { group, size: nD, tooSmall: nD < MIN_GROUP_ROWS, classImbalance: n > 0 ? (nA - nD) / n : NaN, labelDifference: qA - qD };
  });
}

/** The cell of each test row: 2 * label + prediction. */
function cellsOf(test: FairnessInput['test']): Uint8Array {
  const m = test.favourable.length;
  const cells = new Uint8Array(m);
  for (let i = 0; i < m; i++) cells[i] = (test.favourable[i] ? 2 : 0) + (test.predicted[i] ? 1 : 0);
  return cells;
}

/** Confusion counts, four per group. */
function countCells(groupOf: Uint32Array, cells: Uint8Array, groups: number): Float64Array {
  const counts = new Float64Array(4 * groups);
  for (let i = 0; i < cells.length; i++) counts[4 * groupOf[i]! + cells[i]!]! += 1;
  return counts;
}

/** The four gaps of every group: out[4 * group + metric]. */
function allGaps(counts: Float64Array | Int32Array, groups: number, out: Float64Array): void {
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  for (let k = 0; k < groups; k++) {
    tn += counts[4 * k + TN]!;
    fp += counts[4 * k + FP]!;
    fn += counts[4 * k + FN]!;
    tp += counts[4 * k + TP]!;
  }
  for (let k = 0; k < groups; k++) {
    const b = 4 * k;
    const d0 = counts[b + TN]!;
    const d1 = counts[b + FP]!;
    const d2 = counts[b + FN]!;
    const d3 = counts[b + TP]!;
    gapsInto(d0, d1, d2, d3, tn - d0, fp - d1, fn - d2, tp - d3, out, b);
  }
}

/**
 * Bootstrap samples of every gap: test rows drawn with replacement, the same
 * draws for every attribute. Returns per attribute a buffer where the value of
 * resample r for group k and metric j is at `(4 * k + j) * resamples + r`.
 */
function bootstrapGaps(cells: Uint8Array, grouped: GroupedAttribute[], resamples: number, seed: number): Float64Array[] {
  const m = cells.length;
  const sizes = grouped.map((g) => g.labels.length);
  const samples = sizes.map((g) => new Float64Array(4 * g * resamples).fill(NaN));
  if (m === 0 || resamples === 0) return samples;
  if (m > HALF_RANGE) throw new Error(`The bootstrap handles up to ${HALF_RANGE} test rows, got ${m}.`);
  const counts = sizes.map((g) => new Int32Array(4 * g));
  const scratch = sizes.map((g) => new Float64Array(4 * g));
  // Each row's slot in an attribute's counts, computed once: 4 * group + cell.
  const slots = grouped.map((g) => {
    const slot = new Int32Array(m);
    for (let i = 0; i < m; i++) slot[i] = 4 * g.groupOf[i]! + cells[i]!;
    return slot;
  });
  const rng = new Rng(seed);
  // Uniform on [0, m) by rejection, like Rng.int, but on 31 bits so that the
  // modulo stays a small-integer operation (a double modulo is several times slower).
  const limit = HALF_RANGE - (HALF_RANGE % m);
  // Draws come from a buffer filled in one call (the same stream as rng.uint32(), ~5x faster).
  const buffer = new Uint32Array(4096);
  let at = buffer.length;
  const draw = (): number => {
    if (at === buffer.length) {
      rng.fillUint32(buffer);
      at = 0;
    }
    return buffer[at++]! >>> 1;
  };
  const a = grouped.length;
  for (let r = 0; r < resamples; r++) {
    for (let t = 0; t < a; t++) counts[t]!.fill(0);
    if (a === 1) {
      const c0 = counts[0]!;
      const s0 = slots[0]!;
      for (let i = 0; i < m; i++) {
        let u = draw();
        while (u >= limit) u = draw();
        c0[s0[u % m]!]! += 1;
      }
    } else {
      for (let i = 0; i < m; i++) {
        let u = draw();
        while (u >= limit) u = draw();
        const row = u % m;
        for (let t = 0; t < a; t++) counts[t]![slots[t]![row]!]! += 1;
      }
    }
    for (let t = 0; t < a; t++) {
      const out = scratch[t]!;
      allGaps(counts[t]!, sizes[t]!, out);
      const s = samples[t]!;
      for (let j = 0; j < out.length; j++) s[j * resamples + r] = out[j]!;
    }
  }
  return samples;
}

/** The 2.5% and 97.5% percentiles (numpy's linear method) of the non-NaN values; NaN when there are none. */
export function percentileInterval(values: Float64Array, scratch = new Float64Array(values.length)): Interval {
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) scratch[n++] = v;
  }
  if (n === 0) return { low: NaN, high: NaN };
  const sorted = scratch.subarray(0, n).sort();
  return { low: quantileSorted(sorted, 0.025), high: quantileSorted(sorted, 0.975) };
}

function groupRates(grouped: GroupedAttribute, counts: Float64Array): GroupRates[] {
  return grouped.labels.map((group, k) => {
    const r = ratesOf(counts[4 * k + TN]!, counts[4 * k + FP]!, counts[4 * k + FN]!, counts[4 * k + TP]!);
    return { group, tooSmall: r.size < MIN_GROUP_ROWS, ...r };
  });
}

function groupGaps(grouped: GroupedAttribute, counts: Float64Array, samples: Float64Array, resamples: number): GroupGap[] {
  const g = grouped.labels.length;
  const values = new Float64Array(4 * g);
  allGaps(counts, g, values);
  const total = counts.reduce((s, c) => s + c, 0);
  const scratch = new Float64Array(resamples);
  const gaps: GroupGap[] = [];
  grouped.labels.forEach((group, k) => {
    const size = counts[4 * k]! + counts[4 * k + 1]! + counts[4 * k + 2]! + counts[4 * k + 3]!;
    const tooSmall = size < MIN_GROUP_ROWS || total - size < MIN_GROUP_ROWS;
    GAP_METRIC_ORDER.forEach((metric, j) => {
      const at = 4 * k + j;
      const interval = percentileInterval(samples.subarray(at * resamples, (at + 1) * resamples), scratch);
      const neutral = gapMetricInfo(metric).neutral;
      const value = values[at]!;
      const gap: GroupGap = { group, metric, value, interval, neutral, flagged: !tooSmall && (interval.low > neutral || interval.high < neutral), tooSmall };
      if (metric === 'disparate-impact') gap.fourFifths = value < 0.8;
      gaps.push(gap);
    });
  });
  return gaps;
}

/**
 * The fairness report. Each attribute is grouped on the dataset's rows
 * (`groupAttribute`, `config.bins`) and the test rows take the same groups.
 * Pre-training, per group d against the rest a: CI = (na - nd) / (na + nd),
 * DPL = qa - qd (q: share of favourable labels). Post-training: each group's
 * rates, and the gaps of GAP_METRICS with 95% percentile intervals from
 * `config.resamples` bootstrap resamples of the test rows (seeded by
 * `config.seed`: the same seed gives the same intervals). A gap is flagged only
 * when its interval excludes the neutral value and neither the group nor the
 * rest has fewer than 30 test rows.
 * @throws Error when columns and rows do not line up, or bins or resamples are not valid.
 */
export function fairnessReport(input: FairnessInput): FairnessReport {
  checkInput(input);
  const { config, dataset, test } = input;
  const cells = cellsOf(test);
  const fitted = config.attributes.map((column, i) => groupAttribute(dataset.attributes[i]!, { column, bins: config.bins }));
  const onTest = config.attributes.map((column, i) => groupAttribute(test.attributes[i]!, { column, bins: config.bins, like: fitted[i] }));
  const samples = bootstrapGaps(cells, onTest, config.resamples, deriveSeed(config.seed, 'fairness-bootstrap'));
  const attributes: AttributeReport[] = onTest.map((grouped, i) => {
    const counts = countCells(grouped.groupOf, cells, grouped.labels.length);
    const pre = preTrainingBias(fitted[i]!, dataset.favourable);
    // Test-only groups (values the dataset never had) have no dataset rows.
    for (let k = pre.length; k < grouped.labels.length; k++) {
      pre.push({ group: grouped.labels[k]!, size: 0, tooSmall: true, classImbalance: dataset.favourable.length > 0 ? 1 : NaN, labelDifference: NaN });
    }
    return { grouping: grouped.grouping, preTraining: pre, groups: groupRates(grouped, counts), gaps: groupGaps(grouped, counts, samples[i]!, config.resamples) };
  });
  return { kind: 'fairness', config, threshold: input.threshold, datasetRows: dataset.favourable.length, testRows: test.favourable.length, attributes };
}
