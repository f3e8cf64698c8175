import { describe, expect, it } from 'vitest';
import { WorkerCrashedError, supervised } from '../../src/lib/worker-supervisor';

/** A stand-in worker: an EventTarget that can be made to fail, and a remote whose calls the test settles. */
function fakeWorker() {
  const target = new EventTarget();
  let terminated = false;
  const calls: { method: string; args: unknown[]; resolve: (v: unknown) => void }[] = [];
  const remote = new Proxy(
    {},
    { get: (_t, method) => (...args: unknown[]) => new Promise((resolve) => calls.push({ method: String(method), args, resolve })) },
  ) as { echo(x: number): Promise<number>; slow(): Promise<string> };
  return {
    worker: Object.assign(target, { terminate: () => void (terminated = true) }),
    remote,
    calls,
    terminated: () => terminated,
    crash: (message: string) => target.dispatchEvent(Object.assign(new Event('error'), { message })),
  };
}

describe('supervised workers', () => {
  it('passes calls through, and after a crash rejects what was pending, drops the worker and starts a new one', async () => {
    const started: ReturnType<typeof fakeWorker>[] = [];
    const get = supervised('data', () => {
      const w = fakeWorker();
      started.push(w);
      return { worker: w.worker, remote: w.remote };
    });
    const done = get().echo(2);
    started[0]!.calls[0]!.resolve(4);
    expect(await done).toBe(4);
    expect(started).toHaveLength(1);

    const pending = get().slow();
    const other = get().slow();
    started[0]!.crash('Array buffer allocation failed');
    await expect(pending).rejects.toThrow(WorkerCrashedError);
    await expect(other).rejects.toThrow('The data worker stopped unexpectedly (Array buffer allocation failed); it starts again on the next try.');
    expect(started[0]!.terminated()).toBe(true);

    const again = get().echo(3);
    expect(started).toHaveLength(2);
    started[1]!.calls[0]!.resolve(9);
    expect(await again).toBe(9);
    // A late error from the dead worker changes nothing for the new one.
    started[0]!.crash('late');
    expect(started[1]!.terminated()).toBe(false);
  });

  it('is not a thenable, so it can be returned from an async function', async () => {
    const get = supervised('train', () => ({ worker: fakeWorker().worker, remote: fakeWorker().remote }));
    const remote = await (async () => get())();
    expect(typeof remote.echo).toBe('function');
  });
});
