import { describe, expect, it } from 'vitest';
import {
  EMPTY_FILTER,
  curveClasses,
  defaultColumns,
  distinguishingParams,
  filterChoices,
  filterRows,
  formatDelta,
  learningCurveOverlay,
  metricKeys,
  metricsComparison,
  normalizeCompareSettings,
  paramsDiff,
  primaryMetric,
  prOverlay,
  rocOverlay,
  runLabel,
  scatterDefault,
  sortRows,
  toRow,
  varyingParams,
  type ComparableRun,
  type RunDrawing,
  baselineComparison,
} from '../../../../src/lib/core/compare';
import { defaultTrainConfig, type TrainConfig, type Evaluation } from '../../../../src/lib/core/training';
import { classificationMetrics, classificationBaseline } from '../../../../src/lib/core/metrics';

const HASH = 'a'.repeat(64);

/** A real evaluation: 90 "No" and 10 "Yes" rows, the model finding `found` of the 10 at 0.5. */
function evaluation(found: number): Evaluation {
  const yTrue = new Uint32Array(100);
  const proba = new Float64Array(200);
  for (let i = 0; i < 100; i++) {
    const yes = i >= 90;
    yTrue[i] = yes ? 1 : 0;
    const p = yes ? (i - 90 < found ? 0.7 : 0.3) : i < 5 ? 0.6 : 0.1 + i / 1000;
    proba[2 * i] = 1 - p;
    proba[2 * i + 1] = p;
  }
  return classificationMetrics(yTrue, proba, ['No', 'Yes']);
}

function run(id: string, patch: Partial<TrainConfig> = {}, extra: Partial<ComparableRun> = {}): ComparableRun {
  return {
    id,
    status: 'completed',
    datasetHash: HASH,
    // Mini-batch runs with a hand-set budget: the learning rate, epochs and batch size apply to every run here.
    config: { ...defaultTrainConfig(HASH, 'sick', 'binary', ['age', 'bmi']), solver: 'minibatch', autoBudget: false, ...patch },
    tags: [],
    notes: '',
    sweepId: null,
    createdAt: 1_000,
    durationMs: 1_000,
    mainMetric: 'auc',
    evaluation: evaluation(5),
    backend: { used: 'cpu' },
    ...extra,
  };
}

describe('rows and params', () => {
  it('flattens a run: units as text, inapplicable params as null, features as a count', () => {
    const linear = toRow(run('r1'));
    expect(linear.params.learningRate).toBe(0.01);
    expect(linear.params.hiddenUnits).toBeNull(); // a linear model has no hidden layers
    expect(linear.params.features).toBe(2);
    expect(linear.params.earlyStopping).toBe('yes');
    const mlp = toRow(run('r2', { model: 'mlp', hiddenUnits: [64, 32] }));
    expect(mlp.params.hiddenUnits).toBe('64-32');
  });

  it('lists only the params that differ', () => {
    const rows = [run('a', { learningRate: 0.01 }), run('b', { learningRate: 0.1 }), run('c', { learningRate: 0.1, imbalance: 'smote' })].map(toRow);
    expect(varyingParams(rows)).toEqual(['learningRate', 'imbalance']);
    const diff = paramsDiff(rows);
    expect(diff.map((d) => d.label)).toEqual(['Learning rate', 'Class imbalance']);
    expect(diff[0]!.values).toEqual(['0.01', '0.1', '0.1']);
    expect(diff[1]!.values).toEqual(['none', 'none', 'smote']);
    expect(runLabel(rows[2]!, varyingParams(rows))).toBe('logreg-smote · c · 0.1 · smote');
    // Labels name the strategy first, and the scatter plots against the numeric setting.
    expect(distinguishingParams(rows)).toEqual(['imbalance', 'learningRate']);
    expect(scatterDefault(rows)).toBe('learningRate');
  });

  it('leaves a setting a run does not have out of its label', () => {
    const rows = [run('lin'), run('mlp', { model: 'mlp', hiddenUnits: [32] })].map(toRow);
    expect(distinguishingParams(rows).slice(0, 2)).toEqual(['model', 'hiddenUnits']);
    // The solver belongs to linear models only: it names the linear run, never the MLP.
    expect(runLabel(rows[0]!, distinguishingParams(rows))).toBe('logreg · lin · linear · minibatch');
    expect(runLabel(rows[1]!, distinguishingParams(rows))).toBe('mlp · mlp · mlp · 32');
  });
});

