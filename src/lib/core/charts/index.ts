/**
 * Plot data and layouts for Plotly: training curves, metric charts,
 * comparison charts, scatter plots and their scales.
 *
 * Internal to this folder: charts-scales.ts.
 */
export * from './charts';
export * from './charts-compare';
export * from './charts-scatter';
export * from './charts-training';
