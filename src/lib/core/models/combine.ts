/**
 * Two stored dataset versions as one CSV file, for "Retrain with this data":
 * the reference's rows, then the new data's, under the reference's columns
 * (a column the new data lacks is left empty there). Written back exactly as
 * the values were read, so importing the file gives the same values: no
 * formula escaping here (this file is data for Labbook, not a spreadsheet
 * export), only RFC 4180 quoting.
 */
import { cellOf } from './predictions';
import type { CsvValue } from '../csv';
import type { ColumnData } from '../common';

export interface CombineSide {
  names: readonly string[];
  columns: readonly ColumnData[];
  rows: number;
}

function field(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The combined file's chunks (header, then blocks of rows), to put in a Blob. */
export function* combinedCsv(first: CombineSide, second: CombineSide, chunkRows = 10_000): Generator<string> {
  const names = first.names;
  yield names.map(field).join(',') + '\r\n';
  for (const side of [first, second]) {
    const at = names.map((n) => side.names.indexOf(n));
    let parts: string[] = [];
    for (let r = 0; r < side.rows; r++) {
      parts.push(at.map((j) => (j < 0 ? '' : field(cellOf(side.columns[j]!, r)))).join(',') + '\r\n');
      if (parts.length === chunkRows) {
        yield parts.join('');
        parts = [];
      }
    }
    if (parts.length > 0) yield parts.join('');
  }
}
