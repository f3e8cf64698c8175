/**
 * The training run record, built in one place: a new run as it is stored
 * when training starts, the completed run, the patch that ends a run without
 * a model, and a run ended by a status alone (interrupted, or failed when
 * storage refuses more). Storage's RunRecord is this shape; the factories
 * spell every field so a new field is added here once. Also a run's
 * readable name ("logreg-balanced-3"): given when it is stored, renamable,
 * and derived by the same rule for runs stored before names existed.
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
  /** The notebook cell fingerprint of the train cell that started it. */
  cellFingerprint?: string | null;
  /** The drift report whose "Retrain with this data" set it up. */
  retrainedFrom?: string | null;
  /** Its readable name; storage gives one (see nextRunName) when null. */
  name?: string | null;
  /** When it starts (createdAt and the first heartbeat). */
  at: number;
}

/** A run as stored when training starts: 'running', nothing measured yet. */
export function newRunRecord(input: NewRunInput) {
  return {
    id: input.id,
    notebookId: input.notebookId,
    cellId: input.cellId,
    name: input.name ?? null,
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
    cellFingerprint: input.cellFingerprint ?? null,
    retrainedFrom: input.retrainedFrom ?? null,
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

// ---------------------------------------------------------------------------
// Run names

/** Longest name a run can be given. */
export const RUN_NAME_MAX = 60;

/** What a run's name is derived from (a stored run fits it). */
export interface NamedRun {
  id: string;
  name?: string | null;
  notebookId: string | null;
  datasetHash: string;
  createdAt: number;
  config: Pick<TrainConfig, 'model' | 'task' | 'imbalance'>;
}

const IMBALANCE_WORDS: Record<string, string> = { 'class-weights': 'balanced', oversample: 'oversample', undersample: 'undersample', smote: 'smote' };

/** "logreg", "linreg", "mlp", then the imbalance strategy when there is one: "logreg-balanced". */
export function runNamePrefix(config: Pick<TrainConfig, 'model' | 'task' | 'imbalance'>): string {
  const model = config.model === 'mlp' ? 'mlp' : config.task === 'regression' ? 'linreg' : 'logreg';
  const strategy = config.task === 'regression' ? undefined : IMBALANCE_WORDS[config.imbalance];
  return strategy ? `${model}-${strategy}` : model;
}

/** The first 8 characters of a run's id, shown beside its name. */
export function shortRunId(id: string): string {
  return id.slice(0, 8);
}

/** A run's name as shown: its own, else its prefix (lists fill in the numbered default, see withRunNames). */
export function runName(run: Pick<NamedRun, 'name' | 'config'>): string {
  return run.name || runNamePrefix(run.config);
}

/** "logreg-balanced-3 · 1a2b3c4d": the name with the short id beside it, for plain-text labels. */
export function runTitle(run: Pick<NamedRun, 'id' | 'name' | 'config'>): string {
  return `${runName(run)} · ${shortRunId(run.id)}`;
}

/** Runs are counted per notebook, or per dataset version for runs outside any notebook. */
function scopeOf(run: Pick<NamedRun, 'notebookId' | 'datasetHash'>): string {
  return run.notebookId !== null ? `notebook:${run.notebookId}` : `dataset:${run.datasetHash}`;
}

/**
 * The runs with a name each: a stored name is kept; a run stored before names
 * existed gets `<prefix>-<n>`, n counting the runs of its notebook (or dataset)
 * with that prefix up to it, oldest first. Named runs are returned as they are.
 */
export function withRunNames<R extends NamedRun>(runs: readonly R[]): R[] {
  if (runs.every((r) => r.name)) return [...runs];
  const order = [...runs].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const counts = new Map<string, number>();
  const derived = new Map<string, string>();
  for (const run of order) {
    const prefix = runNamePrefix(run.config);
    const key = `${scopeOf(run)}\n${prefix}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (!run.name) derived.set(run.id, `${prefix}-${n}`);
  }
  return runs.map((r) => (r.name ? r : { ...r, name: derived.get(r.id)! }));
}

/**
 * The name a new run gets: `<prefix>-<n>`, n one past the highest number any
 * run of `scope` (the runs of its notebook, or dataset, already stored) has
 * with that prefix, so names stay unique however runs were named or deleted.
 */
export function nextRunName(config: Pick<TrainConfig, 'model' | 'task' | 'imbalance'>, scope: readonly NamedRun[]): string {
  const prefix = runNamePrefix(config);
  let highest = 0;
  for (const r of withRunNames(scope)) {
    const n = numberAfter(r.name!, prefix);
    if (n > highest) highest = n;
  }
  return `${prefix}-${highest + 1}`;
}

function numberAfter(name: string, prefix: string): number {
  if (!name.startsWith(`${prefix}-`)) return 0;
  const rest = name.slice(prefix.length + 1);
  return /^\d{1,9}$/.test(rest) ? Number(rest) : 0;
}

/** A name a person typed: trimmed (inner runs of spaces kept as one), or why it can't be used. */
export function checkRunName(raw: string): { ok: true; name: string } | { ok: false; message: string } {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name === '') return { ok: false, message: 'A run name cannot be empty.' };
  if (name.length > RUN_NAME_MAX) return { ok: false, message: `A run name has at most ${RUN_NAME_MAX} characters (this one has ${name.length}).` };
  return { ok: true, name };
}
