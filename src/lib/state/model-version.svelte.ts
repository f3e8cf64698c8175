/**
 * A model version page's state: what it reads from storage for one version (its files, the
 * drift reports that concern it, the facts in its lineage.json and metrics.json) and the
 * verification of its files. The page shows these fields and calls `load` and `verify`.
 */
import { formatThreshold, thresholdSource } from '../core/models';
import type { VersionFacts } from '../storage/bundles';
import type { DriftReportRecord, ModelFileRecord, ModelVersionRecord, RunSummaryRecord } from '../storage/records';

/** Where a version's stored parts are read from (the app's RecordsState in the page). */
export interface VersionSource {
  files(versionId: string): Promise<ModelFileRecord[]>;
  driftReports(versionId: string): Promise<DriftReportRecord[]>;
  facts(versionId: string): Promise<VersionFacts | null>;
  verify(versionId: string): Promise<{ ok: boolean; problems: string[] }>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class ModelVersionView {
  files = $state.raw<ModelFileRecord[]>([]);
  facts = $state.raw<VersionFacts | null>(null);
  reports = $state.raw<DriftReportRecord[]>([]);
  filesError = $state<string | null>(null);
  verifying = $state(false);
  result = $state.raw<{ ok: boolean; problems: string[] } | null>(null);
  readonly #source: VersionSource;
  #versionId: string | null = null;

  constructor(source: VersionSource) {
    this.#source = source;
  }

  /**
   * Reads version `id`'s files, drift reports and facts. The previous version's files and
   * reports stay shown until the new ones arrive.
   * @returns `stop` marks the reads stale (the page moved on: their answers are dropped);
   *   `done` settles once all three reads have
   */
  load(id: string): { stop: () => void; done: Promise<void> } {
    let stale = false;
    this.#versionId = id;
    this.result = null;
    this.facts = null;
    this.filesError = null;
    const files = this.#source
      .files(id)
      .then((list) => {
        if (!stale) this.files = list;
      })
      .catch((err: unknown) => {
        if (!stale) this.filesError = `The files could not be read: ${message(err)}`;
      });
    const reports = this.#source
      .driftReports(id)
      .then((list) => {
        if (!stale) this.reports = list;
      })
      .catch(() => {
        if (!stale) this.reports = [];
      });
    const facts = this.#source
      .facts(id)
      .then((found) => {
        if (!stale) this.facts = found;
      })
      .catch((err: unknown) => {
        if (!stale) this.filesError = `lineage.json could not be read: ${message(err)}`;
      });
    return {
      stop: () => {
        stale = true;
      },
      done: Promise.all([files, reports, facts]).then(() => undefined),
    };
  }

  /** Re-hashes the loaded version's stored files against its manifest. */
  async verify(): Promise<void> {
    const id = this.#versionId;
    if (id === null) return;
    this.verifying = true;
    this.result = null;
    try {
      this.result = await this.#source.verify(id);
    } catch (err) {
      this.result = { ok: false, problems: [message(err)] };
    } finally {
      this.verifying = false;
    }
  }
}

/**
 * The decision threshold line of a version. The run says how it was chosen, for the version
 * it registered; a version saved again at another threshold says so in its lineage.json;
 * without the run (an imported version) metrics.json still carries it.
 * @param versionOf looks up another stored version (the one a threshold was set from)
 */
export function thresholdText(
  versionId: string,
  facts: VersionFacts | null,
  run: RunSummaryRecord | undefined,
  versionOf: (id: string) => Pick<ModelVersionRecord, 'version'> | undefined,
): string {
  const from = facts ? thresholdSource(facts.lineage) : null;
  if (facts && from) {
    const source = versionOf(from);
    const name = source ? `v${source.version}` : `version ${from.slice(0, 12)}`;
    return `${formatThreshold(facts.threshold ?? 0.5)} (set by hand on the test split's scores, from ${name}; in metrics.json)`;
  }
  const own = run?.modelVersionId === versionId;
  if (own && run?.threshold) return `${formatThreshold(run.threshold.choice.threshold)} (${run.threshold.choice.note})`;
  if (!facts) return own ? `${formatThreshold(0.5)} (default)` : '…';
  const t = facts.threshold;
  return t != null && t !== 0.5 ? `${formatThreshold(t)} (tuned on the validation split; from metrics.json)` : `${formatThreshold(0.5)} (default)`;
}
