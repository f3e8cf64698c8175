/**
 * Two parts of a cell that are not its settings: the stamp of its last
 * successful run (for *Run all*: the fingerprint it ran with and what it
 * made), and the Evaluate models cell's config with its model references.
 */

/** What a cell's last successful run made; every id is a stored record's. */
export interface CellOutputs {
  /** dataset: the version shown; prepare: the version the recipe made. */
  datasetHash?: string;
  /** train: the run, and the model version it stored. */
  runId?: string;
  modelVersionId?: string;
  /** predict: the stored prediction. */
  predictionId?: string;
  /** drift: the stored report. */
  reportId?: string;
  /** evaluate: the stored evaluation. */
  evaluationId?: string;
}

/** The last successful run of a cell: the fingerprint it ran with (core/pipeline) and its results. */
export interface CellRunStamp {
  /** SHA-256 hex of the cell's inputs and config at the start of that run. */
  fingerprint: string;
  /** When it ended, ms since the epoch. */
  at: number;
  /** How long it took. */
  ms: number;
  /** Run all, or the cell's own button. */
  by: 'run-all' | 'cell';
  outputs: CellOutputs;
}

const OUTPUT_KEYS: readonly (keyof CellOutputs)[] = ['datasetHash', 'runId', 'modelVersionId', 'predictionId', 'reportId', 'evaluationId'];

/** A stored stamp repaired, or undefined when it is not one. */
export function normalizeStamp(raw: unknown): CellRunStamp | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o.fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(o.fingerprint)) return undefined;
  const outputs: CellOutputs = {};
  const rawOutputs = o.outputs && typeof o.outputs === 'object' ? (o.outputs as Record<string, unknown>) : {};
  for (const key of OUTPUT_KEYS) {
    const v = rawOutputs[key];
    if (typeof v === 'string' && v !== '') outputs[key] = v;
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return { fingerprint: o.fingerprint, at: num(o.at), ms: num(o.ms), by: o.by === 'run-all' ? 'run-all' : 'cell', outputs };
}

/**
 * A model version named directly, through an alias of a registered model
 * ("heart@champion"), or as the newest model version a train cell of the
 * notebook made (so a retrained model is evaluated without picking it again).
 */
export type ModelRef = { kind: 'version'; versionId: string } | { kind: 'alias'; modelName: string; alias: string } | { kind: 'cell'; cellId: string };

/** What resolving a reference needs: model name -> alias -> version id; train cell id -> its newest model version id. */
export interface ModelRefContext {
  aliases?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  cellModels?: ReadonlyMap<string, string>;
}

/** An Evaluate models cell: labelled data, the models (champion first), the bootstrap and rollout settings, the last result. */
export interface EvaluateCellConfig {
  /** The labelled dataset version every model scores. */
  datasetHash: string | null;
  /** Champion first, then one or more challengers. */
  models: ModelRef[];
  /** Bootstrap resamples for the intervals (default 1000). */
  resamples: number;
  /** Seeds the bootstrap and the rollout assignment. */
  seed: number;
  /** Share of rows a canary sends to the challenger (default 0.05). */
  canaryShare: number;
  /** Share of rows an A/B split sends to the challenger (default 0.5). */
  abShare: number;
  /** The evaluation the last run stored. */
  evaluationId: string | null;
}

export function defaultEvaluateConfig(): EvaluateCellConfig {
  return { datasetHash: null, models: [], resamples: 1000, seed: 42, canaryShare: 0.05, abShare: 0.5, evaluationId: null };
}

function normalizeModelRef(raw: unknown): ModelRef | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  if (o.kind === 'version' && typeof o.versionId === 'string' && o.versionId !== '') return { kind: 'version', versionId: o.versionId };
  if (o.kind === 'alias' && typeof o.modelName === 'string' && o.modelName !== '' && typeof o.alias === 'string' && o.alias !== '') {
    return { kind: 'alias', modelName: o.modelName, alias: o.alias };
  }
  if (o.kind === 'cell' && typeof o.cellId === 'string' && o.cellId !== '') return { kind: 'cell', cellId: o.cellId };
  return null;
}

export function normalizeEvaluateConfig(raw: unknown): EvaluateCellConfig {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const d = defaultEvaluateConfig();
  const share = (v: unknown, fallback: number) => (typeof v === 'number' && v > 0 && v < 1 ? v : fallback);
  return {
    datasetHash: typeof o.datasetHash === 'string' && o.datasetHash !== '' ? o.datasetHash : null,
    models: Array.isArray(o.models) ? o.models.map(normalizeModelRef).filter((r): r is ModelRef => r !== null) : [],
    resamples: typeof o.resamples === 'number' && Number.isInteger(o.resamples) && o.resamples >= 100 && o.resamples <= 10_000 ? o.resamples : d.resamples,
    seed: typeof o.seed === 'number' && Number.isInteger(o.seed) ? o.seed : d.seed,
    canaryShare: share(o.canaryShare, d.canaryShare),
    abShare: share(o.abShare, d.abShare),
    evaluationId: typeof o.evaluationId === 'string' && o.evaluationId !== '' ? o.evaluationId : null,
  };
}

/** "heart@champion", "version 1a2b3c4d5e6f" or "the model of train cell 3f2a…": how a reference reads (without the notebook). */
export function modelRefText(ref: ModelRef): string {
  if (ref.kind === 'alias') return `${ref.modelName}@${ref.alias}`;
  if (ref.kind === 'version') return `version ${ref.versionId.slice(0, 12)}`;
  return `the newest model of train cell ${ref.cellId.slice(0, 8)}`;
}

/** The version a reference names now, or null when it names none (an unset alias, a cell with no model yet). */
export function resolveModelRef(ref: ModelRef, context: ModelRefContext): string | null {
  if (ref.kind === 'version') return ref.versionId;
  if (ref.kind === 'cell') return context.cellModels?.get(ref.cellId) ?? null;
  const of = context.aliases?.get(ref.modelName);
  return of && Object.hasOwn(of, ref.alias) ? (of[ref.alias] ?? null) : null;
}
