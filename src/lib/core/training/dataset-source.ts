/**
 * Reading the columns a run needs from a stored dataset version: the chunk
 * Blobs and the dictionary Blob travel to the worker (a Blob is passed by
 * reference, not copied) and are decoded there, column by column.
 */
import { decodeColumn } from '../csv';
import type { DatasetSource } from './training';
import type { ColumnData, ColumnSchema } from '../common';

/** A decoded column with its schema entry. */
export interface SourceColumn {
  schema: ColumnSchema;
  data: ColumnData;
}

/**
 * Decodes the named columns of a dataset version, in the order asked.
 * @throws Error naming a column the version does not have, or when the
 * chunks do not add up to the version's row count.
 */
export async function decodeColumns(source: DatasetSource, names: readonly string[]): Promise<SourceColumn[]> {
  const byName = new Map(source.schema.map((c) => [c.name, c]));
  const wanted = names.map((n) => {
    const col = byName.get(n);
    if (!col) throw new Error(`The dataset version has no column “${n}”.`);
    return col;
  });
  const chunkBytes = await Promise.all(source.chunks.map((c) => c.blob.arrayBuffer()));
  const needsDict = wanted.some((c) => c.storage === 'dict');
  const dicts = needsDict ? (JSON.parse(await source.dictBlob.text()) as string[][]) : [];
  return wanted.map((schema) => {
    const slices = source.chunks.map(({ layout }, i) => {
      const slice = layout.columns[schema.index];
      if (!slice) throw new Error(`Column “${schema.name}” is missing from stored chunk ${i}.`);
      return { layout: slice, bytes: chunkBytes[i]! };
    });
    const data = decodeColumn(slices, schema.storage, schema.storage === 'dict' ? (dicts[schema.index] ?? []) : undefined);
    const length = data.kind === 'num' ? data.values.length : data.codes.length;
    if (length !== source.rows) {
      throw new Error(`Column “${schema.name}” has ${length} stored values, but the version has ${source.rows} rows.`);
    }
    return { schema, data };
  });
}
