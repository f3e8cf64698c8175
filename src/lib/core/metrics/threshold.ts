/**
 * The decision threshold of a binary model, tuned on the validation split
 * (never on test): a model for a rare class rarely does best at 0.5. The
 * chosen threshold is stored with the model version and used by every later
 * prediction; 0.5 stays on record for comparison.
 */
import { countsFromLabels } from './curves';

export type ThresholdRule = { kind: 'default' } | { kind: 'max-f1' } | { kind: 'target-recall'; recall: number };

export const DEFAULT_THRESHOLD = 0.5;

export interface ThresholdChoice {
  /** Predict the positive class when p(positive) >= threshold. */
  threshold: number;
  rule: ThresholdRule;
  /** Precision, recall and F1 of the positive class at that threshold, on the rows it was tuned on. */
  precision: number;
  recall: number;
  f1: number;
  /** For the screen: how it was chosen, or why the default was kept. */
  note: string;
}

/** Precision, recall and F1 of class 1 when predicting p >= threshold. */
export function scoresAt(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): { precision: number; recall: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const positive = yTrue[i] !== 0;
    if (scores[i]! >= threshold) {
      if (positive) tp++;
      else fp++;
    } else if (positive) fn++;
  }
  return {
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: tp + fn > 0 ? tp / (tp + fn) : 0,
    f1: tp > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0,
  };
}

const fmt = (v: number) => v.toFixed(3);

/**
 * Chooses a threshold by `rule` from labels (0/1) and p(class 1) scores.
 * Candidates are the distinct scores (predict positive at score >= t), so the
 * choice is exact, not a grid. `max-f1` keeps the highest threshold among
 * ties; `target-recall` the best precision among thresholds reaching the
 * recall (the highest threshold among ties). Without positives, or when no
 * threshold reaches the target, the default 0.5 is kept and the note says why.
 */
export function tuneThreshold(yTrue: ArrayLike<number>, scores: ArrayLike<number>, rule: ThresholdRule): ThresholdChoice {
  const keep = (note: string): ThresholdChoice => ({ threshold: DEFAULT_THRESHOLD, rule, ...scoresAt(yTrue, scores, DEFAULT_THRESHOLD), note });
  if (rule.kind === 'default') return keep(`Default threshold ${fmt(DEFAULT_THRESHOLD)}.`);
  const c = countsFromLabels(yTrue, scores);
  if (c.positives === 0) return keep(`The validation split has no positive row: the default ${fmt(DEFAULT_THRESHOLD)} is kept.`);
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < c.thresholds.length; i++) {
    const tp = c.tps[i]!;
    const fp = c.fps[i]!;
    const recall = tp / c.positives;
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    let value: number;
    if (rule.kind === 'max-f1') value = tp > 0 ? (2 * tp) / (tp + fp + c.positives) : 0;
    else value = recall >= rule.recall - 1e-12 ? precision : -Infinity;
    // Strictly greater: among ties the earlier, i.e. higher, threshold wins.
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  if (best < 0 || bestValue === -Infinity) {
    return keep(`No threshold reaches recall ${fmt(rule.kind === 'target-recall' ? rule.recall : 0)} on the validation split: the default ${fmt(DEFAULT_THRESHOLD)} is kept.`);
  }
  const threshold = c.thresholds[best]!;
  const at = scoresAt(yTrue, scores, threshold);
  const how = rule.kind === 'max-f1' ? 'maximizes F1' : `reaches recall ${fmt(rule.recall)} with the best precision`;
  return {
    threshold,
    rule,
    ...at,
    note: `Threshold ${fmt(threshold)} ${how} on the validation split (precision ${fmt(at.precision)}, recall ${fmt(at.recall)}, F1 ${fmt(at.f1)}).`,
  };
}
