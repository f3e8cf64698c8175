/**
 * A sweep: its runs queued one after another through a train cell's
 * TrainingJob (the worker trains one run at a time anyway), with overall
 * progress, and a Cancel that stops the current run and drops the rest.
 */
import { newId } from '../core/common';
import type { TrainConfig } from '../core/training';
import type { RunRecord } from '../storage/records';
import type { StartOptions, TrainingJob } from './training.svelte';

export type SweepStatus = 'idle' | 'running' | 'completed' | 'cancelled';

export class SweepJob {
  status = $state<SweepStatus>('idle');
  sweepId = $state<string | null>(null);
  /** Runs started so far (1-based index of the current one while running). */
  index = $state(0);
  total = $state(0);
  note = $state('');
  runIds = $state.raw<string[]>([]);
  #cancelled = false;

  get busy(): boolean {
    return this.status === 'running';
  }

  /** Runs `configs` one after another on `job`; resolves when all ran or the sweep was cancelled. */
  async start(job: TrainingJob, configs: TrainConfig[], options: Omit<StartOptions, 'sweepId'>, note: string): Promise<RunRecord[]> {
    if (this.busy || job.busy) return [];
    this.#cancelled = false;
    this.status = 'running';
    this.sweepId = newId();
    this.total = configs.length;
    this.index = 0;
    this.note = note;
    this.runIds = [];
    const runs: RunRecord[] = [];
    for (const config of configs) {
      if (this.#cancelled) break;
      this.index++;
      const run = await job.start(config, { ...options, sweepId: this.sweepId });
      if (run) {
        runs.push(run);
        this.runIds = [...this.runIds, run.id];
      }
    }
    this.status = this.#cancelled ? 'cancelled' : 'completed';
    return runs;
  }

  /** Stops the current run (recorded as cancelled) and starts no more. */
  cancel(job: TrainingJob): void {
    if (!this.busy) return;
    this.#cancelled = true;
    job.cancel();
  }
}
