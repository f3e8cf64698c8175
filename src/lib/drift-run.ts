/**
 * A drift check as the predict worker runs it: the statistics of each side
 * (the reference's kept for the next check against it), core's drift report,
 * and, with a model version, its prediction, label and concept drift. The
 * model code (TF.js) is injected and loaded only by a check with a model, so
 * this runs in Node tests and a plain check never loads TF.js. The data
 * worker's reference-stats.json uses the same side statistics.
 */
import {
  decodeColumns,
  encodeTarget,
  splitOf,
  type DatasetSource,
  type EvaluationSummary,
  type TrainConfig,
} from './core/training';
import {
  columnStats,
  driftReport,
  type ColumnStats,
  type DriftOptions,
  type DriftResult,
  referenceStatsJson,
  conceptMetrics,
  modelDrift,
  predictionStats,
  type ModelDrift,
} from './core/drift';
import type { PredictionOutput } from './core/models';
import { NEVER_CANCELLED, type CancelToken, type RequestIdentity } from './core/common';
import type { PredictableModel } from './ml/batch-predict';
import { predictChecked, type PredictRowsFn } from './predict-run';

/** The last few entries by key; reading one makes it the newest. */
export class RecentCache<T> {
  readonly #entries = new Map<string, T>();
  constructor(readonly max = 4) {}

  get(key: string): T | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** A reference side's cache key: its dataset, the rows used (a model's training split, or all), the columns. */
export function referenceKey(datasetHash: string, columns: readonly string[], trainingOf: string | null): string {
  return `${datasetHash}\n${trainingOf ? `train:${trainingOf}` : 'all'}\n${columns.join('\n')}`;
}

/**
 * The drift statistics of `columns` (those the source has) over all rows, or `subset` of them.
 * Checks `token` between columns.
 */
export async function sideStats(source: DatasetSource, columns: readonly string[], subset?: Uint32Array, token: CancelToken = NEVER_CANCELLED): Promise<ColumnStats[]> {
  const present = columns.filter((c) => source.schema.some((s) => s.name === c));
  await token.step();
  const decoded = await decodeColumns(source, present);
  const out: ColumnStats[] = [];
  for (const c of decoded) {
    await token.step();
    const s = columnStats(c.schema.name, c.schema.type, c.data, subset);
    if (s) out.push(s);
  }
  return out;
}

/**
 * The rows of a model's training split in its dataset version (the same seeded split training
 * made); undefined when the version lacks the target column.
 */
export async function trainingRows(source: DatasetSource, config: TrainConfig): Promise<Uint32Array | undefined> {
  if (!source.schema.some((c) => c.name === config.target)) return undefined;
  const [target] = await decodeColumns(source, [config.target]);
  return splitOf(config, target!).split.train;
}

/** A dataset version's drift statistics for `columns`, as reference-stats.json bytes (for a bundle). */
export async function referenceStatsBytes(source: DatasetSource, columns: readonly string[], config: TrainConfig | null): Promise<Uint8Array> {
  // The model's training split only, when its config is known.
  const subset = config ? await trainingRows(source, config) : undefined;
  const stats = await sideStats(source, columns, subset);
  return new TextEncoder().encode(referenceStatsJson(source.hash, subset?.length ?? source.rows, stats));
}

export interface DriftRequest extends RequestIdentity {
  /** The reference's data, or null when only its statistics are here (a bundle's reference-stats.json). */
  reference: DatasetSource | null;
  referenceStats: { datasetHash: string; columns: ColumnStats[] } | null;
  current: DatasetSource;
  /** The columns to test (a model's inputs, or every column both sides share). */
  columns: string[];
  options: DriftOptions;
  /** With a model version: its prediction, label and concept drift too. */
  model: { versionId: string; model: PredictableModel; target: string; test: EvaluationSummary | null; config: TrainConfig | null } | null;
  /** The reference is the model's training data: only the rows of its training split are used. */
  trainingRowsOnly: boolean;
}

export interface DriftResponse {
  result: DriftResult;
  model: ModelDrift | null;
  /** Whether the reference side's statistics were reused from an earlier check. */
  referenceReused: boolean;
  ms: number;
}

