/**
 * Analyses written out by hand, for the model card, the run export and the
 * analysis charts. The fairness numbers come from these test-split counts
 * (favourable label "Yes" = positive):
 *
 *   group A, 120 rows: TP 54, FN 6, FP 12, TN 48
 *     label rate 60/120 = 0.5; selection rate (54+12)/120 = 0.55; recall 54/60 = 0.9;
 *     FPR 12/60 = 0.2; precision 54/66 = 0.8181…; accuracy (54+48)/120 = 0.85
 *   group B, 80 rows: TP 8, FN 8, FP 0, TN 64
 *     label rate 16/80 = 0.2; selection rate 8/80 = 0.1; recall 8/16 = 0.5;
 *     FPR 0/64 = 0; precision 8/8 = 1; accuracy 72/80 = 0.9
 *
 * Gaps of B against the rest (A): demographic parity 0.55 − 0.1 = 0.45;
 * disparate impact 0.1 / 0.55 = 0.1818…; equal opportunity 0.9 − 0.5 = 0.4;
 * average odds ((0.2 − 0) + (0.9 − 0.5)) / 2 = 0.3. A's are the opposites
 * (DI 5.5). Intervals are made up (a bootstrap's), chosen so that A's
 * disparate impact and average odds are not flagged.
 */
import type { FairnessReport, GroupGap } from '../../../../src/lib/core/fairness';
import type { ImportanceReport } from '../../../../src/lib/core/explain';

function gap(group: string, metric: GroupGap['metric'], value: number, low: number, high: number, neutral: number, extra: Partial<GroupGap> = {}): GroupGap {
  const flagged = low > neutral || high < neutral;
  return { group, metric, value, interval: { low, high }, neutral, flagged, tooSmall: false, ...extra };
}

export const FAIRNESS: FairnessReport = {
  kind: 'fairness',
  config: { attributes: ['group', 'age'], favourable: 'Yes', bins: 4, resamples: 1000, seed: 42 },
  threshold: 0.5,
  datasetRows: 1000,
  testRows: 200,
  attributes: [
    {
      grouping: { column: 'group', kind: 'categorical' },
      // Dataset: A 600 rows (330 favourable, q = 0.55), B 400 rows (100 favourable, q = 0.25).
      preTraining: [
        { group: 'A', size: 600, tooSmall: false, classImbalance: (400 - 600) / 1000, labelDifference: 0.25 - 0.55 },
        { group: 'B', size: 400, tooSmall: false, classImbalance: (600 - 400) / 1000, labelDifference: 0.55 - 0.25 },
      ],
      groups: [
        { group: 'A', size: 120, tooSmall: false, labelRate: 0.5, selectionRate: 0.55, recall: 0.9, falsePositiveRate: 0.2, precision: 54 / 66, accuracy: 0.85 },
        { group: 'B', size: 80, tooSmall: false, labelRate: 0.2, selectionRate: 0.1, recall: 0.5, falsePositiveRate: 0, precision: 1, accuracy: 0.9 },
      ],
      gaps: [
        gap('A', 'demographic-parity', -0.45, -0.56, -0.33, 0),
        gap('B', 'demographic-parity', 0.45, 0.33, 0.56, 0),
        gap('A', 'disparate-impact', 5.5, 0.95, 14, 1, { fourFifths: false }),
        gap('B', 'disparate-impact', 0.1 / 0.55, 0.08, 0.3, 1, { fourFifths: true }),
        gap('A', 'equal-opportunity', -0.4, -0.62, -0.15, 0),
        gap('B', 'equal-opportunity', 0.4, 0.15, 0.62, 0),
        gap('A', 'average-odds', -0.3, -0.45, 0.02, 0),
        gap('B', 'average-odds', 0.3, 0.17, 0.43, 0),
      ],
    },
    {
      grouping: { column: 'age', kind: 'binned', edges: [18, 40, 90] },
      preTraining: [
        { group: '[18, 40)', size: 950, tooSmall: false, classImbalance: -0.9, labelDifference: 0.01 },
        { group: '[40, 90]', size: 50, tooSmall: false, classImbalance: 0.9, labelDifference: -0.01 },
      ],
      groups: [
        { group: '[18, 40)', size: 190, tooSmall: false, labelRate: 0.38, selectionRate: 0.4, recall: 0.8, falsePositiveRate: 0.1, precision: 0.9, accuracy: 0.88 },
        // No favourable test row: recall is not defined.
        { group: '[40, 90]', size: 10, tooSmall: true, labelRate: 0, selectionRate: 0.1, recall: NaN, falsePositiveRate: 0.1, precision: 0, accuracy: 0.9 },
      ],
      gaps: [
        // Too small to judge: never flagged, even with an interval away from 0.
        gap('[40, 90]', 'demographic-parity', 0.3, 0.1, 0.5, 0, { flagged: false, tooSmall: true }),
        gap('[40, 90]', 'equal-opportunity', NaN, NaN, NaN, 0, { flagged: false, tooSmall: true }),
      ],
    },
  ],
};

/** Sorted most important first, as the analysis stores it. */
export const IMPORTANCE: ImportanceReport = {
  kind: 'importance',
  config: { repeats: 5, seed: 42, topFeatures: 2, gridPoints: 3, sampleRows: 100 },
  metric: 'auc',
  baseline: 0.91,
  testRows: 200,
  features: [
    { feature: 'x2', mean: 0.3, std: 0.03, drops: [0.27, 0.3, 0.33, 0.3, 0.3] },
    { feature: 'x1', mean: 0.2, std: 0.01, drops: [0.19, 0.2, 0.21, 0.2, 0.2] },
    { feature: 'colour | tint', mean: 0.05, std: 0.02, drops: [0.03, 0.05, 0.07, 0.05, 0.05] },
    { feature: 'noise', mean: -0.001, std: NaN, drops: [-0.001, NaN, -0.001, -0.001, -0.001] },
  ],
  partialDependence: [
    { feature: 'x2', kind: 'numeric', grid: [-1, 0, 1], mean: [0.2, 0.5, 0.8], output: 'P(label = Yes)' },
    { feature: 'colour | tint', kind: 'categorical', grid: ['red', '*blue*'], mean: [0.6, 0.4], output: 'P(label = Yes)' },
  ],
};
