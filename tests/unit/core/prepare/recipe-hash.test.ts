import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, recipeCanonicalText, recipeHash, type Recipe } from '../../../../src/lib/core/prepare';

const parent = 'a'.repeat(64);
const recipe: Recipe = {
  steps: [
    { kind: 'filter', expression: 'BMI > 25' },
    { kind: 'fill-missing', column: 'SleepTime', method: 'median' },
  ],
};

describe('recipeHash', () => {
  it('hashes the canonical JSON: sorted keys, no whitespace, a format tag and version', () => {
    const text =
      '{"format":"labbook-recipe","parents":["' +
      parent +
      '"],"steps":[{"expression":"BMI > 25","kind":"filter"},{"column":"SleepTime","kind":"fill-missing","method":"median"}],"version":1}';
    expect(recipeCanonicalText(recipe, [parent])).toBe(text);
    return recipeHash(recipe, [parent]).then((hash) => {
      expect(hash).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    });
  });
  it('is the same whatever order the keys were written in, and on every run', async () => {
    const reordered = JSON.parse('{"steps":[{"expression":"BMI > 25","kind":"filter"},{"method":"median","kind":"fill-missing","column":"SleepTime"}]}') as Recipe;
    const a = await recipeHash(recipe, [parent]);
    expect(await recipeHash(reordered, [parent])).toBe(a);
    expect(await recipeHash(structuredClone(recipe), [parent])).toBe(a);
    // An absent optional field and an undefined one are the same recipe.
    const withUndefined: Recipe = { steps: [recipe.steps[0]!, { kind: 'fill-missing', column: 'SleepTime', method: 'median', value: undefined }] };
    expect(await recipeHash(withUndefined, [parent])).toBe(a);
  });
  it('changes with a step, the steps’ order, or a parent', async () => {
    const a = await recipeHash(recipe, [parent]);
    const changed: Recipe = { steps: [{ kind: 'filter', expression: 'BMI > 26' }, recipe.steps[1]!] };
    const swapped: Recipe = { steps: [recipe.steps[1]!, recipe.steps[0]!] };
    const hashes = [
      a,
      await recipeHash(changed, [parent]),
      await recipeHash(swapped, [parent]),
      await recipeHash(recipe, ['b'.repeat(64)]),
      await recipeHash(recipe, [parent, 'c'.repeat(64)]),
      await recipeHash({ steps: [] }, [parent]),
    ];
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
  it('writes canonical JSON for nested values', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x', u: undefined })).toBe('{"a":"x","b":[2,{"c":null,"d":1}]}');
  });
});
