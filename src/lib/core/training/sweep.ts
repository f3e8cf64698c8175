/**
 * Hyperparameter sweeps: grid or seeded random search over chosen fields of
 * the run config, within a budget of runs. Axes are described by the same
 * TRAIN_FIELDS entries the form uses, so a sweep value is parsed and
 * validated exactly like a value typed into the form.
 */
import { Rng, deriveSeed, seededShuffle, type ColumnSchema } from '../common';
import { fieldOf, parseUnits, validateTrainConfig, type TrainConfig } from './train-config';

export type SweepMethod = 'grid' | 'random';

/** One swept field and the values it takes. */
export interface SweepAxis {
  key: keyof TrainConfig;
  values: unknown[];
}

export interface SweepSpec {
  method: SweepMethod;
  axes: SweepAxis[];
  /** At most this many runs. */
  budget: number;
  seed: number;
}

/** Every combination of the axes' values, the first axis varying slowest (like itertools.product). */
export function expandGrid(axes: readonly SweepAxis[]): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const axis of axes) {
    const next: Record<string, unknown>[] = [];
    for (const partial of out) for (const v of axis.values) next.push({ ...partial, [axis.key]: v });
    out = next;
  }
  return axes.length === 0 ? [] : out;
}

/** The number of grid combinations (without building them). */
export function gridSize(axes: readonly SweepAxis[]): number {
  return axes.length === 0 ? 0 : axes.reduce((n, a) => n * a.values.length, 1);
}

/**
 * `budget` distinct combinations drawn at random with a seeded generator:
 * the same spec gives the same trials. When the grid has no more than
 * `budget` combinations, it is the whole grid in a seeded order.
 */
export function sampleRandom(axes: readonly SweepAxis[], budget: number, seed: number): Record<string, unknown>[] {
  const size = gridSize(axes);
  if (size === 0 || budget <= 0) return [];
  const rng = new Rng(deriveSeed(seed, 'sweep'));
  if (size <= Math.max(budget, 10_000)) {
    // Small enough to enumerate: a seeded shuffle of the grid, cut to the budget (no repeats).
    const order = seededShuffle(Array.from({ length: size }, (_, i) => i), rng).slice(0, Math.min(budget, size));
    const grid = expandGrid(axes);
    return order.map((i) => grid[i]!);
  }
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  while (out.length < budget) {
    const pick = axes.map((a) => rng.int(a.values.length));
    const key = pick.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(Object.fromEntries(axes.map((a, i) => [a.key, a.values[pick[i]!]])));
  }
  return out;
}

export interface SweepPlan {
  configs: TrainConfig[];
  /** For the screen: "12 of 36 grid combinations (the budget)". */
  note: string;
}

/**
 * The configs of a sweep, each the base config with one combination applied
 * (the seed of every run stays the base seed, so runs differ only in the swept
 * values). A grid larger than the budget is cut to the budget, in grid order.
 * @throws Error naming the first combination the config validation rejects.
 */
export function planSweep(base: TrainConfig, spec: SweepSpec, schema: readonly ColumnSchema[] | null): SweepPlan {
  if (!Number.isInteger(spec.budget) || spec.budget < 1) throw new Error('The budget must be a whole number of runs, at least 1.');
  if (spec.axes.length === 0) throw new Error('Choose at least one setting to sweep.');
  for (const axis of spec.axes) {
    if (axis.values.length === 0) throw new Error(`Give at least one value for ${fieldOf(axis.key).label}.`);
  }
  const size = gridSize(spec.axes);
  const combos = spec.method === 'grid' ? expandGrid(spec.axes).slice(0, spec.budget) : sampleRandom(spec.axes, spec.budget, spec.seed);
  const configs = combos.map((c) => applyTrial(base, c));
  for (const [i, config] of configs.entries()) {
    const issues = validateTrainConfig(config, schema);
    if (issues.length > 0) throw new Error(`Run ${i + 1} of the sweep is not a valid config: ${issues[0]!.message}`);
  }
  const note =
    spec.method === 'grid'
      ? size > spec.budget
        ? `${configs.length} of ${size} grid combinations (the budget), in grid order.`
        : `All ${size} grid combinations.`
      : `${configs.length} random combinations of ${size} (seed ${spec.seed}).`;
  return { configs, note };
}

/** Settings that only mini-batch training reads. */
const MINIBATCH_KEYS: ReadonlySet<string> = new Set(['optimizer', 'learningRate', 'epochs', 'batchSize', 'earlyStopping', 'patience', 'monitor', 'autoBudget', 'maxMinutes']);

/**
 * The base config with one trial's values: a swept mini-batch setting makes a
 * linear model train in mini-batches (else the value would be ignored), and a
 * swept epoch count or batch size turns the automatic budget off.
 */
export function applyTrial(base: TrainConfig, values: Record<string, unknown>): TrainConfig {
  const config = { ...base, ...values } as TrainConfig;
  const keys = Object.keys(values);
  if (config.model === 'linear' && keys.some((k) => MINIBATCH_KEYS.has(k))) config.solver = 'minibatch';
  if (keys.includes('epochs') || keys.includes('batchSize')) config.autoBudget = false;
  return config;
}

/**
 * Parses the values typed for an axis, by the field's kind: numbers
 * separated by commas ("0.001, 0.01, 0.1"); hidden layers separated by
 * semicolons ("64; 64, 64; 128, 32"); choices by commas.
 * @throws Error with a message for the screen on a value the field does not take.
 */
export function parseAxisValues(key: keyof TrainConfig, text: string): unknown[] {
  const field = fieldOf(key);
  const parts = (field.kind === 'units' ? text.split(';') : text.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new Error(`Give at least one value for ${field.label}.`);
  const values = parts.map((p): unknown => {
    switch (field.kind) {
      case 'number': {
        const v = Number(p);
        if (!Number.isFinite(v)) throw new Error(`${field.label}: “${p}” is not a number.`);
        if (field.integer && !Number.isInteger(v)) throw new Error(`${field.label}: ${p} is not a whole number.`);
        if ((field.minExclusive ? v <= field.min : v < field.min) || v > field.max) {
          throw new Error(`${field.label}: ${p} is outside ${field.minExclusive ? '(' : '['}${field.min}, ${field.max}].`);
        }
        return v;
      }
      case 'units': {
        const units = parseUnits(p);
        if (units.length === 0 || units.length > field.maxLayers || !units.every((u) => Number.isInteger(u) && u >= field.minUnits && u <= field.maxUnits)) {
          throw new Error(`${field.label}: “${p}” is not a list of up to ${field.maxLayers} layers of ${field.minUnits} to ${field.maxUnits} units.`);
        }
        return units;
      }
      case 'choice':
        if (!field.options.some((o) => o.value === p)) throw new Error(`${field.label}: “${p}” is not one of ${field.options.map((o) => o.value).join(', ')}.`);
        return p;
      case 'boolean':
        if (p !== 'true' && p !== 'false') throw new Error(`${field.label}: use true or false.`);
        return p === 'true';
      default:
        throw new Error(`${field.label} cannot be swept.`);
    }
  });
  // Duplicates would only repeat runs.
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
