import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { classifyLaunchFile, kindByName, zipEntryNames, zipKind } from '../../../../src/lib/core/backup';

const blob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);
const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));

describe('launch-file routing', () => {
  it('routes by name and type', () => {
    expect(kindByName('heart.CSV')).toBe('csv');
    expect(kindByName('data', 'text/csv')).toBe('csv');
    expect(kindByName('model.zip')).toBe('zip');
    expect(kindByName('notes.txt', 'text/plain')).toBe('unsupported');
  });

  it('lists zip entries from the directory at the end, and refuses non-zips', async () => {
    expect(await zipEntryNames(blob(zip({ 'labbook-manifest.json': '{}', 'notebooks/a.json': '{}' })))).toEqual(['labbook-manifest.json', 'notebooks/a.json']);
    expect(await zipEntryNames(blob(strToU8('age,sex\n1,2\n')))).toBeNull();
  });

  it('a root labbook-manifest.json makes a Labbook archive; a nested one does not', () => {
    expect(zipKind(['labbook-manifest.json', 'x'])).toBe('labbook-archive');
    expect(zipKind(['backup/labbook-manifest.json'])).toBe('model-bundle');
    expect(zipKind(['manifest.json', 'bundle.json'])).toBe('model-bundle');
  });

  it('classifies files end to end, reading bytes only for zips', async () => {
    let reads = 0;
    const bytesOf = (b: Uint8Array) => () => {
      reads++;
      return zipEntryNames(blob(b));
    };
    expect(await classifyLaunchFile({ name: 'heart.csv' }, bytesOf(new Uint8Array()))).toBe('csv');
    expect(reads).toBe(0);
    expect(await classifyLaunchFile({ name: 'backup.zip' }, bytesOf(zip({ 'labbook-manifest.json': '{}' })))).toBe('labbook-archive');
    expect(await classifyLaunchFile({ name: 'model.zip' }, bytesOf(zip({ 'manifest.json': '{}' })))).toBe('model-bundle');
    expect(await classifyLaunchFile({ name: 'broken.zip' }, bytesOf(strToU8('not a zip')))).toBe('model-bundle');
    expect(await classifyLaunchFile({ name: 'photo.png', type: 'image/png' }, bytesOf(new Uint8Array()))).toBe('unsupported');
    expect(reads).toBe(3);
  });
});
