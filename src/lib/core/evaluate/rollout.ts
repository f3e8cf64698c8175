/**
 * Rollout rehearsal: which model would have answered each row under a shadow,
 * canary or A/B rollout, and the metrics those served answers would have
 * produced. A row's arm is a hash of (seed, row index) - no shuffle - so the
 * same seed and row always land in the same arm, and appending rows never
 * moves an earlier one.
 */
import { deriveSeed, normalizeSeed } from '../common';
import type { EvaluateInput, MetricKey } from './evaluate-types';
import { validateInput } from './compare-models';
import { binaryRows, binaryScorer, multiclassRows, multiclassScorer, regressionScorer, type BinaryRows, type MulticlassRows, type RowScorer } from './row-scorers';

export const DEFAULT_CANARY_SHARE = 0.05;
export const DEFAULT_AB_SHARE = 0.5;

/**
 * shadow: both models score every row, only the champion's answer is served.
 * canary: a seeded `share` of rows (default 5%) is served by the challenger.
 * ab: a seeded split, `share` (default 50%) to the challenger.
 */
export type RolloutStrategy = { kind: 'shadow' } | { kind: 'canary'; share?: number } | { kind: 'ab'; share?: number };

/** Arm codes in `assignRollout`'s result. */
export const CHAMPION_ARM = 0;
export const CHALLENGER_ARM = 1;

const TWO_POW_32 = 4_294_967_296;

/** murmur3's 32-bit finalizer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform-looking value in [0, 1) that depends only on the (derived) seed and the row index. */
export function rowUniform(streamSeed: number, row: number): number {
  const lo = row >>> 0;
  const hi = Math.floor(row / TWO_POW_32) >>> 0;
  const h = fmix32((fmix32((streamSeed ^ Math.imul(lo, 0x9e3779b9)) | 0) + Math.imul(hi ^ streamSeed, 0x7feb352d)) | 0);
  return h / TWO_POW_32;
}

/** The challenger's share of served rows for a strategy (0 for shadow); throws when outside [0, 1]. */
export function challengerShare(strategy: RolloutStrategy): number {
  if (strategy.kind === 'shadow') return 0;
  const share = strategy.share ?? (strategy.kind === 'canary' ? DEFAULT_CANARY_SHARE : DEFAULT_AB_SHARE);
  if (!(share >= 0 && share <= 1)) throw new RangeError(`The ${strategy.kind} share must be between 0 and 1, got ${String(share)}.`);
  return share;
}

/**
 * The arm serving each of n rows: CHAMPION_ARM (0) or CHALLENGER_ARM (1).
 * Row i goes to the challenger when rowUniform(deriveSeed(seed, 'rollout'), i) < share.
 */
export function assignRollout(n: number, strategy: RolloutStrategy, seed: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`The number of rows must be a whole number, got ${String(n)}.`);
  const share = challengerShare(strategy);
  const arms = new Uint8Array(n);
  if (share === 0) return arms;
  const stream = deriveSeed(normalizeSeed(seed), 'rollout');
  for (let i = 0; i < n; i++) arms[i] = rowUniform(stream, i) < share ? CHALLENGER_ARM : CHAMPION_ARM;
  return arms;
}

export interface MetricValue {
  metric: MetricKey;
  value: number;
}

export interface RehearsalArm {
  arm: 'champion' | 'challenger';
  model: string;
  /** Rows this arm served. */
  rows: number;
  /** Metrics of this arm's answers on the rows it served (NaN when it served none). */
  metrics: MetricValue[];
}

export interface Rehearsal {
  strategy: RolloutStrategy;
  seed: number;
  rows: number;
  counts: {
    servedByChampion: number;
    servedByChallenger: number;
    /** Rows each model scored: under shadow both score every row. */
    scoredByChampion: number;
    scoredByChallenger: number;
  };
  /** Metrics of the answers actually served, over all rows. */
  served: MetricValue[];
  /** What serving the champion alone would have given on the same rows, for reference. */
  championAlone: MetricValue[];
  arms: RehearsalArm[];
  /** Shadow only: the challenger's metrics on every row (scored, never served). */
  shadow?: { model: string; metrics: MetricValue[] };
}