describe('metrics', () => {
  it('puts the honest metrics first for an imbalanced target', () => {
    const rows = [toRow(run('a'))];
    const keys = metricKeys(rows);
    expect(keys.slice(0, 5)).toEqual(['balancedAccuracy', 'minorityRecall', 'minorityF1', 'averagePrecision', 'gMean']);
    expect(keys).toContain('recall:Yes');
    expect(keys.indexOf('accuracy')).toBeGreaterThan(keys.indexOf('recall:Yes'));
    expect(primaryMetric(rows)).toBe('balancedAccuracy');
    expect(rows[0]!.metrics.minorityRecall).toBeCloseTo(0.5, 12);
  });

  it('marks the best value per metric and measures deltas from the pinned baseline', () => {
    const rows = [run('none', {}, { evaluation: evaluation(2) }), run('smote', { imbalance: 'smote' }, { evaluation: evaluation(8) })].map(toRow);
    const table = metricsComparison(rows, 'none');
    const recall = table.find((m) => m.key === 'minorityRecall')!;
    expect(recall.values).toEqual([0.2, 0.8]);
    expect(recall.best).toBe(1);
    expect(recall.deltas[0]).toBeNull();
    expect(recall.deltas[1]).toBeCloseTo(0.6, 12);
    expect(recall.better).toEqual([null, true]);
    const logLoss = table.find((m) => m.key === 'logLoss')!;
    expect(logLoss.lowerIsBetter).toBe(true);
    // smaller log loss is better: the best index is the smaller value
    expect(logLoss.best).toBe(logLoss.values[0]! < logLoss.values[1]! ? 0 : 1);
    const d = logLoss.deltas[1]!;
    expect(logLoss.better[1]).toBe(d < 0);
    expect(formatDelta(0.6)).toBe('+0.6000');
    expect(formatDelta(-0.004)).toBe('−0.0040');
    expect(formatDelta(0)).toBe('±0');
    expect(formatDelta(null)).toBe('');
  });

  it('marks every run tied for the best value', () => {
    const rows = [run('a'), run('b')].map(toRow);
    const auc = metricsComparison(rows, null).find((m) => m.key === 'rocAuc')!;
    expect(auc.isBest).toEqual([true, true]);
  });

  it('a failed run has no metrics and never wins', () => {
    const rows = [run('ok'), run('failed', {}, { status: 'failed', evaluation: null })].map(toRow);
    const table = metricsComparison(rows, null);
    for (const m of table) {
      expect(Number.isNaN(m.values[1]!)).toBe(true);
      if (m.key !== 'threshold') expect(m.best).toBe(0);
      expect(m.deltas).toEqual([null, null]);
    }
  });
});

describe('filter and sort', () => {
  const rows = [
    run('r-old', { imbalance: 'smote' }, { createdAt: 1, tags: ['baseline'], sweepId: 's1', evaluation: evaluation(3) }),
    run('r-mid', {}, { createdAt: 2, status: 'failed', evaluation: null, sweepId: 's1' }),
    run('r-new', { learningRate: 0.1 }, { createdAt: 3, notes: 'try a bigger rate', datasetHash: 'b'.repeat(64), evaluation: evaluation(9) }),
  ].map(toRow);

  it('filters by dataset, status, tag, sweep and text', () => {
    const ids = (f: Partial<typeof EMPTY_FILTER>) => filterRows(rows, { ...EMPTY_FILTER, ...f }).map((r) => r.id);
    expect(ids({})).toEqual(['r-old', 'r-mid', 'r-new']);
    expect(ids({ datasetHash: HASH })).toEqual(['r-old', 'r-mid']);
    expect(ids({ status: 'failed' })).toEqual(['r-mid']);
    expect(ids({ tag: 'baseline' })).toEqual(['r-old']);
    expect(ids({ sweepId: 's1' })).toEqual(['r-old', 'r-mid']);
    expect(ids({ text: 'BIGGER' })).toEqual(['r-new']);
    expect(ids({ text: 'smote' })).toEqual(['r-old']); // param values are searchable
    const choices = filterChoices(rows);
    expect(choices.tags).toEqual(['baseline']);
    expect(choices.sweeps).toEqual([{ id: 's1', runs: 2, firstAt: 1 }]);
    expect(choices.datasets.length).toBe(2);
  });

  it('sorts by a metric best first with missing values last in either direction, stable on ties', () => {
    const byRecall = (descending: boolean) => sortRows(rows, { key: 'metric:minorityRecall', descending }).map((r) => r.id);
    expect(byRecall(true)).toEqual(['r-new', 'r-old', 'r-mid']);
    expect(byRecall(false)).toEqual(['r-old', 'r-new', 'r-mid']);
    expect(sortRows(rows, { key: 'createdAt', descending: true }).map((r) => r.id)).toEqual(['r-new', 'r-mid', 'r-old']);
    expect(sortRows(rows, { key: 'param:imbalance', descending: false }).map((r) => r.id)).toEqual(['r-mid', 'r-new', 'r-old']);
  });

  it('sorts 1,000 rows and keeps every row exactly once', () => {
    const many = Array.from({ length: 1000 }, (_, i) => toRow(run(`r${i}`, { learningRate: ((i * 7919) % 1000) / 1000 + 0.001 })));
    const sorted = sortRows(many, { key: 'param:learningRate', descending: false });
    expect(new Set(sorted.map((r) => r.id)).size).toBe(1000);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.params.learningRate! >= sorted[i - 1]!.params.learningRate!).toBe(true);
  });
});

