import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './fresh-db';
import { countRecords, getVersion, saveImport } from '../../../src/lib/storage/datasets';
import type { Derivation } from '../../../src/lib/storage/records';
import { importText } from '../helpers';

useFreshDatabase();

const INPUT = 'id,age\n1,30\n2,\n3,45\n';
const PREPARED = 'id,age\n1,30\n3,45\n';

function derivationOf(parent: string, recipeHash: string): Derivation {
  return { parents: [parent], recipe: { steps: [{ kind: 'drop-missing', columns: ['age'] }] }, recipeHash };
}

describe('saveImport with a derivation', () => {
  it('writes the derivation on a new version, and none on an imported file', async () => {
    const input = await saveImport(await importText(INPUT, 'people.csv'), 'people');
    const derivation = derivationOf(input.version.hash, 'r'.repeat(64));
    const out = await saveImport(await importText(PREPARED, 'people-prepared.csv'), 'people-prepared', undefined, derivation);
    expect(out.status).toBe('created');
    expect(out.dataset.name).toBe('people-prepared');
    const stored = await getVersion(out.version.hash);
    expect(stored?.derivation).toEqual(derivation);
    expect((await getVersion(input.version.hash))?.derivation).toBeUndefined();
  });

  it('returns an existing version untouched: the same bytes store nothing new', async () => {
    const input = await saveImport(await importText(INPUT, 'people.csv'), 'people');
    const first = await saveImport(await importText(PREPARED, 'a.csv'), 'people-prepared', undefined, derivationOf(input.version.hash, 'a'.repeat(64)));
    const before = await countRecords();
    const again = await saveImport(await importText(PREPARED, 'b.csv'), 'other-name', undefined, derivationOf(input.version.hash, 'b'.repeat(64)));
    expect(again.status).toBe('existing');
    expect(again.version.hash).toBe(first.version.hash);
    expect(again.dataset.name).toBe('people-prepared');
    expect(await countRecords()).toEqual(before);
    expect((await getVersion(first.version.hash))?.derivation?.recipeHash).toBe('a'.repeat(64));
  });
});
