/** Shapes of the stored records. Pure types, shared by storage and state. */
import type {
  ChunkLayout,
  ColumnSchema,
  DatasetProfile,
  Delimiter,
  HeaderRename,
  RaggedReport,
} from '../core/types';
import type { Cell } from '../core/notebook';

export interface NotebookRecord {
  id: string;
  title: string;
  cells: Cell[];
  createdAt: number;
  updatedAt: number;
}

export interface DatasetRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface VersionRecord {
  /** SHA-256 of the file's bytes, hex. */
  hash: string;
  datasetId: string;
  /** 1, 2, 3… within its dataset. */
  version: number;
  fileName: string;
  fileBytes: number;
  storedBytes: number;
  rows: number;
  encoding: 'utf-8' | 'windows-1252';
  hadBom: boolean;
  delimiter: Delimiter;
  delimiterDetected: boolean;
  lineEnding: 'lf' | 'crlf' | 'cr' | 'none';
  schema: ColumnSchema[];
  renames: HeaderRename[];
  profile: DatasetProfile;
  preview: string[][];
  dictBlob: Blob;
  ragged: RaggedReport;
  unusualNames: string[];
  chunkCount: number;
  createdAt: number;
}

export interface ChunkRecord {
  hash: string;
  index: number;
  layout: ChunkLayout;
  blob: Blob;
}
