/**
 * What a finished run's own numbers say that a user should know, in plain
 * words with what to do: a curve still going the right way at the last
 * epoch, a solver that hit its iteration cap, a time budget that cut the run
 * short, or training scores climbing on resampled rows while validation falls.
 * Pure: the run's epochs and settings in, sentences out.
 */
import type { EpochRecord, MainMetric, RunDiagnostic, SolverReport } from './training';
import type { Imbalance, Monitor } from './train-config';

/** The epochs the "still improving" test looks back over. */
export const IMPROVING_WINDOW = 5;
/** A relative improvement over the window below this is a plateau, not progress. */
export const IMPROVING_MIN_GAIN = 0.002;
/** A change of the main metric smaller than this (absolute) is noise for the synthetic-rows test. */
export const SYNTHETIC_MIN_CHANGE = 0.005;

const f3 = (v: number) => v.toFixed(3);

interface Watched {
  name: string;
  values: number[];
  lowerIsBetter: boolean;
}

/** The series early stopping watches (validation loss or main metric), else the training loss when there is no validation split. */
function watchedSeries(epochs: readonly EpochRecord[], monitor: Monitor, metric: MainMetric): Watched | null {
  const hasVal = epochs.length > 0 && epochs.every((e) => e.valLoss !== null && Number.isFinite(e.valLoss));
  if (!hasVal) return { name: 'training loss', values: epochs.map((e) => e.loss), lowerIsBetter: true };
  if (monitor === 'val_metric' && epochs.every((e) => e.valMetric !== null && Number.isFinite(e.valMetric))) {
    const name = metric === 'auc' ? 'validation ROC AUC' : metric === 'accuracy' ? 'validation accuracy' : 'validation RMSE';
    return { name, values: epochs.map((e) => e.valMetric!), lowerIsBetter: metric === 'rmse' };
  }
  return { name: 'validation loss', values: epochs.map((e) => e.valLoss!), lowerIsBetter: true };
}

/**
 * Whether the watched value was still improving when the run ended: its best
 * value is in the last two epochs and it gained at least IMPROVING_MIN_GAIN
 * (relative) over the last IMPROVING_WINDOW epochs. Null when it was not.
 */
export function stillImproving(epochs: readonly EpochRecord[], monitor: Monitor, metric: MainMetric): { name: string; from: number; to: number; over: number } | null {
  if (epochs.length < 2) return null;
  const w = watchedSeries(epochs, monitor, metric);
  if (!w || !w.values.every(Number.isFinite)) return null;
  const v = w.values;
  let best = 0;
  for (let i = 1; i < v.length; i++) if (w.lowerIsBetter ? v[i]! < v[best]! : v[i]! > v[best]!) best = i;
  if (best < v.length - 2) return null;
  const back = Math.min(IMPROVING_WINDOW, v.length - 1);
  const from = v[v.length - 1 - back]!;
  const to = v[v.length - 1]!;
  const gain = w.lowerIsBetter ? from - to : to - from;
  if (!(gain > IMPROVING_MIN_GAIN * Math.max(Math.abs(from), 1e-12))) return null;
  return { name: w.name, from, to, over: back };
}

/**
 * Resampling makes the training split easier than the real one: when the
 * main metric on the training rows rose after the best validation epoch while
 * the validation metric fell, the model is fitting the synthetic or repeated rows.
 */
export function fittingSynthetic(epochs: readonly EpochRecord[], metric: MainMetric): { trainFrom: number; trainTo: number; valFrom: number; valTo: number } | null {
  if (epochs.length < 3 || !epochs.every((e) => e.valMetric !== null && Number.isFinite(e.valMetric) && Number.isFinite(e.metric))) return null;
  const higher = metric !== 'rmse';
  const better = (a: number, b: number) => (higher ? a > b : a < b);
  let best = 0;
  for (let i = 1; i < epochs.length; i++) if (better(epochs[i]!.valMetric!, epochs[best]!.valMetric!)) best = i;
  const last = epochs[epochs.length - 1]!;
  const at = epochs[best]!;
  const trainGain = higher ? last.metric - at.metric : at.metric - last.metric;
  const valLoss = higher ? at.valMetric! - last.valMetric! : last.valMetric! - at.valMetric!;
  if (best === epochs.length - 1 || trainGain < SYNTHETIC_MIN_CHANGE || valLoss < SYNTHETIC_MIN_CHANGE) return null;
  return { trainFrom: at.metric, trainTo: last.metric, valFrom: at.valMetric!, valTo: last.valMetric! };
}

export interface DiagnosticsInput {
  epochs: readonly EpochRecord[];
  mainMetric: MainMetric;
  monitor: Monitor;
  /** Mini-batch runs: early stopping ended the run. */
  stoppedEarly: boolean;
  /** Mini-batch runs: the time budget ended the run. */
  stoppedByTime: boolean;
  maxMinutes: number;
  imbalance: Imbalance;
  /** Full-batch linear fits. */
  solver: SolverReport | null;
}

const METRIC_NAMES: Record<MainMetric, string> = { auc: 'ROC AUC', accuracy: 'accuracy', rmse: 'RMSE' };

/** Every finding about a finished run, most important first. */
export function runDiagnostics(input: DiagnosticsInput): RunDiagnostic[] {
  const out: RunDiagnostic[] = [];
  const { solver } = input;
  if (solver && !solver.converged) {
    out.push({
      kind: 'not-converged',
      message:
        `Not converged: the solver stopped at its ${solver.maxIter}-iteration cap with a largest gradient entry of ${solver.gradNorm.toExponential(1)}, ` +
        `above the tolerance ${solver.tol.toExponential(0)}. Raise Max iterations; if the classes are perfectly separable, a smaller C (a stronger penalty) keeps the weights finite.`,
    });
  }
  if (!solver) {
    const going = input.stoppedEarly ? null : stillImproving(input.epochs, input.monitor, input.mainMetric);
    if (going) {
      out.push({
        kind: 'still-improving',
        message:
          `Still improving: ${going.name} went from ${f3(going.from)} to ${f3(going.to)} over the last ${going.over} epochs and was at its best at the end, ` +
          `so the model has not finished learning. Continue training to give it more epochs from where it stopped.`,
      });
    }
    if (input.stoppedByTime) {
      out.push({
        kind: 'time-budget',
        message: `The time budget (${input.maxMinutes} min) ended the run after ${input.epochs.length} epochs, before its planned last epoch. Raise Time budget, or continue training.`,
      });
    }
    if (input.imbalance === 'smote' || input.imbalance === 'oversample') {
      const s = fittingSynthetic(input.epochs, input.mainMetric);
      if (s) {
        const name = METRIC_NAMES[input.mainMetric];
        const rows = input.imbalance === 'smote' ? 'synthetic (SMOTE) rows' : 'repeated minority rows';
        out.push({
          kind: 'fitting-synthetic',
          message:
            `Fitting the ${rows}: training ${name} rose from ${f3(s.trainFrom)} to ${f3(s.trainTo)} while validation ${name} fell from ${f3(s.valFrom)} to ${f3(s.valTo)}. ` +
            `The resampled training split is easier than real data. Try class weights instead, or fewer synthetic rows (undersampling, or a smaller model).`,
        });
      }
    }
  }
  return out;
}
