import { describe, expect, it } from 'vitest';
import {
  ALIAS_MESSAGE,
  ALIAS_PATTERN,
  MODEL_NAME_MAX_LENGTH,
  MODEL_NAME_MESSAGE,
  bundleFileName,
  isValidAlias,
  normalizeModelName,
  suggestedModelName,
  LINEAGE_JSON,
} from '../../../../src/lib/core/models';

const enc = new TextEncoder();
const lineageFile = (value: unknown) => ({ path: LINEAGE_JSON, bytes: enc.encode(JSON.stringify(value)) });

describe('model names', () => {
  it('trims a name and keeps 1 to 64 characters', () => {
    expect(normalizeModelName('  heart risk ')).toBe('heart risk');
    expect(normalizeModelName('x'.repeat(MODEL_NAME_MAX_LENGTH))).toBe('x'.repeat(64));
    // 64 emoji are 128 UTF-16 units but 64 characters.
    expect(normalizeModelName('🫀'.repeat(64))).toBe('🫀'.repeat(64));
  });

  it('refuses a blank name or one longer than 64 characters', () => {
    expect(() => normalizeModelName('   ')).toThrow(MODEL_NAME_MESSAGE);
    expect(() => normalizeModelName('')).toThrow(MODEL_NAME_MESSAGE);
    expect(() => normalizeModelName('x'.repeat(65))).toThrow(MODEL_NAME_MESSAGE);
    expect(MODEL_NAME_MESSAGE).toBe('A model name needs 1 to 64 characters.');
  });
});

describe('aliases', () => {
  it('accepts a lower-case letter then up to 31 lower-case letters, digits, "-" or "_"', () => {
    for (const ok of ['champion', 'c', 'prod-2', 'a_b', 'a' + 'b'.repeat(31)]) expect(isValidAlias(ok)).toBe(true);
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'Champion', '2nd', '-x', '_x', 'with space', 'é', 'a' + 'b'.repeat(32), 'x/y']) {
      expect(isValidAlias(bad)).toBe(false);
    }
    expect(ALIAS_PATTERN.source).toBe('^[a-z][a-z0-9_-]{0,31}$');
    expect(ALIAS_MESSAGE).toMatch(/lower-case letter/);
  });
});

describe('bundle file names', () => {
  it('names the .zip after the model, its number and the first 12 hex digits of the id', () => {
    expect(bundleFileName('heart risk', 3, 'abcdef0123456789'.repeat(4))).toBe('heart_risk-v3-abcdef012345.zip');
    expect(bundleFileName('../../étoile', 1, 'f'.repeat(64))).toBe('toile-v1-ffffffffffff.zip');
    expect(bundleFileName('///', 1, 'f'.repeat(64))).toBe('model-v1-ffffffffffff.zip');
    expect(bundleFileName('-rf v2.1', 2, 'a'.repeat(64))).toBe('rf_v2.1-v2-aaaaaaaaaaaa.zip');
  });
});

describe('suggested model name of an imported bundle', () => {
  it("takes the exporter's name first", () => {
    expect(suggestedModelName({ model: { name: 'heart', version: 3 }, files: [lineageFile({ config: { target: 'sick' } })] })).toBe('heart');
  });

  it('else "<target> model" from lineage.json, at most 64 characters', () => {
    expect(suggestedModelName({ model: null, files: [lineageFile({ config: { target: ' sick ' } })] })).toBe('sick model');
    const long = suggestedModelName({ model: null, files: [lineageFile({ config: { target: 't'.repeat(80) } })] });
    expect(long).toBe('t'.repeat(64));
    expect(normalizeModelName(long)).toBe(long);
  });

  it('else "Imported model" when lineage.json is missing, unreadable or names no target', () => {
    expect(suggestedModelName({ model: null, files: [] })).toBe('Imported model');
    expect(suggestedModelName({ model: null, files: [{ path: LINEAGE_JSON, bytes: enc.encode('{not json') }] })).toBe('Imported model');
    expect(suggestedModelName({ model: null, files: [lineageFile(null)] })).toBe('Imported model');
    expect(suggestedModelName({ model: null, files: [lineageFile({ config: { target: '  ' } })] })).toBe('Imported model');
  });
});
