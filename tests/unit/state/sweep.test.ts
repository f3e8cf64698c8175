import { describe, expect, it } from 'vitest';
import { SweepJob } from '../../../src/lib/state/sweep.svelte';
import type { TrainingJob } from '../../../src/lib/state/training.svelte';
import type { RunRecord } from '../../../src/lib/storage/records';
import { defaultTrainConfig, type TrainConfig } from '../../../src/lib/core/training';

/** A stand-in for a train cell's job: records what it was asked to train. */
function fakeJob(onStart?: (n: number) => void) {
  const started: { config: TrainConfig; sweepId: string | null | undefined }[] = [];
  let cancels = 0;
  const job = {
    busy: false,
    async start(config: TrainConfig, options: { sweepId?: string | null }) {
      started.push({ config, sweepId: options.sweepId });
      onStart?.(started.length);
      return { id: `run${started.length}`, config } as unknown as RunRecord;
    },
    cancel() {
      cancels++;
    },
  };
  return { job: job as unknown as TrainingJob, started, cancels: () => cancels };
}

const configs = [0.001, 0.01, 0.1].map((learningRate) => ({ ...defaultTrainConfig('h', 'y', 'binary', ['x']), learningRate }));

describe('SweepJob', () => {
  it('runs every config one after another under one sweep id', async () => {
    const { job, started } = fakeJob();
    const sweep = new SweepJob();
    const runs = await sweep.start(job, configs, { notebookId: 'nb', cellId: 'c', modelName: 'm' }, 'All 3 grid combinations.');
    expect(runs.map((r) => r.id)).toEqual(['run1', 'run2', 'run3']);
    expect(started.map((s) => s.config.learningRate)).toEqual([0.001, 0.01, 0.1]);
    expect(new Set(started.map((s) => s.sweepId)).size).toBe(1);
    expect(started[0]!.sweepId).toBe(sweep.sweepId);
    expect(sweep.status).toBe('completed');
    expect(sweep.runIds).toEqual(['run1', 'run2', 'run3']);
  });

  it('Cancel stops the current run and starts no more', async () => {
    const sweep = new SweepJob();
    const fake = fakeJob((n) => {
      if (n === 2) sweep.cancel(fake.job);
    });
    const runs = await sweep.start(fake.job, configs, { notebookId: 'nb', cellId: 'c', modelName: 'm' }, '');
    expect(fake.started).toHaveLength(2);
    expect(fake.cancels()).toBe(1);
    expect(runs).toHaveLength(2);
    expect(sweep.status).toBe('cancelled');
  });
});
