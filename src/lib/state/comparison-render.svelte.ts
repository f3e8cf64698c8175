/**
 * The comparison's render staging. The heavy parts follow the selection one task each
 * (curves, then confusion matrices, then the plots of every selected run), so ticking
 * "Select all" on 1,000 runs never holds the page for long: the tables answer at once, the
 * charts catch up over the next few tasks.
 */
import type { RunDrawing, RunRow } from '../core/compare';

export interface Staged {
  drawings: RunDrawing[];
  rows: RunRow[];
  labels: string[];
  all: RunRow[];
}

/** Which parts each task hands over, in order: curves first, the plots of every run last. */
export const STAGES: readonly (readonly (keyof Staged)[])[] = [['drawings'], ['rows', 'labels'], ['all']];

/** The patch of each stage for `next`, in the order they are applied. */
export function stagePatches(next: Staged): Partial<Staged>[] {
  return STAGES.map((keys) => {
    const patch: Partial<Staged> = {};
    for (const k of keys) Object.assign(patch, { [k]: next[k] });
    return patch;
  });
}

/** Runs `task` in a later task; the returned function stops it from running. */
export type Schedule = (task: () => void) => () => void;

const nextTask: Schedule = (task) => {
  const timer = setTimeout(task, 0);
  return () => clearTimeout(timer);
};

export class ComparisonRender {
  /** What has been handed over so far; a part still missing is still being drawn. */
  staged = $state.raw<Partial<Staged>>({});
  readonly #schedule: Schedule;

  constructor(schedule: Schedule = nextTask) {
    this.#schedule = schedule;
  }

  /**
   * Hands `next` over a stage per task. The parts already shown stay until their stage
   * replaces them.
   * @returns stops the stages not applied yet (a newer selection supersedes this one)
   */
  follow(next: Staged): () => void {
    const patches = stagePatches(next);
    let cancelled = false;
    let i = 0;
    let stop: () => void;
    const step = () => {
      if (cancelled) return;
      this.staged = { ...this.staged, ...patches[i++] };
      if (i < patches.length) stop = this.#schedule(step);
    };
    stop = this.#schedule(step);
    return () => {
      cancelled = true;
      stop();
    };
  }
}