export interface DriftDeps {
  /** The model code (TF.js), loaded on first use: only a check with a model calls it. */
  loadPredict: () => Promise<PredictRowsFn>;
  /** Reference sides kept for the next check against them (the worker lives as long as the tab). */
  references: RecentCache<ColumnStats[]>;
  /** The model's outputs on a reference, kept the same way. */
  predictions: RecentCache<PredictionOutput>;
  token?: CancelToken;
}

/** The drift checks' caches, at their usual size. */
export function driftCaches(): Pick<DriftDeps, 'references' | 'predictions'> {
  return { references: new RecentCache(4), predictions: new RecentCache(4) };
}

/** A drift check of `request.current` against its reference. */
export async function checkDrift(request: DriftRequest, deps: DriftDeps): Promise<DriftResponse> {
  const token = deps.token ?? NEVER_CANCELLED;
  const started = performance.now();
  const wanted = [...new Set([...request.columns, ...(request.model ? [request.model.target] : [])])];
  const refHash = request.reference?.hash ?? request.referenceStats?.datasetHash ?? '';
  const config = request.trainingRowsOnly ? (request.model?.config ?? null) : null;
  const subset = request.reference && config ? await trainingRows(request.reference, config) : undefined;
  const key = referenceKey(refHash, wanted, subset ? request.model!.versionId : null);
  let reference = request.reference ? deps.references.get(key) : request.referenceStats?.columns;
  const referenceReused = request.reference !== null && reference !== undefined;
  if (!reference) {
    if (!request.reference) throw new Error('The reference has neither data nor statistics in this browser.');
    reference = await sideStats(request.reference, wanted, subset, token);
    deps.references.set(key, reference);
  }
  const current = await sideStats(request.current, wanted, undefined, token);
  const target = request.model?.target;
  const result = driftReport(
    reference.filter((c) => c.name !== target || request.columns.includes(c.name)),
    current,
    request.options,
  );
  const model = request.model ? await modelSide(request, request.model, deps, token, subset, reference, current) : null;
  token.check();
  return { result, model, referenceReused, ms: performance.now() - started };
}

/** The model's prediction, label and concept drift. */
async function modelSide(
  request: DriftRequest,
  m: NonNullable<DriftRequest['model']>,
  deps: DriftDeps,
  token: CancelToken,
  subset: Uint32Array | undefined,
  reference: readonly ColumnStats[],
  current: readonly ColumnStats[],
): Promise<ModelDrift> {
  const predictRows = await deps.loadPredict();
  const predictOn = async (source: DatasetSource, rows: Uint32Array | undefined, cacheKey: string | null) => {
    const cached = cacheKey ? deps.predictions.get(cacheKey) : undefined;
    if (cached) return cached;
    const needed = m.model.preprocessing.columns.map((c) => c.name).filter((n) => source.schema.some((s) => s.name === n));
    await token.step();
    const cols = await decodeColumns(source, needed);
    const p = await predictChecked(predictRows, m.model, cols, source.rows, rows, token);
    if (cacheKey) deps.predictions.set(cacheKey, p);
    return p;
  };
  // Without the reference's rows (statistics from a bundle) there are no reference predictions.
  // The key names the rows predicted: the same dataset is the reference of training-rows and all-rows checks.
  const refP = request.reference ? await predictOn(request.reference, subset, `${request.reference.hash}\n${m.versionId}\n${subset ? 'train' : 'all'}`) : null;
  const curP = await predictOn(request.current, undefined, null);
  const targetOf = (side: readonly ColumnStats[]) => side.find((c) => c.name === m.target) ?? null;
  let concept = null;
  const hasTarget = request.current.schema.some((c) => c.name === m.target);
  if (hasTarget && m.test) {
    await token.step();
    const [t] = await decodeColumns(request.current, [m.target]);
    const all = Uint32Array.from({ length: request.current.rows }, (_, i) => i);
    const spec = m.model.target;
    const { y } = encodeTarget(spec, t!.data, all);
    const truth = Float64Array.from(y, (v) => (spec.task === 'regression' && spec.scaled ? v * spec.std + spec.mean : v));
    concept = conceptMetrics(curP, truth, m.test);
  }
  return modelDrift({
    referencePredictions: refP ? predictionStats(refP) : null,
    currentPredictions: predictionStats(curP),
    referenceTarget: targetOf(reference),
    currentTarget: hasTarget ? targetOf(current) : null,
    concept,
  });
}
