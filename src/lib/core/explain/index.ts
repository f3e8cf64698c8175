/**
 * Which features matter: permutation importance and partial dependence, and
 * the Plotly figures of a model version's analyses (explain-charts).
 */
export * from './explain-charts';
export * from './explain-types';
export * from './feature-blocks';
export * from './partial-dependence';
export * from './permutation';
export * from './scoring';
