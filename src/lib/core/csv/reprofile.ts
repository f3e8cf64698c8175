/**
 * Reading one column back from its stored chunks, and re-profiling it under
 * a type the user chose. Pure: Blobs in, plain objects out.
 */
import { decodeColumn } from './columnar';
import { profileColumn } from './profile';
import type { ChunkLayout, ColumnData, ColumnProfile, ColumnType, StorageKind } from '../common';

export interface StoredColumnRef {
  chunks: { layout: ChunkLayout; blob: Blob }[];
  dictBlob: Blob;
  columnIndex: number;
  storage: StorageKind;
}

/** Reassembles a column from the chunk Blobs (reading only its byte ranges). */
export async function readColumn(ref: StoredColumnRef): Promise<ColumnData> {
  const slices = await Promise.all(
    ref.chunks.map(async ({ layout, blob }) => {
      const slice = layout.columns[ref.columnIndex];
      if (!slice) throw new Error(`Column ${ref.columnIndex} is missing from a stored chunk`);
      const bytes = await blob.slice(slice.offset, slice.offset + slice.byteLength).arrayBuffer();
      return { layout: slice, bytes };
    }),
  );
  let dict: string[] | undefined;
  if (ref.storage === 'dict') {
    const dicts = JSON.parse(await ref.dictBlob.text()) as string[][];
    dict = dicts[ref.columnIndex] ?? [];
  }
  return decodeColumn(slices, ref.storage, dict);
}

/** The column's profile as if it had type `type`. */
export async function reprofileColumn(
  ref: StoredColumnRef & { name: string; type: ColumnType; rows: number },
): Promise<ColumnProfile> {
  const data = await readColumn(ref);
  return profileColumn(ref.name, ref.type, data, ref.rows);
}
