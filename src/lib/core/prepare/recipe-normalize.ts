/**
 * Recipes read back from storage or a shared notebook: each step's shape is
 * checked and a malformed step is dropped (never a crash); and the step a
 * menu adds, with its defaults.
 */
import type { AggregateFn, GroupSummarySpec, PrepareStep, Recipe, StepKind } from './recipe';
import { uniqueName, type RecipeColumn } from './recipe-values';

/** Every step kind, in the order of the "Add step" menu. */
export const STEP_KINDS: readonly StepKind[] = ['drop', 'rename', 'cast', 'filter', 'fill-missing', 'drop-missing', 'derive', 'dedupe', 'bin', 'join'];

export const AGGREGATE_FNS: readonly AggregateFn[] = ['count', 'mean', 'sum', 'min', 'max'];

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isStepKind(v: unknown): v is StepKind {
  return typeof v === 'string' && (STEP_KINDS as readonly string[]).includes(v);
}

/** A step rebuilt from its known fields, or null when a field is missing or of the wrong type. */
export function normalizeStep(raw: unknown): PrepareStep | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  if (!isStepKind(o.kind)) return null;
  const str = (k: string): k is string => typeof o[k] === 'string';
  switch (o.kind) {
    case 'drop':
    case 'drop-missing':
    case 'dedupe':
      return isStringArray(o.columns) ? { kind: o.kind, columns: [...o.columns] } : null;
    case 'rename':
      return str('from') && str('to') ? { kind: 'rename', from: o.from as string, to: o.to as string } : null;
    case 'cast':
      return str('column') && (o.to === 'number' || o.to === 'text') ? { kind: 'cast', column: o.column as string, to: o.to } : null;
    case 'filter':
      return str('expression') ? { kind: 'filter', expression: o.expression as string } : null;
    case 'derive':
      return str('name') && str('expression') ? { kind: 'derive', name: o.name as string, expression: o.expression as string } : null;
    case 'fill-missing': {
      const method = o.method;
      if (!str('column') || (method !== 'value' && method !== 'mean' && method !== 'median' && method !== 'mode')) return null;
      const v = o.value;
      const valueOk = typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
      if (v !== undefined && !valueOk) return null;
      const step: PrepareStep = { kind: 'fill-missing', column: o.column as string, method };
      if (valueOk) step.value = v as string | number;
      return step;
    }
    case 'bin': {
      const { bins, method } = o;
      if (!str('column') || !str('name') || typeof bins !== 'number' || !Number.isFinite(bins)) return null;
      if (method !== 'equal-width' && method !== 'quantile') return null;
      return { kind: 'bin', column: o.column as string, name: o.name as string, bins, method };
    }
    case 'join': {
      if (!str('versionHash') || !isStringArray(o.on) || (o.how !== 'inner' && o.how !== 'left')) return null;
      return { kind: 'join', versionHash: o.versionHash as string, on: [...o.on], how: o.how };
    }
  }
}

/** A stored recipe with its malformed steps dropped ({ steps: [] } for anything that is not a recipe). */
export function normalizeRecipe(raw: unknown): Recipe {
  const steps = raw && typeof raw === 'object' ? (raw as { steps?: unknown }).steps : undefined;
  if (!Array.isArray(steps)) return { steps: [] };
  return { steps: steps.map(normalizeStep).filter((s): s is PrepareStep => s !== null) };
}

/** A stored group-by preview, its malformed aggregates dropped; null when it is not one. */
export function normalizeGroupSummary(raw: unknown): GroupSummarySpec | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  if (!isStringArray(o.by)) return null;
  const aggregates: GroupSummarySpec['aggregates'] = [];
  if (Array.isArray(o.aggregates)) {
    for (const a of o.aggregates as unknown[]) {
      const agg = a && typeof a === 'object' ? (a as Record<string, unknown>) : {};
      if (typeof agg.column === 'string' && typeof agg.fn === 'string' && (AGGREGATE_FNS as readonly string[]).includes(agg.fn)) {
        aggregates.push({ column: agg.column, fn: agg.fn as AggregateFn });
      }
    }
  }
  return { by: [...o.by], aggregates };
}

/**
 * The step the menu adds, given the current columns (names, or names with
 * kinds): it starts on the first column that fits (a number column for bin,
 * median for a number column's missing values, the mode for text). Steps
 * that need the user's choice (columns to drop, a condition, a joined
 * version) start empty, and the check says what is missing.
 */
export function stepDefaults(kind: StepKind, columns: readonly (string | RecipeColumn)[]): PrepareStep {
  const cols = columns.map((c) => (typeof c === 'string' ? { name: c, kind: null } : c));
  const names = cols.map((c) => c.name);
  const first = cols[0];
  const firstNumber = cols.find((c) => c.kind === 'number') ?? first;
  switch (kind) {
    case 'drop':
    case 'drop-missing':
    case 'dedupe':
      return { kind, columns: [] };
    case 'rename':
      return { kind: 'rename', from: first?.name ?? '', to: first ? uniqueName(`${first.name}_renamed`, names) : '' };
    case 'cast':
      return { kind: 'cast', column: first?.name ?? '', to: first?.kind === 'number' ? 'text' : 'number' };
    case 'filter':
      return { kind: 'filter', expression: '' };
    case 'fill-missing':
      return { kind: 'fill-missing', column: first?.name ?? '', method: first?.kind === 'text' ? 'mode' : 'median' };
    case 'derive':
      return { kind: 'derive', name: uniqueName('new_column', names), expression: '' };
    case 'bin':
      return { kind: 'bin', column: firstNumber?.name ?? '', name: firstNumber ? uniqueName(`${firstNumber.name}_bin`, names) : 'bin', bins: 4, method: 'equal-width' };
    case 'join':
      return { kind: 'join', versionHash: '', on: [], how: 'left' };
  }
}
