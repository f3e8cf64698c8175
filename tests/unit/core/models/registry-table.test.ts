import { describe, expect, it } from 'vitest';
import { imbalanceLabel, isImbalancedSplit, leadMetric, registryColumns, type RegistryVersionFacts } from '../../../../src/lib/core/models';

const binaryHeadline = { accuracy: 0.9, balancedAccuracy: 0.6, logLoss: 0.3, rocAuc: 0.8, averagePrecision: 0.4 };
const split = (supports: number[]) => ({ task: 'binary' as const, n: supports.reduce((a, b) => a + b, 0), report: { perClass: supports.map((support) => ({ support })) } });
const binary = (over: Partial<RegistryVersionFacts> = {}): RegistryVersionFacts => ({ task: 'binary', headline: binaryHeadline, ...over });

describe('isImbalancedSplit', () => {
  it('is true when the smallest class is under 20% of the test rows', () => {
    expect(isImbalancedSplit(split([90, 10]))).toBe(true);
    expect(isImbalancedSplit(split([80, 20]))).toBe(false);
  });

  it('is false for regression, an empty split or no evaluation', () => {
    expect(isImbalancedSplit({ task: 'regression', n: 10 })).toBe(false);
    expect(isImbalancedSplit(split([]))).toBe(false);
    expect(isImbalancedSplit(null)).toBe(false);
    expect(isImbalancedSplit(undefined)).toBe(false);
  });
});

describe('leadMetric', () => {
  it('is RMSE for regression, balanced accuracy under imbalance, else the run main metric', () => {
    expect(leadMetric('regression', true)).toBe('rmse');
    expect(leadMetric('binary', true)).toBe('balancedAccuracy');
    expect(leadMetric('multiclass', true)).toBe('balancedAccuracy');
    expect(leadMetric('binary', false)).toBe('rocAuc');
    expect(leadMetric('multiclass', false)).toBe('accuracy');
  });
});

describe('registryColumns', () => {
  it('leads with balanced accuracy, accuracy last, when a version test split is imbalanced', () => {
    const c = registryColumns([binary({ evaluation: split([95, 5]) }), binary()]);
    expect(c).toEqual({ lead: 'balancedAccuracy', metrics: ['balancedAccuracy', 'averagePrecision', 'rocAuc', 'logLoss', 'accuracy'], imbalanced: true });
  });

  it('counts a rebalancing strategy as imbalance (an imported version has no split here)', () => {
    expect(registryColumns([binary({ imbalance: 'smote' })]).lead).toBe('balancedAccuracy');
    expect(registryColumns([binary({ imbalance: 'none' })]).lead).toBe('rocAuc');
  });

  it('leads with ROC AUC for a balanced binary task, accuracy never first', () => {
    const c = registryColumns([binary({ evaluation: split([50, 50]), imbalance: 'none' })]);
    expect(c.lead).toBe('rocAuc');
    expect(c.metrics[0]).toBe('rocAuc');
    expect(c.metrics).toHaveLength(5);
    expect(c.imbalanced).toBe(false);
  });

  it('leads with RMSE for regression', () => {
    const c = registryColumns([{ task: 'regression', headline: { mae: 1, rmse: 2, r2: 0.5 }, imbalance: 'class-weights' }]);
    expect(c).toEqual({ lead: 'rmse', metrics: ['rmse', 'mae', 'r2'], imbalanced: false });
  });

  it('falls back to the first metric present when the preferred one is missing, and keeps unknown keys', () => {
    const c = registryColumns([{ task: 'binary', headline: { accuracy: 0.9, custom: 1 } }]);
    expect(c.lead).toBe('accuracy');
    expect(c.metrics).toEqual(['accuracy', 'custom']);
    expect(registryColumns([]).metrics).toEqual([]);
  });
});

describe('imbalanceLabel', () => {
  it('reads the strategy as the train form names it', () => {
    expect(imbalanceLabel('binary', 'class-weights')).toBe('Class weights (balanced)');
    expect(imbalanceLabel('multiclass', 'none')).toBe('None');
  });

  it('is a dash when unknown or for regression', () => {
    expect(imbalanceLabel('binary', null)).toBe('—');
    expect(imbalanceLabel('regression', 'none')).toBe('—');
  });
});
