import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFreshDatabase } from '../storage/fresh-db';
import { importText } from '../helpers';
import { ColumnTypeChanges } from '../../../src/lib/state/column-types.svelte';
import { getVersion, saveImport } from '../../../src/lib/storage/datasets';
import type { ReprofileRequest } from '../../../src/lib/core/csv';
import type { CancelToken, RequestIdentity } from '../../../src/lib/core/common';
import type { VersionRecord } from '../../../src/lib/storage/records';

// The data worker, stood in for by the same code it runs: one LatestRequests, the real re-profile.
// `gate` holds a request after it has read its column (where the worker yields), so a test can
// start a newer one in between.
const worker = vi.hoisted(() => ({
  gate: null as ((id: { requestId: string }) => Promise<void>) | null,
  beforeSave: null as (() => Promise<void>) | null,
  afterAnswer: null as ((id: { requestId: string }) => Promise<void>) | null,
  calls: [] as string[],
  outcomes: [] as string[],
}));
vi.mock('../../../src/lib/workers', async () => {
  const { LatestRequests } = await import('../../../src/lib/core/common');
  const { reprofileColumn } = await import('../../../src/lib/core/csv');
  const latest = new LatestRequests();
  return {
    dataWorker: () => ({
      reprofileColumn: async (request: ReprofileRequest, id: RequestIdentity) => {
        const answer = latest.run(id, async (token: CancelToken) => {
          worker.calls.push(`${id.key}#${id.requestId}:${request.type}`);
          const gated: CancelToken = {
            check: () => token.check(),
            step: async () => {
              await worker.gate?.(id);
              await token.step();
            },
          };
          return reprofileColumn(request, gated);
        });
        const profile = await answer.catch((err: Error) => {
          worker.outcomes.push(`${id.requestId}:${err.name}`);
          throw err;
        });
        worker.outcomes.push(`${id.requestId}:answered`);
        await worker.afterAnswer?.(id);
        return profile;
      },
    }),
  };
});
vi.mock('../../../src/lib/storage/datasets', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/storage/datasets')>();
  return {
    ...real,
    setColumnType: async (...args: Parameters<typeof real.setColumnType>) => {
      await worker.beforeSave?.();
      return real.setColumnType(...args);
    },
  };
});

const database = useFreshDatabase();

afterEach(() => {
  worker.gate = null;
  worker.beforeSave = null;
  worker.afterAnswer = null;
  worker.calls = [];
  worker.outcomes = [];
});

const CSV = 'code,city,score\n1,Lyon,3.5\n2,Nice,4\n2,Lyon,\n7,Paris,1.25\n';

async function stored(): Promise<VersionRecord> {
  const result = await importText(CSV, 'codes.csv');
  await saveImport(result, 'codes');
  return (await getVersion(result.hash))!;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ColumnTypeChanges', () => {
  it('re-profiles the column under the new type and stores it', async () => {
    const version = await stored();
    let refreshed = 0;
    const changes = new ColumnTypeChanges(async () => void refreshed++);
    await changes.change(version, 0, 'categorical');
    const after = (await getVersion(version.hash))!;
    expect(after.schema[0]!.type).toBe('categorical');
    // Counted by hand from the CSV: "2" twice, then "1" and "7" once.
    expect(after.profile.columnProfiles[0]!.top[0]).toEqual({ value: '2', count: 2 });
    expect(after.profile.columnProfiles[0]!.numeric).toBeUndefined();
    expect(refreshed).toBe(1);
    expect(changes.pendingType(version.hash, 0)).toBeUndefined();
    expect(changes.error).toBeNull();
  });

  it('a newer type for the same column stops the older one in the worker, and only the newer is stored', async () => {
    const version = await stored();
    const changes = new ColumnTypeChanges(async () => {});
    const held = deferred();
    const first = deferred();
    worker.gate = async ({ requestId }) => {
      if (requestId === '1') {
        first.resolve();
        await held.promise;
      }
    };
    const older = changes.change(version, 0, 'text');
    await first.promise; // the older request has read its column and waits at its step
    expect(changes.pendingType(version.hash, 0)).toBe('text');
    const newer = changes.change(version, 0, 'categorical');
    expect(changes.pendingType(version.hash, 0)).toBe('categorical');
    await newer;
    held.resolve();
    await older;
    const after = (await getVersion(version.hash))!;
    expect(after.schema[0]!.type).toBe('categorical');
    expect(after.profile.columnProfiles[0]!.top[0]).toEqual({ value: '2', count: 2 });
    expect(changes.error).toBeNull(); // a superseded request is not an error
    expect(changes.pendingType(version.hash, 0)).toBeUndefined();
    expect(worker.calls).toEqual([`${version.hash}:0#1:text`, `${version.hash}:0#2:categorical`]);
    expect(worker.outcomes).toEqual(['2:answered', '1:Superseded']);
  });

  it('drops an answer that arrives after a newer choice began, even when the worker had finished it', async () => {
    const version = await stored();
    const changes = new ColumnTypeChanges(async () => {});
    let saves = 0;
    worker.beforeSave = async () => void saves++;
    // The worker answers the older request, but the answer is still on its way when the newer begins.
    const answered = deferred();
    const release = deferred();
    worker.afterAnswer = async ({ requestId }) => {
      if (requestId !== '1') return;
      answered.resolve();
      await release.promise;
    };
    const older = changes.change(version, 2, 'text');
    await answered.promise;
    await changes.change(version, 2, 'integer');
    release.resolve();
    await older;
    expect(worker.outcomes).toEqual(['1:answered', '2:answered']);
    const after = (await getVersion(version.hash))!;
    expect(after.schema[2]!.type).toBe('integer');
    expect(after.profile.columnProfiles[2]!.numeric).toBeDefined();
    expect(saves).toBe(1);
  });

  it('changes of different columns run side by side and both are stored', async () => {
    const version = await stored();
    const changes = new ColumnTypeChanges(async () => {});
    await Promise.all([changes.change(version, 0, 'categorical'), changes.change(version, 1, 'text')]);
    const after = (await getVersion(version.hash))!;
    expect(after.schema.map((c) => c.type)).toEqual(['categorical', 'text', 'numeric']);
  });

  it('a full disk says so in the app storage words and leaves the stored version as it was', async () => {
    const version = await stored();
    const before = await database().versions.get(version.hash);
    const changes = new ColumnTypeChanges(async () => {});
    worker.beforeSave = async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    await changes.change(version, 1, 'text');
    expect(changes.error).toMatch(/^The type of "city" could not be changed: Not enough browser storage to keep the column's new profile\. Nothing was stored\./);
    expect(await database().versions.get(version.hash)).toEqual(before);
    expect(changes.pendingType(version.hash, 1)).toBeUndefined();
  });
});
