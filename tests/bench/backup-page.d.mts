// Types for tests/bench/backup-page.mjs (plain ESM JavaScript, no build step).
import type { Page } from '@playwright/test';

/** Writes runs (runsToJson of storedParts) into 'runs' and 'runDetails' of the page's database, in one transaction. */
export function seedRuns(page: Page, json: string, marker: string): Promise<void>;
export function storeCounts(page: Page): Promise<Record<string, number> & { fullHash: string | null; datasetBytes: number }>;
export function largestRecord(page: Page): Promise<{ bytes: number; what: string }>;
export function baselineCopy(page: Page): Promise<{ readMs: number; writeMs: number; bytes: number; blobs: number }>;
