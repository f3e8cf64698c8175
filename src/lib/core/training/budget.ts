/**
 * The training budget of a mini-batch run, in optimizer steps and time
 * rather than a fixed number of epochs: ten epochs of batch 512 are 10
 * optimizer steps in all on a 240-row table (far from trained) and 4,400 on
 * a 224,000-row one. The automatic budget picks a batch size from the row
 * count and enough epochs for a few thousand steps; early stopping on the
 * validation split then ends the run where it stops improving, and the time
 * budget caps a run on a slow machine.
 */
import { isMinibatch, type TrainConfig } from './train-config';

/** Optimizer steps the automatic budget aims at (before early stopping ends the run). */
export const TARGET_STEPS = 20_000;
export const MIN_EPOCHS = 20;
export const MAX_EPOCHS = 500;

export interface Budget {
  batchSize: number;
  epochs: number;
  stepsPerEpoch: number;
  /** Steps if no early stop comes first. */
  steps: number;
  /** Whether the batch size and epochs were chosen from the data. */
  auto: boolean;
}

/** The batch size the automatic budget uses for this many training rows. */
export function autoBatchSize(trainRows: number): number {
  if (trainRows <= 2_000) return 32;
  if (trainRows <= 20_000) return 64;
  if (trainRows <= 100_000) return 128;
  return 256;
}

/** Batch size and epochs of a run on `trainRows` training rows (its own settings when the automatic budget is off). */
export function budgetOf(config: Pick<TrainConfig, 'autoBudget' | 'epochs' | 'batchSize'>, trainRows: number): Budget {
  const rows = Math.max(1, trainRows);
  if (!config.autoBudget) {
    const stepsPerEpoch = Math.ceil(rows / config.batchSize);
    return { batchSize: config.batchSize, epochs: config.epochs, stepsPerEpoch, steps: stepsPerEpoch * config.epochs, auto: false };
  }
  const batchSize = Math.min(autoBatchSize(rows), rows);
  const stepsPerEpoch = Math.ceil(rows / batchSize);
  const epochs = Math.min(MAX_EPOCHS, Math.max(MIN_EPOCHS, Math.ceil(TARGET_STEPS / stepsPerEpoch)));
  return { batchSize, epochs, stepsPerEpoch, steps: stepsPerEpoch * epochs, auto: true };
}

/** The number of weights and biases of a dense network. */
export function parameterCount(inputs: number, hidden: readonly number[], outputs: number): number {
  const sizes = [inputs, ...hidden, outputs];
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += sizes[i - 1]! * sizes[i]! + sizes[i]!;
  return n;
}

/**
 * A rough time per optimizer step on this kind of machine's fastest CPU
 * backend (wasm): a fixed dispatch cost plus forward and backward
 * arithmetic (about 6 flops per weight and row) at ~2 GFLOP/s. Measured
 * against the training benchmark's MLP and linear runs; a real GPU is faster.
 */
export function estimateStepMs(parameters: number, batchSize: number): number {
  return 1.2 + (6 * parameters * batchSize) / 2e6;
}

/** What the form shows before training: steps and about how long, for mini-batch runs. */
export interface BudgetEstimate extends Budget {
  /** About how long the steps take, capped by the time budget. */
  ms: number;
  /** The time budget ends the run before its last epoch (on this estimate). */
  capped: boolean;
}

/**
 * The budget and a time estimate of a mini-batch run, or null for a full-batch linear fit.
 * @param inputs model inputs after preprocessing (about: one-hot columns count one per kept category)
 * @param outputs 1 for binary and regression, K for K classes
 */
export function estimateBudget(config: TrainConfig, trainRows: number, inputs: number, outputs: number): BudgetEstimate | null {
  if (!isMinibatch(config)) return null;
  const budget = budgetOf(config, trainRows);
  const hidden = config.model === 'mlp' ? config.hiddenUnits : [];
  const stepMs = estimateStepMs(parameterCount(inputs, hidden, outputs), budget.batchSize);
  // Each epoch also scores the validation split and a training sample: about a tenth of an epoch more.
  const full = budget.steps * stepMs * 1.1;
  const cap = config.maxMinutes * 60_000;
  return { ...budget, ms: Math.min(full, cap), capped: full > cap };
}

/** "about 40 s", "about 3 min" for the form. */
export function aboutDuration(ms: number): string {
  if (ms < 1_000) return 'under a second';
  if (ms < 60_000) return `about ${Math.max(1, Math.round(ms / 1_000))} s`;
  if (ms < 3_600_000) return `about ${Math.round(ms / 60_000)} min`;
  return `about ${(ms / 3_600_000).toFixed(1)} h`;
}

/** About how many model inputs preprocessing makes of the features: one per number, the kept categories plus “other” per category column. */
export function approxInputs(columns: readonly { schema: { name: string; type: string }; unique: number }[], features: readonly string[], topK: number): number {
  const chosen = new Set(features);
  let n = 0;
  for (const c of columns) {
    if (!chosen.has(c.schema.name)) continue;
    if (c.schema.type === 'categorical' || c.schema.type === 'text') n += Math.min(c.unique, topK) + 1;
    else if (c.schema.type === 'datetime') n += 4;
    else n += 1;
  }
  return Math.max(1, n);
}
