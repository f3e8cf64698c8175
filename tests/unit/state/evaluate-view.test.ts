import { describe, expect, it } from 'vitest';
import { differencesFigure, parseRefValue, refOptions, refValue, rehearsalRows, withInterval } from '../../../src/lib/state/evaluate-view';
import { assignRollout, compareModels, rehearse, type EvaluateInput } from '../../../src/lib/core/evaluate';
import { rocAucScore } from '../../../src/lib/core/metrics';

const labels = [0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0];
const a = [0.2, 0.6, 0.4, 0.3, 0.7, 0.55, 0.8, 0.45, 0.1, 0.35, 0.65, 0.5];
const b = [0.1, 0.9, 0.8, 0.2, 0.85, 0.3, 0.95, 0.7, 0.05, 0.15, 0.75, 0.4];
const input: EvaluateInput = { task: 'binary', labels, seed: 3, resamples: 50, models: [{ name: 'v1', scores: a }, { name: 'v2', scores: b }] };

describe('evaluate view', () => {
  it('offers every alias (with its version), every version and each train cell, and reads a choice back', () => {
    const o = refOptions(
      [{ model: { name: 'heart', aliases: { challenger: 'id2', champion: 'id1' } }, versions: [{ id: 'id1', version: 1 }, { id: 'id2', version: 2 }] }],
      [{ cellId: 'c1', position: 2, current: 'heart v2' }],
    );
    expect(o.aliases.map((x) => x.label)).toEqual(['heart@challenger (v2)', 'heart@champion (v1)']);
    expect(o.versions.map((x) => x.label)).toEqual(['heart v2', 'heart v1']);
    expect(o.cells.map((x) => x.label)).toEqual(['newest model of train cell 2 (heart v2)']);
    expect(parseRefValue(o.aliases[1]!.value)).toEqual({ kind: 'alias', modelName: 'heart', alias: 'champion' });
    expect(parseRefValue(refValue({ kind: 'cell', cellId: 'c1' }))).toEqual({ kind: 'cell', cellId: 'c1' });
    expect(parseRefValue('')).toBeNull();
  });

  it('puts each rehearsal in a row: rows served by each model and ROC AUC per arm, the shadow challenger scored on every row', () => {
    const rehearsals = [rehearse(input, { kind: 'shadow' }, 3), rehearse(input, { kind: 'ab', share: 0.5 }, 3)];
    const rows = rehearsalRows(rehearsals, 'rocAuc');
    expect(rows[0]).toMatchObject({ strategy: 'Shadow (champion serves, challenger scored)', servedByChampion: 12, servedByChallenger: 0 });
    expect(rows[0]!.challengerArm).toBeCloseTo(rocAucScore(labels, b), 12);
    expect(rows[0]!.served).toBeCloseTo(rocAucScore(labels, a), 12);
    const arms = assignRollout(12, { kind: 'ab', share: 0.5 }, 3);
    const toB = arms.reduce((s, v) => s + v, 0);
    expect(rows[1]).toMatchObject({ strategy: 'A/B (50% to the challenger)', servedByChampion: 12 - toB, servedByChallenger: toB });
  });

  it('draws each difference with its interval as error bars around it', () => {
    const e = compareModels(input);
    const fig = differencesFigure(e.comparisons);
    const trace = fig.data[0] as { x: number[]; error_x: { array: number[]; arrayminus: number[] } };
    const auc = e.comparisons[0]!.differences[0]!;
    expect(trace.x[0]).toBe(auc.difference);
    expect(trace.x[0]! + trace.error_x.array[0]!).toBeCloseTo(auc.interval.high, 12);
    expect(trace.x[0]! - trace.error_x.arrayminus[0]!).toBeCloseTo(auc.interval.low, 12);
    expect(withInterval(0.81234, { low: 0.8, high: 0.83 })).toBe('0.8123 [0.8000, 0.8300]');
    expect(withInterval(0.5, { low: NaN, high: NaN })).toBe('0.5000 [—]');
  });
});
