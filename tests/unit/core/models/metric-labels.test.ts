import { describe, expect, it } from 'vitest';
import { HEADLINE_LABELS, METRIC_LABELS, classRecallLabel, compareMetrics, headlineMetrics, metricName, sweepMetrics } from '../../../../src/lib/core/models';
import { columnLabel, metricLabel, metricsComparison, runMetrics, toRow, type ComparableRun } from '../../../../src/lib/core/compare';
import { defaultTrainConfig } from '../../../../src/lib/core/training';
import { classificationMetrics } from '../../../../src/lib/core/metrics';

const HASH = 'a'.repeat(64);

function evaluation() {
  const yTrue = Uint32Array.from([0, 0, 0, 0, 0, 0, 1, 1]);
  const proba = Float64Array.from([0.9, 0.1, 0.8, 0.2, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2, 0.45, 0.55, 0.3, 0.7, 0.6, 0.4]);
  return classificationMetrics(yTrue, proba, ['No', 'Yes']);
}

function run(id: string): ComparableRun {
  return {
    id,
    status: 'completed',
    datasetHash: HASH,
    config: defaultTrainConfig(HASH, 'sick', 'binary', ['age']),
    tags: [],
    notes: '',
    createdAt: 1,
    durationMs: 1,
    mainMetric: 'auc',
    evaluation: evaluation(),
    backend: { used: 'cpu' },
  };
}

describe('one name per metric', () => {
  it('gives a metric key the same label in every table', () => {
    const rows = [toRow(run('a')), toRow(run('b'))];
    const keys = Object.keys(runMetrics(rows[0]!.run.evaluation));
    expect(keys).toContain('minorityRecall');
    expect(keys).toContain('recall:Yes');
    const compared = new Map(metricsComparison(rows, null).map((r) => [r.key, r.label]));
    for (const key of keys) {
      const label = metricName(key);
      expect(metricLabel(key)).toBe(label);
      expect(columnLabel(`metric:${key}`)).toBe(label);
      if (compared.has(key)) expect(compared.get(key)).toBe(label);
      if (key in HEADLINE_LABELS) expect(HEADLINE_LABELS[key]).toBe(label);
      if (key in METRIC_LABELS) expect(METRIC_LABELS[key]).toBe(label);
    }
  });

  it('names a class’s recall the way the run page does', () => {
    expect(metricName('recall:Yes')).toBe('Recall of “Yes”');
    expect(classRecallLabel('Yes')).toBe('Recall of “Yes”');
    expect(metricName('minorityRecall')).toBe('Minority recall');
    expect(metricName('gMean')).toBe('G-mean');
    expect(metricName('threshold')).toBe('Decision threshold');
    expect(metricName('unknown')).toBe('unknown');
  });

  it('labels every headline, sweep and reproduce metric from the table', () => {
    const e = evaluation();
    for (const key of [...Object.keys(headlineMetrics(e)), ...Object.keys(sweepMetrics(e)), ...compareMetrics(e, e).rows.map((r) => r.metric)]) {
      expect(HEADLINE_LABELS[key]).toBe(METRIC_LABELS[key]);
      expect(HEADLINE_LABELS[key]).toBeDefined();
    }
  });
});