function pickBinary(a: BinaryRows, b: BinaryRows, arms: Uint8Array): BinaryRows {
  const n = arms.length;
  const out: BinaryRows = { labels: a.labels, scores: new Float64Array(n), predicted: new Uint8Array(n), loss: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const src = arms[i] === CHALLENGER_ARM ? b : a;
    out.scores[i] = src.scores[i]!;
    out.predicted[i] = src.predicted[i]!;
    out.loss[i] = src.loss[i]!;
  }
  return out;
}

function pickMulticlass(a: MulticlassRows, b: MulticlassRows, arms: Uint8Array): MulticlassRows {
  const n = arms.length;
  const out: MulticlassRows = { classes: a.classes, labels: a.labels, predicted: new Uint32Array(n), loss: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const src = arms[i] === CHALLENGER_ARM ? b : a;
    out.predicted[i] = src.predicted[i]!;
    out.loss[i] = src.loss[i]!;
  }
  return out;
}

/** Scorers of the champion, the challenger and the served answers. */
function scorersFor(input: EvaluateInput, c: number, arms: Uint8Array): [RowScorer, RowScorer, RowScorer] {
  if (input.task === 'binary') {
    const [a, b] = [input.models[0]!, input.models[c]!].map((m) => binaryRows(input.labels, m.scores, m.threshold ?? 0.5)) as [BinaryRows, BinaryRows];
    return [binaryScorer(a), binaryScorer(b), binaryScorer(pickBinary(a, b, arms))];
  }
  if (input.task === 'multiclass') {
    const [a, b] = [input.models[0]!, input.models[c]!].map((m) => multiclassRows(input.labels, m.proba, input.classes)) as [MulticlassRows, MulticlassRows];
    return [multiclassScorer(a), multiclassScorer(b), multiclassScorer(pickMulticlass(a, b, arms))];
  }
  const a = input.models[0]!.values;
  const b = input.models[c]!.values;
  const served = new Float64Array(arms.length);
  for (let i = 0; i < arms.length; i++) served[i] = arms[i] === CHALLENGER_ARM ? b[i]! : a[i]!;
  return [regressionScorer(input.labels, a), regressionScorer(input.labels, b), regressionScorer(input.labels, served)];
}

function valuesOf(scorer: RowScorer, weights: Int32Array): MetricValue[] {
  const out = new Float64Array(scorer.metrics.length);
  scorer.score(weights, out);
  return scorer.metrics.map((metric, j) => ({ metric, value: out[j]! }));
}

/**
 * Rehearses a rollout of `input.models[challenger]` (default 1) against the
 * champion `input.models[0]` on the labelled rows: each row's arm from
 * `assignRollout(n, strategy, seed)`, the metrics of the served answers, per
 * arm (each arm's model on the rows it served), and the counts. Resamples
 * in `input` are ignored (no intervals here).
 */
export function rehearse(input: EvaluateInput, strategy: RolloutStrategy, seed: number, challenger = 1): Rehearsal {
  validateInput(input);
  if (!Number.isInteger(challenger) || challenger < 1 || challenger >= input.models.length) {
    throw new RangeError(`A rehearsal needs a challenger among models 1 to ${input.models.length - 1}, got ${String(challenger)}.`);
  }
  const n = input.labels.length;
  const arms = assignRollout(n, strategy, seed);
  const [champ, chal, served] = scorersFor(input, challenger, arms);
  const ones = new Int32Array(n).fill(1);
  const armWeights = [new Int32Array(n), new Int32Array(n)] as const;
  for (let i = 0; i < n; i++) armWeights[arms[i]!]![i] = 1;
  const servedByChallenger = armWeights[1].reduce((s, v) => s + v, 0);
  const servedByChampion = n - servedByChallenger;
  const shadow = strategy.kind === 'shadow';
  const names = [input.models[0]!.name, input.models[challenger]!.name];
  const result: Rehearsal = {
    strategy,
    seed,
    rows: n,
    counts: { servedByChampion, servedByChallenger, scoredByChampion: shadow ? n : servedByChampion, scoredByChallenger: shadow ? n : servedByChallenger },
    served: valuesOf(served, ones),
    championAlone: valuesOf(champ, ones),
    arms: [
      { arm: 'champion', model: names[0]!, rows: servedByChampion, metrics: valuesOf(served, armWeights[0]) },
      { arm: 'challenger', model: names[1]!, rows: servedByChallenger, metrics: valuesOf(served, armWeights[1]) },
    ],
  };
  if (shadow) result.shadow = { model: names[1]!, metrics: valuesOf(chal, ones) };
  return result;
}
