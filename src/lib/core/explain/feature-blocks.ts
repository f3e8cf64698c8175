/**
 * Which columns of a model's encoded matrix belong to which input feature:
 * a numeric or boolean column is one matrix column, a categorical one its
 * one-hot block (kept categories and `__other`), a datetime one its date
 * parts; a missing indicator follows its column's block. Permuting or
 * setting a feature changes its whole block together.
 */
import { transformRecords, type FittedColumn, type PreprocessSpec } from '../training';

/** One input feature's matrix columns: [start, end). */
export interface FeatureBlock {
  feature: string;
  type: Exclude<FittedColumn['type'], 'text'>;
  start: number;
  end: number;
}

/** The matrix width of one fitted column (0 for an excluded text column). */
function widthOf(col: FittedColumn): number {
  const extra = col.type !== 'text' && col.indicator ? 1 : 0;
  switch (col.type) {
    case 'text':
      return 0;
    case 'numeric':
    case 'integer':
    case 'boolean':
      return 1 + extra;
    case 'categorical':
      return col.categories.length + 1 + extra;
    case 'datetime':
      return col.parts.length + extra;
  }
}

/**
 * The block of every used input column, in matrix order.
 * @throws Error when the blocks do not add up to the spec's feature names (a spec from elsewhere)
 */
export function featureBlocks(spec: PreprocessSpec): FeatureBlock[] {
  const out: FeatureBlock[] = [];
  let at = 0;
  for (const col of spec.columns) {
    if (col.type === 'text') continue;
    const w = widthOf(col);
    out.push({ feature: col.name, type: col.type, start: at, end: at + w });
    at += w;
  }
  if (at !== spec.featureNames.length) {
    throw new Error(`The model's preprocessing has ${spec.featureNames.length} features, but its columns add up to ${at}.`);
  }
  return out;
}

/**
 * The encoded block of `feature` when its raw value is `value` (as a CSV
 * string), through the model's own preprocessing: scaling, one-hot and the
 * missing indicator (0, the value is present) exactly as training encoded it.
 */
export function encodeValue(spec: PreprocessSpec, block: FeatureBlock, value: string): Float32Array {
  const m = transformRecords(spec, [new Map([[block.feature, value]])]);
  return m.x.slice(block.start, block.end);
}