describe('overlays', () => {
  const EPOCHS = [
    { epoch: 1, loss: 0.6, valLoss: 0.65, metric: 0.7, valMetric: 0.68, ms: 10 },
    { epoch: 2, loss: 0.5, valLoss: 0.55, metric: 0.75, valMetric: 0.72, ms: 10 },
  ];
  const evals = [evaluation(2), evaluation(8)];
  const drawings: RunDrawing[] = evals.map((e, i) => ({ label: 'AB'[i]!, task: e.task, epochs: EPOCHS, curves: e.task === 'regression' ? null : e.curves }));

  it('draws one learning curve per run, in the run colours', () => {
    const series = learningCurveOverlay(drawings, 'valLoss');
    expect(series.map((s) => s.name)).toEqual(['A', 'B']);
    expect(series[0]!.points).toEqual([[1, 0.65], [2, 0.55]]);
    expect(series[0]!.color).not.toBe(series[1]!.color);
    // A run whose details are not loaded yet draws nothing rather than a wrong line.
    expect(learningCurveOverlay([{ ...drawings[0]!, epochs: [] }], 'valLoss')).toEqual([]);
  });

  it('overlays ROC and PR curves with each run’s AUC and AP in its name', () => {
    expect(curveClasses(drawings)).toEqual([null]);
    const roc = rocOverlay(drawings);
    const auc = (e: Evaluation) => (e.task !== 'regression' ? e.rocAuc.toFixed(3) : '');
    expect(roc.map((s) => s.name)).toEqual([`A (AUC ${auc(evals[0]!)})`, `B (AUC ${auc(evals[1]!)})`, 'chance']);
    const first = roc[0]!.points;
    expect(first[0]).toEqual([0, 0]);
    expect(first.at(-1)).toEqual([1, 1]);
    const pr = prOverlay(drawings);
    expect(pr).toHaveLength(2);
    expect(pr[1]!.name).toMatch(/^B \(AP \d\.\d{3}\)$/);
  });
});

describe('settings', () => {
  it('repairs stored settings and picks default columns from what varies', () => {
    const s = normalizeCompareSettings({ filter: { status: 'bogus', text: 7 }, selected: ['a', 'a', 3, 'b'], curve: 'nope', sort: { key: 'metric:rocAuc', descending: false } });
    expect(s.filter.status).toBe('all');
    expect(s.filter.text).toBe('');
    expect(s.selected).toEqual(['a', 'b']);
    expect(s.curve).toBe('valLoss');
    expect(s.sort).toEqual({ key: 'metric:rocAuc', descending: false });
    expect(s.columns).toBeNull();
    const rows = [run('a'), run('b', { imbalance: 'smote', learningRate: 0.1 })].map(toRow);
    expect(defaultColumns(rows)).toEqual(['metric:balancedAccuracy', 'metric:minorityRecall', 'metric:minorityF1', 'metric:averagePrecision', 'param:imbalance', 'param:learningRate']);
  });
});

