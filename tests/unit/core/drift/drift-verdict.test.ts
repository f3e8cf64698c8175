import { describe, expect, it } from 'vitest';
import {
  featureDrift,
  type ColumnStats,
  type FeatureDrift,
  defaultTolerancesText,
  modelVerdict,
  normalizeTolerances,
  type ConceptMetric,
  type MetricCheck,
  type ModelEvidence,
} from '../../../../src/lib/core/drift';
import { CELL_KINDS } from '../../../../src/lib/core/notebook';

/** A prediction-drift result from two real samples: shifted (drifted) or the same (stable). */
function predictionDrift(shifted: boolean): FeatureDrift {
  const side = (offset: number): ColumnStats => ({ name: 'prediction', kind: 'numeric', rows: 500, missing: 0, sorted: Float64Array.from({ length: 500 }, (_, i) => offset + (0.6 * i) / 500) });
  const f = featureDrift(side(0.1), side(shifted ? 0.35 : 0.1));
  if ('skipped' in f) throw new Error(f.skipped);
  expect(f.drifted).toBe(shifted);
  return f;
}

function labelDrift(shifted: boolean): FeatureDrift {
  const side = (yes: number): ColumnStats => ({ name: 'HeartDisease', kind: 'categorical', rows: 1000, missing: 0, counts: [['No', 1000 - yes], ['Yes', yes]] });
  const f = featureDrift(side(90), side(shifted ? 300 : 90));
  if ('skipped' in f) throw new Error(f.skipped);
  expect(f.drifted).toBe(shifted);
  return f;
}

const metric = (key: string, label: string, test: number, current: number): ConceptMetric => ({ key, label, test, current, change: current - test });

/** A binary model's metrics (test, new): the task's six rows. */
function binary(values: Partial<Record<'recall' | 'balancedAccuracy' | 'rocAuc' | 'averagePrecision' | 'accuracy' | 'f1', [number, number]>>): ConceptMetric[] {
  const all: Record<string, [number, number]> = { recall: [0.6, 0.6], balancedAccuracy: [0.75, 0.75], rocAuc: [0.85, 0.85], averagePrecision: [0.5, 0.5], accuracy: [0.8, 0.8], f1: [0.45, 0.45] };
  for (const [k, v] of Object.entries(values)) all[k] = v;
  const labels: Record<string, string> = { recall: 'recall of “Yes”', balancedAccuracy: 'balanced accuracy', rocAuc: 'ROC AUC', averagePrecision: 'average precision', accuracy: 'accuracy', f1: 'F1 of “Yes”' };
  return Object.entries(all).map(([k, [t, c]]) => metric(k, labels[k]!, t, c));
}

/** The rule, written out again from the rows' numbers: how much worse, at the table's 3 decimals, against the tolerance. */
function expectRowsAgree(rows: MetricCheck[]): void {
  for (const r of rows) {
    const worse = r.better === 'higher' ? r.reference - r.current : (r.current - r.reference) / Math.abs(r.reference);
    expect(r.passed, r.label).toBe(Math.round(worse * 1000) / 1000 <= r.tolerance);
  }
}

const metricRows = (v: ReturnType<typeof modelVerdict>) => v.checks.filter((c): c is MetricCheck => c.kind === 'metric');

