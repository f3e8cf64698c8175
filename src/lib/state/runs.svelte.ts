/**
 * The stored runs as the app sees them: the list (summaries, newest first), the
 * details read per run, live following of runs running in another tab, and
 * run names, notes and tags. Every run in the list has a name: runs stored
 * before names existed get their derived default here (never written back).
 */
import * as runsRepo from '../storage/runs';
import type { RunDetailsRecord, RunRecord, RunSummaryRecord } from '../storage/records';
import { STALE_MS, aliveRunIds } from './training.svelte';
import { runCount, runningRuns, watch } from '../storage/live';
import { summarizeEvaluation, withRunNames } from '../core/training';

export class RunsState {
  /** Every stored run's summary, newest first (epochs and curves load per run: see `details`). */
  runs = $state.raw<RunSummaryRecord[]>([]);
  /** False until the stored runs have been read once (they load after the notebook shows). */
  loaded = $state(false);
  /** Runs found still "running" from a closed tab at start-up, now marked interrupted. */
  interruptedAtStart = $state(0);
  // Details read so far, by run id: a run's epochs and curves never change once it has ended.
  #details = $state.raw<Record<string, RunDetailsRecord>>({});
  // Ids being read right now, so two charts asking at once read once; not shown anywhere.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #loading = new Set<string>();

  /** Marks runs left "running" by a closed tab as interrupted (before the list is first read). */
  async markInterrupted(): Promise<void> {
    const alive = await aliveRunIds().catch(() => null);
    this.interruptedAtStart = await runsRepo.markInterruptedRuns(STALE_MS, Date.now(), alive ?? undefined);
  }

  async refresh(): Promise<void> {
    this.take(await runsRepo.listRuns());
  }

  /** Takes a freshly read list of every run; from then on the list counts as loaded. */
  take(runs: RunSummaryRecord[]): void {
    this.runs = withRunNames(runs);
    this.loaded = true;
  }

  /**
   * Follows runs written elsewhere (another tab, a restore): a run training in another tab
   * shows as running here and ends here when it ends there. `onCountChange` re-reads the
   * lists when runs were added or deleted elsewhere. Returns the unsubscribe.
   */
  watch(onCountChange: () => void): () => void {
    const stops = [
      watch(runningRuns, (running) => void this.#syncRunning(running)),
      watch(runCount, (count) => {
        if (this.loaded && count !== this.runs.length) onCountChange();
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** Takes the running runs as stored, and re-reads the ones listed as running that have since ended. */
  async #syncRunning(running: RunSummaryRecord[]): Promise<void> {
    if (!this.loaded) return;
    for (const run of running) {
      const known = this.run(run.id);
      if (!known || known.heartbeatAt !== run.heartbeatAt || known.epochCount !== run.epochCount) this.upsertRun(run);
    }
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const stillRunning = new Set(running.map((r) => r.id));
    const ended = this.runs.filter((r) => r.status === 'running' && !stillRunning.has(r.id)).map((r) => r.id);
    if (ended.length === 0) return;
    const stored = await runsRepo.getRunSummaries(ended);
    for (const run of stored) if (run) this.upsertRun(run);
  }

  /**
   * Puts one stored run into the list (replacing its older copy, or first as the newest)
   * without re-reading every run: the other runs keep their objects, so rows built from
   * them are reused.
   */
  upsertRun(run: RunRecord | RunSummaryRecord): void {
    let summary: RunSummaryRecord;
    if ('epochs' in run) {
      summary = runsRepo.summaryOf(run);
      // A whole run (just trained) brings its details along: no read needed to draw it.
      const { epochs } = run;
      const parts = run.evaluation ? summarizeEvaluation(run.evaluation).parts : { curves: null, residuals: null };
      this.#details = { ...this.#details, [run.id]: { runId: run.id, epochs, ...parts, testScores: run.testScores ?? null } };
    } else summary = run;
    const at = this.runs.findIndex((r) => r.id === summary.id);
    // A run read back without a name keeps the one it is listed under; a whole run from training
    // keeps a rename made while it trained (the stored name wins, see putRunParts).
    const known = at >= 0 ? this.runs[at]!.name : null;
    if (known && (!summary.name || 'epochs' in run)) summary = { ...summary, name: known };
    else if (!summary.name) summary = withRunNames([...this.runs, summary]).at(-1)!;
    this.runs = at >= 0 ? this.runs.map((r, i) => (i === at ? summary : r)) : [summary, ...this.runs];
  }

  /** A run's epochs and curves, once loaded (see `loadDetails`). */
  details(id: string): RunDetailsRecord | undefined {
    return this.#details[id];
  }

  /** Reads the details of the runs not read yet, in one request. */
  async loadDetails(ids: readonly string[]): Promise<void> {
    // A running run's details still grow: read them again each time.
    const wanted = ids.filter((id) => (!this.#details[id] || this.run(id)?.status === 'running') && !this.#loading.has(id));
    if (wanted.length === 0) return;
    for (const id of wanted) this.#loading.add(id);
    try {
      const found = await runsRepo.getRunDetails(wanted);
      const next = { ...this.#details };
      found.forEach((d, i) => {
        next[wanted[i]!] = d ?? { runId: wanted[i]!, epochs: [], curves: null, residuals: null };
      });
      this.#details = next;
    } finally {
      for (const id of wanted) this.#loading.delete(id);
    }
  }

  /** The whole run (summary joined with its details), once its details are loaded. */
  full(id: string | null | undefined): RunRecord | undefined {
    const summary = this.run(id);
    const details = summary ? this.#details[summary.id] : undefined;
    return summary && details ? runsRepo.joinRun(summary, details) : undefined;
  }

  run(id: string | null | undefined): RunSummaryRecord | undefined {
    return id ? this.runs.find((r) => r.id === id) : undefined;
  }

  /** The runs of a sweep, in the order they ran. */
  sweepRuns(sweepId: string | null): RunSummaryRecord[] {
    if (!sweepId) return [];
    return this.runs.filter((r) => r.sweepId === sweepId).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** The runs that reproduce `runId`, newest first. */
  reproductionsOf(runId: string): RunSummaryRecord[] {
    return this.runs.filter((r) => r.reproducesRunId === runId);
  }

  /** Renames a run; throws when the name is not usable (see checkRunName). */
  async rename(runId: string, name: string): Promise<void> {
    this.upsertRun(await runsRepo.renameRun(runId, name));
  }

  async saveNotes(runId: string, notes: string, tags: string[]): Promise<void> {
    this.upsertRun(await runsRepo.updateRunNotes(runId, notes, tags));
  }
}
