/**
 * A train config from a dataset version's columns: the task a target
 * suggests, the default features (identifiers and free text left out), the
 * config a new train cell starts from, and the change of target. Pure.
 */
import type { ColumnSchema } from '../common';
import { defaultTrainConfig, type Task, type TrainConfig } from './train-config';

/** The task a target column suggests: classes for booleans and categories and small integer sets, else regression. */
export function inferTask(column: ColumnSchema, distinct: number): Task {
  if (column.type === 'boolean') return 'binary';
  if (column.type === 'categorical' || column.type === 'text') return distinct <= 2 ? 'binary' : 'multiclass';
  if (column.type === 'integer' && distinct <= 20) return distinct <= 2 ? 'binary' : 'multiclass';
  return 'regression';
}

/** Default features: every column except the target and identifiers / free text. */
export function defaultFeatures(schema: readonly ColumnSchema[], target: string): string[] {
  return schema.filter((c) => c.name !== target && c.type !== 'text').map((c) => c.name);
}

/** What the form knows about a dataset version's columns. */
export interface ColumnFacts {
  schema: ColumnSchema;
  /** Distinct non-missing values. */
  unique: number;
  /** Non-missing values. */
  count: number;
}

/** An identifier: text, or an integer / categorical column whose every value is different (a row number, a patient id). */
export function isIdentifier(c: ColumnFacts): boolean {
  if (c.schema.type === 'text') return true;
  return (c.schema.type === 'integer' || c.schema.type === 'categorical') && c.count > 20 && c.unique === c.count;
}

/**
 * The config a train cell starts from for a dataset version: the given
 * target (else the first two-valued column, else the last column), its task
 * inferred, every non-identifier column as a feature, and the other settings
 * kept from `previous` (or the defaults).
 */
export function configForDataset(datasetHash: string, columns: readonly ColumnFacts[], target: string | null, previous: TrainConfig | null): TrainConfig {
  const byName = new Map(columns.map((c) => [c.schema.name, c]));
  const chosen =
    (target && byName.get(target)) ||
    columns.find((c) => !isIdentifier(c) && c.unique === 2) ||
    columns[columns.length - 1];
  const name = chosen?.schema.name ?? '';
  const task = chosen ? inferTask(chosen.schema, chosen.unique) : 'binary';
  const features = columns.filter((c) => c.schema.name !== name && !isIdentifier(c)).map((c) => c.schema.name);
  const fresh = defaultTrainConfig(datasetHash, name, task, features);
  if (!previous) return fresh;
  return { ...previous, datasetHash, target: name, task, features };
}

/** The config after the user picks another target: task re-inferred, the new target taken out of the features and the old one put back. */
export function withTarget(config: TrainConfig, columns: readonly ColumnFacts[], target: string): TrainConfig {
  const chosen = columns.find((c) => c.schema.name === target);
  // Picking the current target again changes nothing (it must not come back as a feature).
  if (!chosen || target === config.target) return config;
  const old = columns.find((c) => c.schema.name === config.target);
  const features = config.features.filter((f) => f !== target);
  if (old && !isIdentifier(old) && !features.includes(old.schema.name)) features.push(old.schema.name);
  const order = new Map(columns.map((c, i) => [c.schema.name, i]));
  features.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return { ...config, target, task: inferTask(chosen.schema, chosen.unique), features };
}