describe('the model verdict', () => {
  it('the reported case: minority recall up, accuracy 0.72 -> 0.62, ROC AUC -0.024, predictions drifted => retraining recommended, naming the failures', () => {
    const evidence: ModelEvidence = {
      prediction: predictionDrift(true),
      label: null,
      concept: binary({ recall: [0.41, 0.55], balancedAccuracy: [0.7, 0.69], rocAuc: [0.85, 0.826], accuracy: [0.72, 0.62] }),
    };
    const v = modelVerdict(evidence);
    expect(v.level).toBe('retrain');
    expect(v.labelled).toBe(true);
    expect(v.sentence).toBe(
      'Retraining recommended: accuracy fell from 0.720 to 0.620 (tolerance 0.050), ROC AUC fell from 0.850 to 0.826 (tolerance 0.020), and the model’s predictions have drifted.',
    );
    // The recall that rose is a passing row, never a reason.
    expect(v.sentence).not.toMatch(/recall|rose|improv/);
    const rows = metricRows(v);
    expect(rows.map((r) => r.key)).toEqual(['recall', 'balancedAccuracy', 'rocAuc', 'averagePrecision', 'accuracy', 'f1']);
    expect(rows.filter((r) => r.primary).map((r) => r.key)).toEqual(['recall', 'balancedAccuracy', 'rocAuc']);
    expectRowsAgree(rows);
    expect(rows.find((r) => r.key === 'accuracy')!.passed).toBe(false);
    expect(rows.find((r) => r.key === 'rocAuc')!.passed).toBe(false);
    expect(rows.find((r) => r.key === 'recall')!.passed).toBe(true);
    const pred = v.checks.find((c) => c.key === 'prediction')!;
    expect(pred.passed).toBe(false);
    expect(pred.primary).toBe(true);
  });

  it('the same case without prediction drift still recommends retraining: ROC AUC is primary', () => {
    const v = modelVerdict({ prediction: predictionDrift(false), label: null, concept: binary({ rocAuc: [0.85, 0.826], accuracy: [0.72, 0.62] }) });
    expect(v.level).toBe('retrain');
    expect(v.sentence).toMatch(/^Retraining recommended: accuracy fell from 0\.720 to 0\.620 \(tolerance 0\.050\) and ROC AUC fell from 0\.850 to 0\.826 \(tolerance 0\.020\)\.$/);
  });

  it('every row within its tolerance, predictions stable => no action needed', () => {
    const v = modelVerdict({ prediction: predictionDrift(false), label: labelDrift(false), concept: binary({ recall: [0.6, 0.58], accuracy: [0.8, 0.77], rocAuc: [0.85, 0.84] }) });
    expect(v.checks.every((c) => c.passed)).toBe(true);
    expect(v.level).toBe('ok');
    expect(v.sentence).toBe('No action needed: every metric is within its tolerance and the model’s predictions have not drifted.');
    expectRowsAgree(metricRows(v));
  });

  it('only a non-primary metric beyond its tolerance => watch, naming it', () => {
    const v = modelVerdict({ prediction: predictionDrift(false), label: null, concept: binary({ averagePrecision: [0.5, 0.41] }) });
    expect(v.level).toBe('watch');
    expect(v.sentence).toBe('Watch: average precision fell from 0.500 to 0.410 (tolerance 0.050); the primary checks are within their tolerances.');
    expect(metricRows(v).filter((r) => !r.passed).map((r) => r.key)).toEqual(['averagePrecision']);
  });

  it('label drift alone is a non-primary failure: watch', () => {
    const v = modelVerdict({ prediction: predictionDrift(false), label: labelDrift(true), concept: binary({}) });
    expect(v.level).toBe('watch');
    expect(v.sentence).toMatch(/^Watch: the target’s distribution has changed;/);
  });

  it('a tolerance edit flips a row exactly at its boundary, and the verdict with it', () => {
    const concept = binary({ accuracy: [0.72, 0.62] });
    const at = (accuracy: number) => modelVerdict({ prediction: null, label: null, concept }, { accuracy });
    const row = (accuracy: number) => metricRows(at(accuracy)).find((r) => r.key === 'accuracy')!;
    expect(row(0.1).passed).toBe(true);
    expect(row(0.1).tolerance).toBe(0.1);
    expect(at(0.1).level).toBe('ok');
    expect(row(0.099).passed).toBe(false);
    expect(at(0.099).level).toBe('watch');
    expect(at(0.099).sentence).toBe('Watch: accuracy fell from 0.720 to 0.620 (tolerance 0.099); the primary checks are within their tolerances.');
    // 0.8 − 0.7 is 0.10000000000000009 in floating point: the row still reads (and passes) as a fall of 0.100.
    const float = modelVerdict({ prediction: null, label: null, concept: binary({ balancedAccuracy: [0.8, 0.7] }) }, { balancedAccuracy: 0.1 });
    expect(float.level).toBe('ok');
    const tighter = modelVerdict({ prediction: null, label: null, concept: binary({ balancedAccuracy: [0.8, 0.7] }) }, { balancedAccuracy: 0.0999 });
    expect(tighter.level).toBe('retrain');
    expect(tighter.tolerances.balancedAccuracy).toBe(0.0999);
    expect(tighter.tolerances.rocAuc).toBe(0.02);
  });

  it('regression: RMSE has a relative tolerance (+10% by default), R² an absolute one', () => {
    const reg = (rmse: [number, number], mae: [number, number], r2: [number, number]): ConceptMetric[] => [
      { key: 'rmse', label: 'RMSE', test: rmse[0], current: rmse[1], change: rmse[0] - rmse[1] },
      { key: 'mae', label: 'MAE', test: mae[0], current: mae[1], change: mae[0] - mae[1] },
      { key: 'r2', label: 'R²', test: r2[0], current: r2[1], change: r2[1] - r2[0] },
    ];
    const atBoundary = modelVerdict({ prediction: null, label: null, concept: reg([2, 2.2], [1.5, 1.5], [0.8, 0.78]) });
    expect(atBoundary.level).toBe('ok');
    const rmse = metricRows(atBoundary).find((r) => r.key === 'rmse')!;
    expect(rmse.mode).toBe('relative');
    expect(rmse.primary).toBe(true);
    expect(rmse.worsening).toBeCloseTo(0.1, 12);

    const worse = modelVerdict({ prediction: null, label: null, concept: reg([2, 2.25], [1.5, 1.5], [0.8, 0.78]) });
    expect(worse.level).toBe('retrain');
    expect(worse.sentence).toBe('Retraining recommended: RMSE rose from 2.000 to 2.250 (+12.5%; tolerance +10.0%).');
    expectRowsAgree(metricRows(worse));
    expect(modelVerdict({ prediction: null, label: null, concept: reg([2, 2.25], [1.5, 1.5], [0.8, 0.78]) }, { rmse: 0.125 }).level).toBe('ok');
    // A falling RMSE is better, never a failure; MAE alone is not primary.
    expect(modelVerdict({ prediction: null, label: null, concept: reg([2, 1.5], [1.5, 1.5], [0.8, 0.85]) }).level).toBe('ok');
    const mae = modelVerdict({ prediction: null, label: null, concept: reg([2, 2.1], [1.5, 1.8], [0.8, 0.79]) });
    expect(mae.level).toBe('watch');
    expect(mae.sentence).toMatch(/^Watch: MAE rose from 1\.500 to 1\.800 \(\+20\.0%; tolerance \+10\.0%\)/);
    // R² falling by more than 0.05 is primary.
    expect(modelVerdict({ prediction: null, label: null, concept: reg([2, 2], [1.5, 1.5], [0.8, 0.7]) }).level).toBe('retrain');
  });

  it('multiclass: balanced accuracy and accuracy are primary, macro F1 and ROC AUC are not', () => {
    const concept = [metric('balancedAccuracy', 'balanced accuracy', 0.7, 0.69), metric('accuracy', 'accuracy', 0.75, 0.74), metric('macroF1', 'macro F1', 0.6, 0.5), metric('rocAuc', 'ROC AUC', 0.9, 0.8)];
    const v = modelVerdict({ prediction: null, label: null, concept });
    expect(metricRows(v).map((r) => [r.key, r.primary])).toEqual([['balancedAccuracy', true], ['accuracy', true], ['macroF1', false], ['rocAuc', false]]);
    expect(v.level).toBe('watch');
    expect(v.sentence).toMatch(/^Watch: ROC AUC fell from 0\.900 to 0\.800 \(tolerance 0\.020\) and macro F1 fell from 0\.600 to 0\.500 \(tolerance 0\.050\); the primary checks are within their tolerances\.$/);
  });

  it('without labels: drifted predictions => check performance once labels are known; stable => no action', () => {
    const drifted = modelVerdict({ prediction: predictionDrift(true), label: null, concept: null });
    expect(drifted.level).toBe('check-labels');
    expect(drifted.labelled).toBe(false);
    expect(drifted.sentence).toBe('Check performance once labels are known: the model’s predictions have drifted, and the new data has no target values to measure its metrics with.');
    expect(drifted.checks.map((c) => c.key)).toEqual(['prediction']);
    const stable = modelVerdict({ prediction: predictionDrift(false), label: null, concept: null });
    expect(stable.level).toBe('ok');
    expect(stable.sentence).toMatch(/^No action needed: the model’s predictions have not drifted/);
    // Target present but no metric could be computed: the same as unlabelled.
    expect(modelVerdict({ prediction: predictionDrift(true), label: null, concept: [] }).level).toBe('check-labels');
  });

  it('a report stored before verdicts (metrics without `primary`) gets the task’s primary rows', () => {
    const old = binary({ balancedAccuracy: [0.75, 0.6] }).filter((m) => m.key !== 'f1');
    const v = modelVerdict({ prediction: null, label: null, concept: old });
    expect(metricRows(v).find((r) => r.key === 'balancedAccuracy')!.primary).toBe(true);
    expect(v.level).toBe('retrain');
  });

  it('stored tolerances: known metrics with finite values ≥ 0 only; the defaults in words', () => {
    expect(normalizeTolerances({ accuracy: 0.1, rmse: 0.2, bogus: 0.1, rocAuc: -1, f1: Number.NaN, recall: '0.1' })).toEqual({ accuracy: 0.1, rmse: 0.2 });
    expect(normalizeTolerances(null)).toEqual({});
    // The drift cell's config keeps them through a reload; an older config without them gets none.
    expect(CELL_KINDS.drift.normalize({ modelTolerances: { accuracy: 0.1, junk: 1 } }).modelTolerances).toEqual({ accuracy: 0.1 });
    expect(CELL_KINDS.drift.normalize({ shareThreshold: 0.3 }).modelTolerances).toEqual({});
    expect(normalizeTolerances({ __proto__: { accuracy: 1 } })).toEqual({});
    expect(defaultTolerancesText()).toBe(
      'a fall of 0.050 for recall, balanced accuracy, average precision, accuracy, F1, macro F1, and R²; 0.020 for ROC AUC; a rise of 10.0% for RMSE and MAE',
    );
  });
});
