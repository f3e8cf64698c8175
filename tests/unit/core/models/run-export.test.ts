import { describe, expect, it } from 'vitest';
import { RUN_EXPORT_FORMAT, runExport, runExportFileName, runExportJson, type RunExportInput } from '../../../../src/lib/core/models';
import { classificationMetrics } from '../../../../src/lib/core/metrics';
import { defaultTrainConfig } from '../../../../src/lib/core/training';
import { FAIRNESS, IMPORTANCE } from './analysis-fixtures';

const AT = Date.UTC(2026, 11, 5, 12, 30, 0);

/**
 * A binary run on four test rows: true [No, No, Yes, Yes], p(Yes) [0.2, 0.6, 0.7, 0.4] at 0.5
 * → predicted [No, Yes, Yes, No]: accuracy 2/4 = 0.5.
 */
function input(patch: Partial<RunExportInput> = {}): RunExportInput {
  const config = defaultTrainConfig('ab'.repeat(32), 'label', 'binary', ['x', 'group']);
  const { curves: _curves, ...evaluation } = classificationMetrics(Uint32Array.from([0, 0, 1, 1]), Float64Array.from([0.8, 0.2, 0.4, 0.6, 0.3, 0.7, 0.6, 0.4]), ['No', 'Yes'], { threshold: 0.5 });
  return {
    id: 'run-1',
    name: 'logreg-3',
    datasetHash: config.datasetHash,
    datasetName: 'bias.csv',
    datasetVersion: 1,
    modelVersionId: 'cd'.repeat(32),
    modelName: 'label model',
    modelVersion: 4,
    notebookId: 'nb-1',
    fingerprint: 'fp',
    status: 'completed',
    statusMessage: null,
    createdAt: Date.UTC(2026, 11, 5, 12, 0, 0),
    endedAt: Date.UTC(2026, 11, 5, 12, 1, 0),
    durationMs: 60_000,
    config,
    mainMetric: 'auc',
    evaluation,
    threshold: null,
    epochs: [
      { epoch: 1, loss: 0.69, valLoss: 0.7, metric: 0.6, valMetric: 0.58, ms: 12 },
      // A NaN loss (the run stopped on it) and no validation split.
      { epoch: 2, loss: NaN, valLoss: null, metric: Infinity, valMetric: null, ms: 11 },
    ],
    bestEpoch: 1,
    stoppedEarly: false,
    notes: 'first try',
    tags: ['bias'],
    ...patch,
  };
}

describe('run export (JSON)', () => {
  it('writes the run, its names, metrics, epochs and threshold, and reads back as the same values', () => {
    const text = runExportJson(input(), AT);
    const back = JSON.parse(text) as Record<string, unknown>;
    expect(back).toEqual(runExport(input(), AT));
    const doc = runExport(input(), AT);
    expect(doc.format).toBe(RUN_EXPORT_FORMAT);
    expect(doc.exportedAt).toBe('2026-12-05T12:30:00.000Z');
    expect(doc.run.createdAt).toBe('2026-12-05T12:00:00.000Z');
    expect(doc.run.name).toBe('logreg-3');
    expect(doc.run.dataset).toEqual({ hash: 'ab'.repeat(32), name: 'bias.csv', version: 1 });
    expect(doc.run.modelVersion).toEqual({ id: 'cd'.repeat(32), name: 'label model', version: 4 });
    expect(doc.run.config.features).toEqual(['x', 'group']);
    // By hand: 2 of 4 right.
    expect(doc.metrics.accuracy).toBe(0.5);
    expect(doc.threshold).toBe(0.5);
    expect(doc.epochs[0]).toEqual({ epoch: 1, loss: 0.69, valLoss: 0.7, metric: 0.6, valMetric: 0.58, ms: 12 });
    expect(doc.run.tags).toEqual(['bias']);
  });

  it('writes NaN and infinite numbers as null, so the file is valid JSON', () => {
    const text = runExportJson(input({ fairness: FAIRNESS }), AT);
    expect(text).not.toMatch(/NaN|Infinity/);
    const back = JSON.parse(text) as { epochs: unknown[]; fairness: typeof FAIRNESS };
    expect(back.epochs[1]).toEqual({ epoch: 2, loss: null, valLoss: null, metric: null, valMetric: null, ms: 11 });
    // The too-small age group has no favourable test row: its recall is NaN in memory, null in the file.
    expect(back.fairness.attributes[1]!.groups[1]!.recall).toBeNull();
    expect(back.fairness.attributes[1]!.groups[1]!.size).toBe(10);
  });

  it('carries fairness and importance only when they were run, with their numbers', () => {
    expect(runExport(input(), AT)).not.toHaveProperty('fairness');
    expect(runExport(input(), AT)).not.toHaveProperty('importance');
    expect(runExport(input({ fairness: null, importance: null }), AT)).not.toHaveProperty('fairness');
    const back = JSON.parse(runExportJson(input({ fairness: FAIRNESS, importance: IMPORTANCE }), AT)) as { fairness: typeof FAIRNESS; importance: typeof IMPORTANCE };
    const b = back.fairness.attributes[0]!.gaps.find((g) => g.group === 'B' && g.metric === 'demographic-parity')!;
    expect(b.value).toBe(0.45);
    expect(b.interval).toEqual({ low: 0.33, high: 0.56 });
    expect(b.flagged).toBe(true);
    expect(back.importance.features.map((f) => f.feature)).toEqual(['x2', 'x1', 'colour | tint', 'noise']);
    expect(back.importance.features[3]!.std).toBeNull();
    expect(back.importance.features[3]!.drops).toEqual([-0.001, null, -0.001, -0.001, -0.001]);
  });

  it('has no model version for a run without one, and no threshold for a regression run', () => {
    const config = defaultTrainConfig('ab'.repeat(32), 'y', 'regression', ['x']);
    const doc = runExport(input({ modelVersionId: null, modelName: null, modelVersion: null, config, evaluation: { task: 'regression', n: 4, mae: 1.5, mse: 4, rmse: 2, r2: NaN, notes: [] } }), AT);
    expect(doc.run.modelVersion).toBeNull();
    expect(doc.threshold).toBeNull();
    expect(doc.metrics).toEqual({ mae: 1.5, rmse: 2, r2: null });
  });

  it('names the file after the run, safe for any file system', () => {
    expect(runExportFileName('logreg-balanced-3')).toBe('logreg-balanced-3.json');
    expect(runExportFileName('a/b:c?*"<x>|')).toBe('a_b_c_x_.json');
    expect(runExportFileName(' ..hidden. ')).toBe('hidden.json');
    expect(runExportFileName('...')).toBe('run.json');
    expect(runExportFileName('x'.repeat(300))).toBe(`${'x'.repeat(100)}.json`);
  });
});
