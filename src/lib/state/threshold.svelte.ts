/**
 * The live decision threshold of one binary run: its stored test scores,
 * read and sorted once, then the metrics at whatever threshold the handle,
 * the keyboard or the numeric input sets (threshold-live.ts answers each one
 * by binary search). And the workflow that registers the run's model again
 * as a new version with that threshold.
 */
import {
  curvePointAt,
  metricsAt,
  nearestThreshold,
  prCurveSeries,
  roundThreshold,
  sortScores,
  stepThreshold,
  thresholdGrid,
  type CurvePoint,
  type LiveMetrics,
} from '../core/models';
import type { ThresholdCounts } from '../core/metrics';
import type { Series } from '../core/charts';
import { getRunDetails } from '../storage/runs';
import { saveThresholdVersion } from '../storage/models';
import type { ModelVersionRecord } from '../storage/records';

/** One run's threshold, moved live over its stored test scores. */
export class LiveThreshold {
  /** 'none': the run kept no test scores (trained before they were stored). */
  status = $state<'loading' | 'ready' | 'none' | 'error'>('loading');
  error = $state<string | null>(null);
  /** The threshold now shown; starts at the stored one. */
  threshold = $state(0.5);
  readonly stored: number;
  readonly classes: readonly string[];
  readonly runId: string;
  #counts = $state.raw<ThresholdCounts | null>(null);
  #grid = $state.raw<CurvePoint[]>([]);
  #series = $state.raw<Series[]>([]);

  /**
   * @param runId the run whose test scores are read
   * @param stored the threshold its model version was stored with
   * @param classes the run's two classes; class 1 is the positive one
   */
  constructor(runId: string, stored: number, classes: readonly string[]) {
    this.runId = runId;
    this.stored = stored;
    this.threshold = stored;
    this.classes = classes;
  }

  #started = false;

  /** Reads the run's test scores and sorts them once (a second call does nothing). */
  async load(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      const [details] = await getRunDetails([this.runId]);
      const scores = details?.testScores;
      if (!scores) {
        this.status = 'none';
        return;
      }
      const counts = sortScores(scores);
      this.#counts = counts;
      this.#grid = thresholdGrid(counts);
      this.#series = prCurveSeries(counts, `${this.classes[1] ?? 'class 1'} precision-recall`);
      this.status = 'ready';
    } catch (err) {
      this.error = `The test scores could not be read: ${err instanceof Error ? err.message : String(err)}`;
      this.status = 'error';
    }
  }

  /** The metrics at the live threshold (null until the scores are read). */
  readonly live: LiveMetrics | null = $derived.by(() => (this.#counts ? metricsAt(this.#counts, this.threshold, this.classes) : null));
  /** The metrics at the stored threshold: the run's own test evaluation. */
  readonly atStored: LiveMetrics | null = $derived.by(() => (this.#counts ? metricsAt(this.#counts, this.stored, this.classes) : null));
  readonly livePoint: CurvePoint | null = $derived.by(() => (this.#counts ? curvePointAt(this.#counts, this.threshold) : null));
  readonly storedPoint: CurvePoint | null = $derived.by(() => (this.#counts ? curvePointAt(this.#counts, this.stored) : null));

  /** The precision-recall curve as chart series. */
  get series(): Series[] {
    return this.#series;
  }

  /** Whether the live threshold differs from the stored one. */
  get moved(): boolean {
    return this.threshold !== this.stored;
  }

  /** Sets the threshold (clamped to [0, 1] and rounded to 0.001); a value that is not a number is ignored. */
  set(value: number): void {
    if (Number.isFinite(value)) this.threshold = roundThreshold(value);
  }

  /** Back to the stored threshold (exactly, even when it is off the 0.001 grid). */
  reset(): void {
    this.threshold = this.stored;
  }

  /** Applies a slider key; returns whether the key was one (so its default action is stopped). */
  key(key: string): boolean {
    const next = stepThreshold(this.threshold, key);
    if (next === null) return false;
    this.threshold = next;
    return true;
  }

  /** Moves the handle to the curve point nearest to (recall, precision) in a plot of width x height pixels. */
  dragTo(recall: number, precision: number, width: number, height: number): void {
    if (this.#grid.length > 0) this.threshold = nearestThreshold(this.#grid, recall, precision, width, height, this.threshold);
  }
}

/** "Save as a new model version with this threshold": its progress, message and the version made. */
export class ThresholdSaver {
  saving = $state(false);
  error = $state<string | null>(null);
  saved = $state.raw<ModelVersionRecord | null>(null);
  /** The threshold the saved version was stored with. */
  savedThreshold = $state<number | null>(null);
  readonly #after: () => Promise<void>;

  /** `after` runs once a version is stored (to refresh the registry lists). */
  constructor(after: () => Promise<void>) {
    this.#after = after;
  }

  /** Registers `sourceVersionId` again with `threshold`; a refusal is shown as `error`, with nothing written. */
  async save(sourceVersionId: string, threshold: number): Promise<ModelVersionRecord | null> {
    this.saving = true;
    this.error = null;
    this.saved = null;
    let version: ModelVersionRecord;
    try {
      version = await saveThresholdVersion(sourceVersionId, threshold);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      this.saving = false;
      return null;
    }
    // Stored: a failure to refresh the lists afterwards must not read as "not saved".
    await this.#after().catch(() => undefined);
    this.saved = version;
    this.savedThreshold = threshold;
    this.saving = false;
    return version;
  }
}
