/**
 * A recipe in words, one line per step ("Keep rows where BMI > 25", "Fill
 * missing SleepTime with the median", "Join heart-extra v1 on id (left)"),
 * for the cell's step list and a prepared version's lineage.
 */
import type { PrepareStep, Recipe } from './recipe';
import { defaultVersionLabel, type VersionLabel } from './recipe-check';

/** "A", "A and B", "A, B and C" (or "A or B"). */
function list(names: readonly string[], joiner = 'and'): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} ${joiner} ${names[names.length - 1]}`;
}

const FILL_WORDS = { mean: 'the mean', median: 'the median', mode: 'the most common value' } as const;

/** One step as a readable line. `versionLabel` names a joined version ("heart-extra v1"). */
export function describeStep(step: PrepareStep, versionLabel: VersionLabel = defaultVersionLabel): string {
  switch (step.kind) {
    case 'drop':
      return step.columns.length === 0 ? 'Drop columns (none chosen)' : `Drop column${step.columns.length > 1 ? 's' : ''} ${list(step.columns)}`;
    case 'rename':
      return `Rename ${step.from} to ${step.to}`;
    case 'cast':
      return `Cast ${step.column} to ${step.to === 'number' ? 'numbers' : 'text'}`;
    case 'filter':
      return step.expression.trim() === '' ? 'Keep rows where … (no condition yet)' : `Keep rows where ${step.expression.trim()}`;
    case 'fill-missing': {
      if (step.method !== 'value') return `Fill missing ${step.column} with ${FILL_WORDS[step.method]}`;
      const v = step.value;
      return `Fill missing ${step.column} with ${typeof v === 'string' ? `“${v}”` : v === undefined ? '… (no value yet)' : String(v)}`;
    }
    case 'drop-missing':
      return step.columns.length === 0 ? 'Drop rows with any missing value' : `Drop rows with a missing ${list(step.columns, 'or')}`;
    case 'derive':
      return `Add column ${step.name} = ${step.expression.trim() === '' ? '…' : step.expression.trim()}`;
    case 'dedupe':
      return step.columns.length === 0 ? 'Remove duplicate rows' : `Remove rows that repeat ${list(step.columns)}`;
    case 'bin':
      return `Bin ${step.column} into ${step.bins} ${step.method === 'quantile' ? 'quantile' : 'equal-width'} bins as ${step.name}`;
    case 'join': {
      const what = step.versionHash === '' ? 'a dataset (none chosen)' : versionLabel(step.versionHash);
      const on = step.on.length === 0 ? '… (no key yet)' : list(step.on);
      return `Join ${what} on ${on} (${step.how})`;
    }
  }
}

/** The recipe as readable lines, one per step, in order. */
export function describeRecipe(recipe: Recipe, versionLabel?: VersionLabel): string[] {
  return recipe.steps.map((step) => describeStep(step, versionLabel));
}
