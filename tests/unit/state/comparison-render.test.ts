import { describe, expect, it } from 'vitest';
import { ComparisonRender, STAGES, stagePatches, type Staged } from '../../../src/lib/state/comparison-render.svelte';
import type { RunDrawing, RunRow } from '../../../src/lib/core/compare';

/** A task queue run by hand: each `tick` runs the tasks scheduled so far, as one macrotask would. */
function queue() {
  let tasks: { run: () => void; live: boolean }[] = [];
  const schedule = (run: () => void) => {
    const task = { run, live: true };
    tasks.push(task);
    return () => {
      task.live = false;
    };
  };
  const tick = () => {
    const now = tasks;
    tasks = [];
    for (const t of now) if (t.live) t.run();
  };
  return { schedule, tick, pending: () => tasks.filter((t) => t.live).length };
}

const row = (id: string) => ({ id }) as unknown as RunRow;
const selection = (ids: string[]): Staged => ({
  drawings: ids.map((id) => ({ id }) as unknown as RunDrawing),
  rows: ids.slice(0, 2).map(row),
  labels: ids.slice(0, 2).map((id) => `Run ${id}`),
  all: ids.map(row),
});

describe('comparison render staging', () => {
  it('hands over the curves, then the side-by-side rows with their labels, then every run', () => {
    expect(STAGES).toEqual([['drawings'], ['rows', 'labels'], ['all']]);
    const next = selection(['a', 'b', 'c']);
    expect(stagePatches(next)).toEqual([{ drawings: next.drawings }, { rows: next.rows, labels: next.labels }, { all: next.all }]);
  });

  it('applies one stage per task, none in the calling task', () => {
    const q = queue();
    const render = new ComparisonRender(q.schedule);
    const next = selection(['a', 'b', 'c']);
    render.follow(next);
    expect(render.staged).toEqual({});
    q.tick();
    expect(Object.keys(render.staged)).toEqual(['drawings']);
    q.tick();
    expect(Object.keys(render.staged).sort()).toEqual(['drawings', 'labels', 'rows']);
    q.tick();
    expect(render.staged).toEqual(next);
    expect(q.pending()).toBe(0);
  });

  it('a newer selection stops the older one’s remaining stages and keeps what is shown until replaced', () => {
    const q = queue();
    const render = new ComparisonRender(q.schedule);
    const first = selection(['a', 'b']);
    const stop = render.follow(first);
    q.tick();
    stop();
    const second = selection(['c', 'd', 'e']);
    render.follow(second);
    expect(render.staged.drawings).toBe(first.drawings);
    q.tick();
    expect(render.staged).toEqual({ drawings: second.drawings });
    q.tick();
    q.tick();
    expect(render.staged).toEqual(second);
    expect(q.pending()).toBe(0);
  });

  it('runs its stages on timers by default', async () => {
    const render = new ComparisonRender();
    const next = selection(['a']);
    render.follow(next);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(render.staged).toEqual(next);
  });
});