describe('against the learned-nothing baseline', () => {
  // Training split of 80 "No" and 20 "Yes": the baseline always answers "No" with p(Yes) = 0.2.
  const trainLabels = [...Array<number>(80).fill(0), ...Array<number>(20).fill(1)];
  const testLabels = [...Array<number>(90).fill(0), ...Array<number>(10).fill(1)];
  const withBaseline = (found: number, train = trainLabels, threshold = 0.5): Evaluation => ({ ...evaluation(found), baseline: classificationBaseline(train, testLabels, ['No', 'Yes'], threshold) });

  it('one baseline column for runs on the same split, and each run’s difference from it', () => {
    const rows = [run('a', {}, { evaluation: withBaseline(5) }), run('b', { imbalance: 'smote' }, { evaluation: withBaseline(8) })].map(toRow);
    const cmp = baselineComparison(rows)!;
    expect(cmp.shared).toBe(true);
    expect(cmp.labels).toEqual(['always “No”', 'always “No”']);
    // The order of the metrics table, keeping only what a baseline has (no G-mean, no per-class recall).
    expect(cmp.rows.map((r) => r.key)).toEqual(metricKeys(rows).filter((k) => ['balancedAccuracy', 'minorityRecall', 'minorityF1', 'averagePrecision', 'rocAuc', 'accuracy', 'logLoss'].includes(k)));
    const ba = cmp.rows.find((r) => r.key === 'balancedAccuracy')!;
    expect(ba.baseline).toEqual([0.5, 0.5]);
    // 5 of the 90 "No" rows are flagged; the model finds 5 (then 8) of the 10 "Yes".
    expect(ba.lift[0]).toBeCloseTo((85 / 90 + 0.5) / 2 - 0.5, 12);
    expect(ba.lift[1]).toBeCloseTo((85 / 90 + 0.8) / 2 - 0.5, 12);
    expect(ba.better).toEqual([true, true]);
    const acc = cmp.rows.find((r) => r.key === 'accuracy')!;
    expect(acc.baseline[0]).toBeCloseTo(0.9, 12);
    expect(acc.lift[0]).toBeCloseTo((85 + 5) / 100 - 0.9, 12);
    const logLoss = cmp.rows.find((r) => r.key === 'logLoss')!;
    const priorLoss = -(90 * Math.log(0.8) + 10 * Math.log(0.2)) / 100;
    expect(logLoss.baseline[1]).toBeCloseTo(priorLoss, 12);
    expect(logLoss.lift[1]).toBeCloseTo(rows[1]!.metrics.logLoss! - priorLoss, 12);
    expect(logLoss.better[1]).toBe(logLoss.lift[1]! < 0);
    expect(cmp.beats).toEqual([true, true]);
  });

  it('a run that finds no “Yes” does not beat the baseline on balanced accuracy', () => {
    const cmp = baselineComparison([toRow(run('blind', {}, { evaluation: withBaseline(0) }))])!;
    const ba = cmp.rows.find((r) => r.key === 'balancedAccuracy')!;
    expect(ba.lift[0]).toBeCloseTo(85 / 90 / 2 - 0.5, 12);
    expect(ba.better).toEqual([false]);
    expect(cmp.beats).toEqual([false]);
  });

  it('runs with different baselines each show their own; a run stored before baselines shows none', () => {
    // A tuned threshold of 0.15 under the prior 0.2: that baseline always answers "Yes".
    const rows = [run('a', {}, { evaluation: withBaseline(5) }), run('b', {}, { evaluation: withBaseline(5, trainLabels, 0.15) }), run('old')].map(toRow);
    const cmp = baselineComparison(rows)!;
    expect(cmp.shared).toBe(false);
    expect(cmp.labels).toEqual(['always “No”', 'always “Yes”', null]);
    const acc = cmp.rows.find((r) => r.key === 'accuracy')!;
    expect(acc.baseline[0]).toBeCloseTo(0.9, 12);
    expect(acc.baseline[1]).toBeCloseTo(0.1, 12);
    expect(acc.baseline[2]).toBeNaN();
    expect(acc.lift[2]).toBeNull();
    expect(cmp.beats[2]).toBeNull();
  });

  it('no run with a baseline: nothing to show', () => {
    expect(baselineComparison([toRow(run('old'))])).toBeNull();
  });
});
