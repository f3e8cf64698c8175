import { describe, expect, it, vi } from 'vitest';
import { AnalysisJob, DEFAULT_IMPORTANCE, defaultFairnessConfig, type AnalysisHost, type AnalysisInputs } from '../../../src/lib/state/analysis.svelte';
import { Superseded, type RequestIdentity } from '../../../src/lib/core/common';
import type { AnalysisProgress, FairnessRequest, ImportanceRequest } from '../../../src/lib/analysis-run';
import type { ImportanceReport } from '../../../src/lib/core/explain';
import type { FairnessReport } from '../../../src/lib/core/fairness';
import type { AnalysisReport } from '../../../src/lib/storage/analyses';
import { runningWork } from '../../../src/lib/state/busy.svelte';

// The real worker is never started here: the job gets a stand-in host.
vi.mock('../../../src/lib/workers', () => ({ predictWorker: () => null, proxy: <T>(f: T) => f }));

function importance(baseline: number): ImportanceReport {
  return { kind: 'importance', config: DEFAULT_IMPORTANCE, metric: 'auc', baseline, testRows: 10, features: [], partialDependence: [] };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A host whose worker calls wait until the test answers them; cancel rejects the running call with Superseded. */
function host() {
  const saved: [string, AnalysisReport][] = [];
  const calls: { request: ImportanceRequest | FairnessRequest; progress: (p: AnalysisProgress) => void; answer: ReturnType<typeof deferred<AnalysisReport>> }[] = [];
  const cancels: RequestIdentity[] = [];
  const stored = new Map<string, AnalysisReport>();
  const inputs = { model: {}, dataset: {}, config: {} } as unknown as AnalysisInputs;
  const call = <R extends AnalysisReport>(request: ImportanceRequest | FairnessRequest, progress: (p: AnalysisProgress) => void): Promise<R> => {
    const answer = deferred<AnalysisReport>();
    calls.push({ request, progress, answer });
    return answer.promise as Promise<R>;
  };
  const h: AnalysisHost = {
    inputs: async (runId) => {
      if (runId === 'gone') throw new Error('This run is no longer stored.');
      return inputs;
    },
    importance: (request, progress) => call<ImportanceReport>(request, progress),
    fairness: (request, progress) => call<FairnessReport>(request, progress),
    cancel: (id) => {
      cancels.push(id);
      calls.at(-1)?.answer.reject(new Superseded(id.key));
    },
    load: async (runId) => ({ fairness: null, importance: (stored.get(runId) as ImportanceReport | undefined) ?? null }),
    save: async (runId, report) => {
      saved.push([runId, report]);
      stored.set(runId, report);
    },
  };
  return { h, saved, calls, cancels, stored };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('AnalysisJob', () => {
  it('has the defaults the UI offers', () => {
    expect(DEFAULT_IMPORTANCE).toEqual({ repeats: 5, seed: 42, topFeatures: 4, gridPoints: 20, sampleRows: 2000 });
    expect(defaultFairnessConfig(['Sex', 'AgeCategory'], 'No')).toEqual({ attributes: ['Sex', 'AgeCategory'], favourable: 'No', bins: 4, resamples: 1000, seed: 42 });
  });

  it('loads the stored report, runs with progress, saves and shows the fresh one', async () => {
    const { h, saved, calls, stored } = host();
    stored.set('run1', importance(0.7));
    const job = new AnalysisJob('importance', h);
    await job.load('run1');
    expect(job.report).toEqual(importance(0.7));
    const done = job.start('run1', DEFAULT_IMPORTANCE);
    expect(job.running).toBe(true);
    await tick();
    expect(calls[0]!.request).toMatchObject({ importance: DEFAULT_IMPORTANCE });
    expect(calls[0]!.request.key).toMatch(/^analysis:importance:/);
    calls[0]!.progress({ done: 3, total: 85, label: 'Shuffling BMI 3/85' });
    expect(job.progress).toEqual({ done: 3, total: 85, label: 'Shuffling BMI 3/85' });
    calls[0]!.answer.resolve(importance(0.9));
    await done;
    expect(job.running).toBe(false);
    expect(job.progress).toBeNull();
    expect(job.error).toBeNull();
    expect(job.report).toEqual(importance(0.9));
    expect(saved).toEqual([['run1', importance(0.9)]]);
  });

  it('a cancelled analysis stores nothing, keeps the stored report and says so', async () => {
    const { h, saved, calls, cancels, stored } = host();
    stored.set('run1', importance(0.7));
    const job = new AnalysisJob('importance', h);
    await job.load('run1');
    const done = job.start('run1', DEFAULT_IMPORTANCE);
    await tick();
    job.cancel();
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.key).toBe(calls[0]!.request.key);
    expect(cancels[0]!.requestId).not.toBe(calls[0]!.request.requestId);
    await done;
    expect(job.running).toBe(false);
    expect(job.error).toBe('The feature importance analysis was cancelled: nothing was saved.');
    expect(job.report).toEqual(importance(0.7));
    expect(saved).toEqual([]);
  });

  it('a failed analysis stores nothing and shows its message', async () => {
    const { h, saved, calls } = host();
    const job = new AnalysisJob('fairness', h);
    const done = job.start('run1', defaultFairnessConfig(['Sex'], 'No'));
    await tick();
    expect(calls[0]!.request).toMatchObject({ fairness: { attributes: ['Sex'], favourable: 'No' } });
    calls[0]!.answer.reject(new Error('Fairness is measured for classification models.'));
    await done;
    expect(job.error).toBe('The fairness analysis failed: Fairness is measured for classification models.');
    expect(job.running).toBe(false);
    expect(saved).toEqual([]);
    await job.start('gone', defaultFairnessConfig(['Sex'], 'No'));
    expect(job.error).toBe('The fairness analysis failed: This run is no longer stored.');
  });

  it('a newer start wins: the older answer is neither saved nor shown', async () => {
    const { h, saved, calls } = host();
    const job = new AnalysisJob('importance', h);
    const older = job.start('run1', DEFAULT_IMPORTANCE);
    await tick();
    const newer = job.start('run1', { ...DEFAULT_IMPORTANCE, seed: 1 });
    await tick();
    // Same key, so the worker supersedes the older itself; its answer arrives late anyway.
    expect(calls[1]!.request.key).toBe(calls[0]!.request.key);
    calls[0]!.answer.resolve(importance(0.1));
    await older;
    expect(job.running).toBe(true);
    calls[1]!.answer.resolve(importance(0.2));
    await newer;
    expect(saved).toEqual([['run1', importance(0.2)]]);
    expect(job.report).toEqual(importance(0.2));
  });

  it('counts as running work while it runs, so the update banner waits, and not after a cancel or an answer', async () => {
    const { h, calls } = host();
    const job = new AnalysisJob('importance', h);
    void job.start('run-1', DEFAULT_IMPORTANCE);
    await tick();
    expect(runningWork()).toEqual(['the feature importance analysis']);
    job.cancel();
    expect(runningWork()).toEqual([]);
    void job.start('run-1', DEFAULT_IMPORTANCE);
    await tick();
    expect(runningWork()).toEqual(['the feature importance analysis']);
    calls.at(-1)!.answer.resolve(importance(0.8));
    await tick();
    await tick();
    expect(job.running).toBe(false);
    expect(runningWork()).toEqual([]);
  });
});
