/**
 * A linear model fitted to convergence, as scikit-learn fits
 * LogisticRegression / LinearRegression / Ridge: the full-batch solver on the
 * run's backend, one "epoch" record per iteration so the curves show the
 * objective falling to its optimum, and a report of iterations, the final
 * gradient and whether the tolerance was reached.
 */
import { solveLinear } from './solver';
import { trainSample, disposeSplit, type DeviceSplit } from './loop';
import { epochMetric } from './predict';
import type { Network } from './model';
import type { EpochRecord, MainMetric, SolverReport, TrainConfig } from '../core/training';

export interface ExactOptions {
  config: TrainConfig;
  mainMetric: MainMetric;
  /** Regression targets are standardized: RMSE is reported on the original scale. */
  targetStd: number;
  onEpoch?: (record: EpochRecord) => void;
  onProgress?: (p: { epoch: number; epochs: number; batch: number; batches: number; elapsedMs: number; etaMs: number | null; unit: 'iteration' }) => void;
  /** Polled after every iteration: a string stops the fit (cancel, device lost). */
  stopReason?: () => string | null;
}

export type ExactResult =
  | { status: 'completed'; epochs: EpochRecord[]; solver: SolverReport }
  | { status: 'stopped'; reason: string; epochs: EpochRecord[] }
  | { status: 'diverged'; message: string; epochs: EpochRecord[] };

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The penalty in words, for the run page. */
export function penaltyText(config: TrainConfig): string {
  if (config.task !== 'regression') return Number.isFinite(config.C) ? `L2, C = ${config.C} (as scikit-learn’s LogisticRegression)` : 'none';
  return config.l2 > 0 ? `ridge, l2 = ${config.l2} (on the mean squared error of the standardized target)` : 'none (ordinary least squares)';
}

/** Fits `net` (a linear model) on the whole training split; leaves its parameters at the solution. */
export async function fitExact(net: Network, train: DeviceSplit, validation: DeviceSplit | null, options: ExactOptions): Promise<ExactResult> {
  const { config } = options;
  const kind = net.spec.head === 'sigmoid' ? 'logistic' : net.spec.head === 'softmax' ? 'softmax' : 'least-squares';
  const sample = trainSample(train, config.seed);
  const records: EpochRecord[] = [];
  const started = performance.now();
  let last = started;
  let stopped: string | null = null;
  try {
    const result = await solveLinear(train.x, train.y, train.w ?? null, {
      kind,
      classes: kind === 'softmax' ? net.spec.outputs : undefined,
      C: config.C,
      l2: config.l2,
      tol: config.tol,
      maxIter: config.maxIter,
      onIteration: async (it) => {
        if (!Number.isFinite(it.loss)) return;
        net.setLinear(it.kernel, it.bias);
        const trainScore = await epochMetric(net, sample, options.mainMetric, options.targetStd);
        const valScore = validation && validation.rows > 0 ? await epochMetric(net, validation, options.mainMetric, options.targetStd) : null;
        const now = performance.now();
        const record: EpochRecord = { epoch: it.iteration, loss: it.loss, valLoss: valScore?.loss ?? null, metric: trainScore.metric, valMetric: valScore?.metric ?? null, ms: now - last };
        last = now;
        records.push(record);
        options.onEpoch?.(record);
        options.onProgress?.({ epoch: it.iteration, epochs: config.maxIter, batch: 1, batches: 1, elapsedMs: now - started, etaMs: null, unit: 'iteration' });
        // Let a cancel message reach the worker between iterations.
        await yieldToEvents();
      },
      stop: () => {
        stopped = options.stopReason?.() ?? null;
        return stopped !== null;
      },
    });
    if (stopped !== null) return { status: 'stopped', reason: stopped, epochs: records };
    if (!Number.isFinite(result.loss) || !result.kernel.every(Number.isFinite)) {
      return {
        status: 'diverged',
        message: `The solver’s objective became ${Number.isNaN(result.loss) ? 'NaN' : 'infinite'}. The weights were not saved. Check the features for extreme values, or lower C to strengthen the penalty.`,
        epochs: records,
      };
    }
    net.setLinear(result.kernel, result.bias);
    return {
      status: 'completed',
      epochs: records,
      solver: {
        method: result.method,
        iterations: result.iterations,
        maxIter: config.maxIter,
        tol: config.tol,
        gradNorm: result.gradNorm,
        converged: result.converged,
        loss: result.loss,
        penalty: penaltyText(config),
      },
    };
  } finally {
    disposeSplit(sample);
  }
}
