/**
 * Fairness of a binary classifier per group of sensitive attributes: Clarify's
 * pre-training CI and DPL, post-training rates and gaps with bootstrap intervals.
 */
export * from './fairness-types';
