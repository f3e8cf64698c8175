/**
 * The training run record, built in one place: a new run as it is stored
 * when training starts, the completed run, the patch that ends a run without
 * a model, and a run ended by a status alone (interrupted, or failed when
 * storage refuses more). Storage's RunRecord is this shape; the factories
 * spell every field so a new field is added here once.
 */
import type { TrainConfig } from './train-config';
import type { BackendReport, EnvironmentInfo, EpochRecord, Evaluation, MainMetric, RunStatus, SplitSizes, TrainOutcome, TrainResult } from './training';
import type { PreprocessSpec } from './preprocess';
import type { TargetSpec } from './target';

export interface NewRunInput {
  id: string;
  notebookId: string | null;
  cellId: string | null;
  config: TrainConfig;
  fingerprint: string;
  reproducesRunId?: string | null;
  sweepId?: string | null;
  parentRunId?: string | null;
  /** When it starts (createdAt and the first heartbeat). */
  at: number;
}

/** A run as stored when training starts: 'running', nothing measured yet. */
export function newRunRecord(input: NewRunInput) {
  return {
    id: input.id,
    notebookId: input.notebookId,
    cellId: input.cellId,
    datasetHash: input.config.datasetHash,
    config: input.config,
    fingerprint: input.fingerprint,
    status: 'running' as RunStatus,
    statusMessage: null as string | null,
    notes: '',
    tags: [] as string[],
    reproducesRunId: input.reproducesRunId ?? null,
    sweepId: input.sweepId ?? null,
    parentRunId: input.parentRunId ?? null,
    createdAt: input.at,
    heartbeatAt: input.at,
    endedAt: null as number | null,
    durationMs: null as number | null,
    backend: null as BackendReport | null,
    environment: null as EnvironmentInfo | null,
    sizes: null as SplitSizes | null,
    mainMetric: null as MainMetric | null,
    epochs: [] as EpochRecord[],
    bestEpoch: null as number | null,
    stoppedEarly: false,
    preprocessing: null as PreprocessSpec | null,
    target: null as TargetSpec | null,
    evaluation: null as Evaluation | null,
    modelVersionId: null as string | null,
  };
}

/** `run` completed with `result` at `at` (its model version id is set when the version is stored). */
export function completedRun<R extends object>(run: R, result: TrainResult, at: number) {
  return {
    ...run,
    status: 'completed' as const,
    endedAt: at,
    heartbeatAt: at,
    durationMs: result.durationMs,
    backend: result.backend,
    environment: result.environment,
    sizes: result.sizes,
    mainMetric: result.mainMetric,
    epochs: result.epochs,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    preprocessing: result.preprocessing,
    target: result.target,
    evaluation: result.evaluation,
    threshold: result.threshold,
    imbalanceNote: result.imbalanceNote,
    testScores: result.testScores,
    solver: result.solver,
    diagnostics: result.diagnostics,
  };
}

/** What a failed or cancelled training outcome writes onto its run. */
export function endedPatch(outcome: Exclude<TrainOutcome, { status: 'completed' }>) {
  return {
    status: outcome.status,
    statusMessage: outcome.message,
    epochs: outcome.epochs,
    backend: outcome.backend,
    environment: outcome.environment,
    sizes: outcome.sizes,
    durationMs: outcome.durationMs,
  };
}

/** `run` ended by its status alone (no results): small, so it lands when little else can be written. */
export function endedRun<R extends object>(run: R, status: 'failed' | 'cancelled' | 'interrupted', message: string, at: number) {
  return { ...run, status, statusMessage: message, endedAt: at };
}
