/**
 * Champion vs challenger evaluation on the same labelled rows: every metric
 * with a seeded bootstrap interval, paired differences and verdicts in words
 * (compare-models), and rollout rehearsal - shadow, canary, A/B - with the
 * metrics the served answers would have produced (rollout). Internal:
 * row-scorers (metrics from per-row weights), bootstrap (draws, intervals),
 * verdict (the words). retrain-chain: a model version's retraining loop as
 * lineage (drift report, run, evaluations, promotions).
 */
export * from './evaluate-types';
export { compareModels, disagreement, regressionTolerance, DEFAULT_RESAMPLES, REGRESSION_TOLERANCE_SD } from './compare-models';
export { createResampler, percentileInterval, type Resampler } from './bootstrap';
export { metricInfo, BINARY_METRICS, MULTICLASS_METRICS, REGRESSION_METRICS } from './row-scorers';
export { metricVerdict, overallVerdict, formatDifference } from './verdict';
export * from './rollout';
export * from './retrain-chain';
