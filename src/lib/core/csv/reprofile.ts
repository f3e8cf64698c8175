/**
 * Reading one column back from its stored chunks, and re-profiling it under
 * a type the user chose. Pure: Blobs in, plain objects out.
 */
import { decodeColumn } from './columnar';
import { profileColumn } from './profile';
import {
  NEVER_CANCELLED,
  type CancelToken,
  type ChunkLayout,
  type ColumnData,
  type ColumnProfile,
  type ColumnType,
  type RequestIdentity,
  type StorageKind,
} from '../common';

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

/** What a re-profile needs: the stored column, its name, the type to profile it as. */
export type ReprofileRequest = StoredColumnRef & { name: string; type: ColumnType; rows: number };

/**
 * The column's profile as if it had type `type`. A newer request for the same column
 * (see `reprofileKey`) stops this one between reading and profiling, with Superseded.
 */
export async function reprofileColumn(ref: ReprofileRequest, token: CancelToken = NEVER_CANCELLED): Promise<ColumnProfile> {
  const data = await readColumn(ref);
  await token.step();
  const profile = profileColumn(ref.name, ref.type, data, ref.rows);
  token.check();
  return profile;
}

/** The identity of a re-profile: its key is the column of a dataset version, so a newer type for it supersedes. */
export function reprofileKey(hash: string, columnIndex: number): RequestIdentity['key'] {
  return `${hash}:${columnIndex}`;
}
