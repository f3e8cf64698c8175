/**
 * Collects parsed CSV records into column builders, the header first, then
 * rows; the builders are sized from a guess of the row count.
 */
import { recordFields, type CsvRecord } from './csv';
import { ColumnBuilder, isMissing } from './infer';
import { PREVIEW_ROWS } from '../common';

/** How many ragged lines are listed by number. */
export const RAGGED_LINES_KEPT = 10;

/** A builder holds up to 12 bytes a row (a code and a number); 4x the text, or 32 MiB, bounds a guess. */
const BUILDER_BYTES_PER_VALUE = 12;
const BUILDER_GUESS_BYTES = 32 * 2 ** 20;

/**
 * Rows in `bytes` of CSV, from a sample of its decoded text: the bytes over the
 * sample's bytes per line, plus 5%. Growing a builder copies every value so far
 * and allocates twice, so a close guess saves most of that; text whose later
 * lines are much longer is bounded by `builderCapacity`.
 */
export function estimateRows(sample: string, bytes: number): number {
  let lines = 0;
  for (let i = sample.indexOf('\n'); i !== -1; i = sample.indexOf('\n', i + 1)) lines++;
  if (lines === 0) return 0;
  return Math.ceil((bytes / sample.length) * lines * 1.05) + 16;
}

/** The initial capacity of each column builder for `rowsHint` rows (0: unknown) of `bytes` of text. */
export function builderCapacity(rowsHint: number, columns: number, bytes: number): number {
  const bound = Math.floor(Math.max(4 * bytes, BUILDER_GUESS_BYTES) / (BUILDER_BYTES_PER_VALUE * Math.max(1, columns)));
  return Math.max(16, Math.min(rowsHint || 4096, bound));
}

/** Receives parsed records: the header first, then rows into column builders. */
export class TableAssembler {
  header: string[] | null = null;
  /** The header's field count: every data row must have it. */
  fields = 0;
  builders: ColumnBuilder[] = [];
  rows = 0;
  raggedCount = 0;
  raggedLines: number[] = [];
  preview: string[][] = [];
  /** Rows expected (see `estimateRows`), so the builders rarely grow; set before the header arrives. */
  rowsHint = 0;

  /** `bytes`: the size of the text this table is built from (bounds what a wrong hint allocates). */
  constructor(private readonly bytes: number) {}

  private start(fields: number): void {
    this.fields = fields;
    const capacity = builderCapacity(this.rowsHint, fields, this.bytes);
    this.builders = Array.from({ length: fields }, () => new ColumnBuilder(capacity));
  }

  readonly onRecord = (record: CsvRecord, line: number): void => {
    if (this.header === null) {
      this.header = recordFields(record);
      this.start(this.header.length);
      return;
    }
    const count = record.count;
    if (count !== this.fields) {
      // A row that does not line up would shift values into the wrong columns.
      this.raggedCount++;
      if (this.raggedLines.length < RAGGED_LINES_KEPT) this.raggedLines.push(line);
      return;
    }
    const builders = this.builders;
    const { text, starts, ends, strs } = record;
    for (let c = 0; c < count; c++) {
      const start = starts[c]!;
      if (start >= 0) builders[c]!.pushRange(text, start, ends[c]!);
      else builders[c]!.push(strs[c]!);
    }
    if (this.preview.length < PREVIEW_ROWS) this.preview.push(recordFields(record).map((v) => (isMissing(v) ? '' : v)));
    this.rows++;
  };
}
