/**
 * A recipe's identity: SHA-256 of a canonical JSON of the recipe and its
 * parent versions (input first, then joined ones), so the same recipe on the
 * same inputs always has the same hash, whatever order its keys were written
 * in, and any change to a step, the steps' order or a parent changes it.
 */
import { sha256Hex } from '../common';
import type { Recipe } from './recipe';

/** The format tag and version inside every hashed recipe (a new version changes every hash, deliberately). */
export const RECIPE_FORMAT = 'labbook-recipe';
export const RECIPE_FORMAT_VERSION = 1;

/**
 * JSON with object keys sorted (by UTF-16 code units) at every depth and no
 * whitespace. Undefined fields are left out, as JSON.stringify does; arrays
 * keep their order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** The canonical text that recipeHash hashes. */
export function recipeCanonicalText(recipe: Recipe, parentHashes: readonly string[]): string {
  return canonicalJson({ format: RECIPE_FORMAT, version: RECIPE_FORMAT_VERSION, parents: parentHashes, steps: recipe.steps });
}

/** SHA-256 (lower-case hex) of the recipe with its parents' hashes, in their order. */
export async function recipeHash(recipe: Recipe, parentHashes: readonly string[]): Promise<string> {
  return sha256Hex(new TextEncoder().encode(recipeCanonicalText(recipe, parentHashes)));
}
