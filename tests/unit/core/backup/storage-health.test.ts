import { describe, expect, it } from 'vitest';
import {
  fullWarning,
  goneSentence,
  ledgerText,
  missingRecords,
  parseLedger,
  usageLine,
  type RecordCounts,
} from '../../../../src/lib/core/backup';

const counts = (over: Partial<RecordCounts> = {}): RecordCounts => ({
  notebooks: 0,
  datasets: 0,
  versions: 0,
  runs: 0,
  modelVersions: 0,
  driftReports: 0,
  ...over,
});

describe('ledger', () => {
  it('round-trips through its text', () => {
    const c = counts({ notebooks: 2, datasets: 1, versions: 3, runs: 20, modelVersions: 1, driftReports: 4 });
    expect(parseLedger(ledgerText(c, 1_700_000_000_000))).toEqual({ counts: c, at: 1_700_000_000_000 });
  });

  it('treats no ledger, broken JSON and wrong shapes as no ledger (nothing is compared)', () => {
    expect(parseLedger(null)).toBeNull();
    expect(parseLedger('')).toBeNull();
    expect(parseLedger('{not json')).toBeNull();
    expect(parseLedger('[]')).toBeNull();
    expect(parseLedger(JSON.stringify({ counts: counts(), at: 'yesterday' }))).toBeNull();
    expect(parseLedger(JSON.stringify({ counts: { ...counts(), runs: -1 }, at: 1 }))).toBeNull();
    expect(parseLedger(JSON.stringify({ counts: { ...counts(), runs: 1.5 }, at: 1 }))).toBeNull();
    const { runs: _runs, ...partial } = counts();
    expect(parseLedger(JSON.stringify({ counts: partial, at: 1 }))).toBeNull();
  });
});

describe('missingRecords', () => {
  it('is empty on a first visit (no ledger) whatever is stored', () => {
    expect(missingRecords(null, counts())).toEqual([]);
  });

  it('is empty when at least as many of each kind are stored (a restore may bring more)', () => {
    const ledger = { counts: counts({ notebooks: 2, runs: 20 }), at: 0 };
    expect(missingRecords(ledger, counts({ notebooks: 2, runs: 20 }))).toEqual([]);
    expect(missingRecords(ledger, counts({ notebooks: 3, runs: 25, versions: 1 }))).toEqual([]);
  });

  it('lists each kind with fewer records than expected, in naming order', () => {
    const ledger = { counts: counts({ notebooks: 2, datasets: 1, versions: 3, runs: 20 }), at: 0 };
    // After an eviction the app has already created its default notebook by the time lists refresh; at start it has not.
    expect(missingRecords(ledger, counts())).toEqual([
      { kind: 'datasets', expected: 1, found: 0 },
      { kind: 'versions', expected: 3, found: 0 },
      { kind: 'runs', expected: 20, found: 0 },
      { kind: 'notebooks', expected: 2, found: 0 },
    ]);
    expect(missingRecords(ledger, counts({ notebooks: 2, datasets: 1, versions: 3, runs: 17 }))).toEqual([{ kind: 'runs', expected: 20, found: 17 }]);
  });
});

describe('goneSentence', () => {
  it('says plainly what is gone and why', () => {
    const ledger = { counts: counts({ notebooks: 2, versions: 3, runs: 20 }), at: 0 };
    const text = goneSentence(missingRecords(ledger, counts()));
    expect(text).toMatch(/^Labbook expected 3 dataset versions, 20 runs and 2 notebooks in this browser, but they are gone: the browser evicted or cleared the site's storage/);
    expect(text).toContain('Restore them from a backup');
  });

  it('uses the singular and says which part is gone when only part is', () => {
    expect(goneSentence([{ kind: 'notebooks', expected: 1, found: 0 }])).toMatch(/^Labbook expected 1 notebook in this browser, but it is gone/);
    expect(goneSentence([{ kind: 'runs', expected: 20, found: 17 }])).toMatch(/^Labbook expected 20 runs in this browser, but 3 runs are gone/);
    expect(goneSentence([{ kind: 'runs', expected: 20, found: 19 }])).toMatch(/but 1 run is gone/);
    expect(
      goneSentence([
        { kind: 'versions', expected: 3, found: 0 },
        { kind: 'runs', expected: 1200, found: 200 },
      ]),
    ).toMatch(/^Labbook expected 3 dataset versions and 1,200 runs in this browser, but all 3 dataset versions and 1,000 runs are gone/);
  });

  it('says when the ledger last saw them, and nothing when nothing is missing', () => {
    expect(goneSentence([{ kind: 'runs', expected: 2, found: 0 }], Date.UTC(2026, 11, 5, 14, 30))).toContain('(last seen 2026-12-05 14:30 UTC)');
    expect(goneSentence([])).toBe('');
  });
});

describe('fullWarning', () => {
  it('warns at 80% of the quota and above, with how full and what to do', () => {
    const text = fullWarning(850e6, 1e9);
    expect(text).toContain('Storage is 85% full (850.0 MB of 1.00 GB)');
    expect(text).toContain('Back up the workspace, then delete old dataset versions or runs');
    expect(fullWarning(800e6, 1e9)).toContain('80% full');
  });

  it('stays quiet below the threshold or when the browser does not say', () => {
    expect(fullWarning(799e6, 1e9)).toBeNull();
    expect(fullWarning(null, 1e9)).toBeNull();
    expect(fullWarning(5, null)).toBeNull();
    expect(fullWarning(5, 0)).toBeNull();
    expect(fullWarning(90, 100, 0.95)).toBeNull();
  });
});

describe('usageLine', () => {
  it('names each kind with its size, in a fixed order', () => {
    expect(usageLine({ runs: 3_100_000, datasets: 41_200_000, models: 800_000, reports: 2_000_000, notebooks: 12_000 })).toBe(
      'Datasets 41.2 MB · Runs 3.10 MB · Models 800.0 KB · Reports 2.00 MB · Notebooks 12.0 KB',
    );
  });
});
