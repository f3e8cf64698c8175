import { describe, expect, it } from 'vitest';
import {
  fittingSynthetic,
  runDiagnostics,
  stillImproving,
  type DiagnosticsInput,
  type EpochRecord,
} from '../../../../src/lib/core/training';

const epochs = (valLoss: number[], metric: number[] = valLoss.map(() => 0.8), valMetric: number[] = valLoss.map(() => 0.8)): EpochRecord[] =>
  valLoss.map((v, i) => ({ epoch: i + 1, loss: v, valLoss: v, metric: metric[i]!, valMetric: valMetric[i]!, ms: 1 }));

const base = (e: EpochRecord[], patch: Partial<DiagnosticsInput> = {}): DiagnosticsInput => ({
  epochs: e,
  mainMetric: 'auc',
  monitor: 'val_loss',
  stoppedEarly: false,
  stoppedByTime: false,
  maxMinutes: 5,
  imbalance: 'none',
  solver: null,
  ...patch,
});

describe('still improving', () => {
  it('is found when the validation loss keeps falling to the last epoch', () => {
    const s = stillImproving(epochs([0.9, 0.8, 0.7, 0.62, 0.55, 0.5, 0.46]), 'val_loss', 'auc');
    expect(s).toEqual({ name: 'validation loss', from: 0.8, to: 0.46, over: 5 });
    const d = runDiagnostics(base(epochs([0.9, 0.8, 0.7, 0.62, 0.55, 0.5, 0.46])));
    expect(d.map((x) => x.kind)).toEqual(['still-improving']);
    expect(d[0]!.message).toContain('validation loss went from 0.800 to 0.460 over the last 5 epochs');
  });

  it('is not found on a plateau, after the best epoch passed, or when early stopping ended the run', () => {
    expect(stillImproving(epochs([0.5, 0.5, 0.5, 0.5, 0.5, 0.49995]), 'val_loss', 'auc')).toBeNull();
    expect(stillImproving(epochs([0.9, 0.5, 0.6, 0.7, 0.8]), 'val_loss', 'auc')).toBeNull();
    expect(runDiagnostics(base(epochs([0.9, 0.8, 0.7]), { stoppedEarly: true }))).toEqual([]);
  });

  it('watches the validation metric the other way up when early stopping monitors it', () => {
    const e = epochs([0.5, 0.5, 0.5, 0.5], [0.7, 0.7, 0.7, 0.7], [0.70, 0.72, 0.74, 0.76]);
    expect(stillImproving(e, 'val_metric', 'auc')).toMatchObject({ name: 'validation ROC AUC', from: 0.7, to: 0.76, over: 3 });
    expect(stillImproving(e, 'val_loss', 'auc')).toBeNull();
  });
});

describe('fitting the synthetic rows', () => {
  it('names resampling when training AUC rises while validation AUC falls', () => {
    const e = epochs([0.5, 0.5, 0.5, 0.5, 0.5], [0.80, 0.85, 0.9, 0.94, 0.97], [0.80, 0.82, 0.81, 0.79, 0.76]);
    expect(fittingSynthetic(e, 'auc')).toEqual({ trainFrom: 0.85, trainTo: 0.97, valFrom: 0.82, valTo: 0.76 });
    const d = runDiagnostics(base(e, { imbalance: 'smote' }));
    expect(d.find((x) => x.kind === 'fitting-synthetic')!.message).toMatch(/^Fitting the synthetic \(SMOTE\) rows: training ROC AUC rose from 0\.850 to 0\.970 while validation ROC AUC fell from 0\.820 to 0\.760\. .*class weights/);
    // Without resampling the same curves are ordinary overfitting, not this finding.
    expect(runDiagnostics(base(e, { imbalance: 'class-weights' })).some((x) => x.kind === 'fitting-synthetic')).toBe(false);
  });

  it('stays quiet when both rise', () => {
    expect(fittingSynthetic(epochs([0.5, 0.5, 0.5], [0.8, 0.85, 0.9], [0.8, 0.82, 0.84]), 'auc')).toBeNull();
  });
});

describe('solver and time findings', () => {
  it('says plainly when the solver did not converge, and nothing about epochs', () => {
    const solver = { method: 'newton' as const, iterations: 100, maxIter: 100, tol: 1e-4, gradNorm: 3.2e-3, converged: false, loss: 0.1, penalty: 'none' };
    const d = runDiagnostics(base(epochs([0.9, 0.8, 0.7]), { solver }));
    expect(d.map((x) => x.kind)).toEqual(['not-converged']);
    expect(d[0]!.message).toContain('stopped at its 100-iteration cap with a largest gradient entry of 3.2e-3, above the tolerance 1e-4');
    expect(runDiagnostics(base(epochs([0.9, 0.8, 0.7]), { solver: { ...solver, converged: true } }))).toEqual([]);
  });

  it('reports a run the time budget cut short', () => {
    const d = runDiagnostics(base(epochs([0.5, 0.4, 0.6]), { stoppedByTime: true, maxMinutes: 2 }));
    expect(d.map((x) => x.kind)).toEqual(['time-budget']);
    expect(d[0]!.message).toContain('The time budget (2 min) ended the run after 3 epochs');
  });
});
