/**
 * Shared record shapes for datasets. Pure types: no runtime code, so every
 * layer (core, workers, storage, UI) can import them.
 */

/** The logical column types a user can choose between. */
export type ColumnType = 'numeric' | 'integer' | 'boolean' | 'categorical' | 'datetime' | 'text';

export const COLUMN_TYPES: readonly ColumnType[] = [
  'numeric',
  'integer',
  'boolean',
  'categorical',
  'datetime',
  'text',
];

/** Delimiters we detect; the user may override the guess with any of them. */
export type Delimiter = ',' | ';' | '\t';

/** How a column is physically stored: numbers, or codes into a dictionary of strings. */
export type StorageKind = 'num' | 'dict';

/**
 * A column in memory. `num`: NaN marks a missing value. `dict`: code 0 marks
 * a missing value and code k stands for `dict[k - 1]`.
 */
export type ColumnData =
  | { kind: 'num'; values: Float64Array }
  | { kind: 'dict'; codes: Uint32Array; dict: string[] };

export interface ColumnSchema {
  /** Final, unique, non-empty name (after renaming). */
  name: string;
  /** The header text exactly as it was in the file. */
  originalName: string;
  /** Position in the file, 0-based. */
  index: number;
  /** The type in force (the user's override, or the inferred type). */
  type: ColumnType;
  /** What inference said; kept so the UI can show "changed from". */
  inferredType: ColumnType;
  storage: StorageKind;
}

/** One header renamed on import, shown to the user. */
export interface HeaderRename {
  index: number;
  from: string;
  to: string;
  reason: 'empty' | 'duplicate';
}

export interface NumericStats {
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (n - 1), like pandas' describe(). */
  std: number;
  /** Linear-interpolated quantiles (pandas' default) at 0.05, 0.25, 0.5, 0.75, 0.95. */
  quantiles: { p: number; value: number }[];
  /** Equal-width histogram: edges has counts.length + 1 entries. */
  histogram: { edges: number[]; counts: number[] };
}

export interface ValueCount {
  value: string;
  count: number;
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Non-missing values. */
  count: number;
  missing: number;
  /** 0..100 */
  missingPct: number;
  unique: number;
  /** Set for numeric and integer columns (and booleans stored as numbers). */
  numeric?: NumericStats;
  /** Up to TOP_K most frequent values, most frequent first (ties by value). */
  top: ValueCount[];
  /** Non-missing values not covered by `top`. */
  otherCount: number;
  /** ISO strings, for datetime columns. */
  datetime?: { min: string; max: string };
}

export interface DatasetProfile {
  rows: number;
  columns: number;
  columnProfiles: ColumnProfile[];
}

/** Byte range of one column inside a chunk's Blob. */
export interface ColumnSlice {
  /** Typed-array kind of the bytes. */
  encoding: 'f64' | 'i8' | 'i16' | 'i32' | 'u8' | 'u16' | 'u32';
  /** For scaled integers: value = stored / scale. 1 otherwise. */
  scale: number;
  /** For integer encodings of numbers: the stored value meaning "missing". */
  missingSentinel?: number;
  offset: number;
  byteLength: number;
}

export interface ChunkLayout {
  rowStart: number;
  rowCount: number;
  /** One entry per column, in schema order. */
  columns: ColumnSlice[];
}

export interface EncodedChunk {
  index: number;
  layout: ChunkLayout;
  blob: Blob;
}

export interface RaggedReport {
  /** Rows whose field count differs from the header's. */
  count: number;
  /** 1-based line numbers in the file of the first few such rows. */
  firstLines: number[];
  expectedFields: number;
}

/** Everything an import produces; written to storage in one transaction. */
export interface ImportResult {
  hash: string;
  fileName: string;
  fileBytes: number;
  encoding: 'utf-8' | 'windows-1252';
  hadBom: boolean;
  delimiter: Delimiter;
  delimiterDetected: boolean;
  lineEnding: 'lf' | 'crlf' | 'cr' | 'none';
  rows: number;
  schema: ColumnSchema[];
  renames: HeaderRename[];
  profile: DatasetProfile;
  /** First PREVIEW_ROWS rows as display strings ('' for missing). */
  preview: string[][];
  /** Column dictionaries (index-aligned with schema; empty for `num` columns), as a JSON Blob. */
  dictBlob: Blob;
  chunks: EncodedChunk[];
  storedBytes: number;
  ragged: RaggedReport;
  /** Column names that would be dangerous as object keys; kept verbatim and stored by position. */
  unusualNames: string[];
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
  elapsedMs: number;
  rowsPerSecond: number;
  phase: 'reading' | 'profiling' | 'encoding';
}

export interface ImportOptions {
  /** Force a delimiter instead of detecting it. */
  delimiter?: Delimiter;
  /** Type overrides by column name, applied after inference. */
  types?: Record<string, ColumnType>;
}

/** The reason a file can't be imported, with a message meant for the screen. */
export type ImportErrorCode =
  | 'empty'
  | 'header-only'
  | 'binary'
  | 'unterminated-quote'
  | 'cancelled'
  | 'too-large'
  | 'unreadable';

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

export const TOP_K = 20;
export const PREVIEW_ROWS = 50;
export const CHUNK_ROWS = 65_536;
export const MISSING_MARKERS: readonly string[] = ['', 'na', 'n/a', 'null', 'nan', '?'];
