import { describe, expect, it } from 'vitest';
import {
  ArchiveError,
  backupFileName,
  canonical,
  checkAgainstManifest,
  decodeRecord,
  describeReport,
  emptyReport,
  encodeRecord,
  parseManifest,
  type Manifest,
} from '../../../../src/lib/core/backup';

const manifest: Manifest = {
  format: 'labbook-workspace',
  formatVersion: 1,
  appVersion: '0.1.0',
  createdAt: 0,
  files: [
    { path: 'versions/h1/0.bin', bytes: 3, sha256: 'aa' },
    { path: 'versions/h1/record.json', bytes: 10, sha256: 'bb' },
  ],
  counts: { versions: 1 },
};

describe('manifest', () => {
  it('accepts the entries it lists', () => {
    expect(() => checkAgainstManifest(manifest, manifest.files)).not.toThrow();
  });
  it('names a tampered entry', () => {
    expect(() => checkAgainstManifest(manifest, [{ ...manifest.files[0]!, sha256: 'cc' }, manifest.files[1]!])).toThrow(
      'versions/h1/0.bin does not match its SHA-256 in the manifest.',
    );
  });
  it('names a missing and an extra entry', () => {
    expect(() => checkAgainstManifest(manifest, [manifest.files[0]!])).toThrow('versions/h1/record.json is listed in the manifest but missing from the archive.');
    expect(() => checkAgainstManifest(manifest, [...manifest.files, { path: 'x.bin', bytes: 1, sha256: 'dd' }])).toThrow('x.bin is in the archive but not in its manifest.');
  });
  it('refuses another format version or bad JSON', () => {
    expect(() => parseManifest(JSON.stringify({ ...manifest, formatVersion: 2 }))).toThrow(/format version 2/);
    expect(() => parseManifest('{')).toThrow(ArchiveError);
    expect(parseManifest(JSON.stringify(manifest)).format).toBe('labbook-workspace');
  });
});

describe('record encoding', () => {
  it('moves Blobs and typed arrays to entries and keeps NaN and Infinity', async () => {
    const record = { id: 'r', blob: new Blob(['xyz']), scores: new Float32Array([0.5, 1.5]), nan: NaN, inf: -Infinity, nested: [{ a: 1 }] };
    const { data, parts } = encodeRecord(record, 'runs/r');
    expect(parts.map((p) => p.path)).toEqual(['runs/r/0.bin', 'runs/r/1.bin']);
    const json = JSON.parse(JSON.stringify(data)) as unknown;
    const bytes = new Map<string, Uint8Array>([
      ['runs/r/0.bin', new TextEncoder().encode('xyz')],
      ['runs/r/1.bin', new Uint8Array(new Float32Array([0.5, 1.5]).buffer)],
    ]);
    const back = decodeRecord(json, (p) => bytes.get(p)!) as typeof record;
    expect(await back.blob.text()).toBe('xyz');
    expect(Array.from(back.scores)).toEqual([0.5, 1.5]);
    expect(back.scores).toBeInstanceOf(Float32Array);
    expect(back.nan).toBeNaN();
    expect(back.inf).toBe(-Infinity);
    expect(back.nested).toEqual([{ a: 1 }]);
    expect(canonical(encodeRecord(back, 'elsewhere').data)).toBe(canonical(data));
  });
});

describe('report and names', () => {
  it('says what was added, already there, kept and refused', () => {
    const r = emptyReport('labbook-workspace');
    r.added = { notebooks: 1, versions: 2, runs: 14 };
    r.alreadyHad = { models: 1 };
    r.keptYours = [{ table: 'notebooks', key: '“Churn”' }];
    r.refused = [{ table: 'datasets', key: 'churn', why: 'a different dataset named “churn” already exists here' }];
    expect(describeReport(r)).toBe(
      'Added 1 notebook, 2 dataset versions, 14 runs; already had 1 model; kept yours: notebook “Churn”; refused: dataset churn (a different dataset named “churn” already exists here).',
    );
  });
  it('names a backup by its local date and time', () => {
    expect(backupFileName(new Date(2026, 0, 5, 9, 7))).toBe('labbook-backup-2026-01-05-0907.zip');
  });
});
