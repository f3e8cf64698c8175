/**
 * Fairness of a binary classifier per group of sensitive attributes: Clarify's
 * pre-training CI and DPL, post-training rates and gaps with bootstrap intervals,
 * the model-card section and the data of its charts.
 */
export * from './fairness-chart';
export * from './fairness-grouping';
export * from './fairness-markdown';
export * from './fairness-metrics';
export * from './fairness-report';
export * from './fairness-types';
