// Types for tests/bench/synthetic-runs.mjs (plain ESM JavaScript, no build step).
import type { RunDetailsRecord, RunRecord, RunSummaryRecord } from '../../src/lib/storage/records';

/** Mulberry32: a seeded 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number;
/** n synthetic stored runs (completed binary classifiers, a few failed or cancelled), oldest first. */
export function syntheticRuns(n: number, o: { seed: number; datasetHash: string; epochs?: number }): RunRecord[];
/** Prefix of the strings that stand for non-finite numbers in `runsToJson`'s output. */
export const NON_FINITE: string;
/** Runs (or their stored parts) as JSON, with non-finite numbers spelled so `reviveNonFinite` restores them. */
export function runsToJson(runs: readonly unknown[]): string;
/** JSON.parse reviver for `runsToJson`. */
export function reviveNonFinite(key: string, value: unknown): unknown;
/** The run as the app stores it: summary (`runs`) and details (`runDetails`). */
export function storedParts(run: RunRecord): { summary: RunSummaryRecord; details: RunDetailsRecord };
