/** Guessing a CSV file's delimiter from its first records. */
import type { Delimiter } from '../common';

const QUOTE = 34; // "
const LF = 10;
const CR = 13;

const CANDIDATES: readonly Delimiter[] = [',', ';', '\t'];

/**
 * Guesses the delimiter from the start of a file. Counts each candidate
 * outside quotes on the first ~20 records; a candidate whose count is the
 * same non-zero number on every record wins (highest count first), otherwise
 * the highest total. Defaults to ','.
 */
export function detectDelimiter(sampleText: string, maxRecords = 20): Delimiter {
  const perRecord: number[][] = [];
  let counts = [0, 0, 0];
  let inQuotes = false;
  let sawContent = false;
  const n = sampleText.length;
  let complete = false;
  for (let i = 0; i < n && perRecord.length < maxRecords; i++) {
    const c = sampleText.charCodeAt(i);
    if (c === QUOTE) {
      inQuotes = !inQuotes; // a doubled quote toggles twice: no net change
      sawContent = true;
    } else if (inQuotes) {
      continue;
    } else if (c === LF || c === CR) {
      if (sawContent) perRecord.push(counts);
      counts = [0, 0, 0];
      sawContent = false;
      complete = true;
    } else {
      sawContent = true;
      if (c === 44) counts[0]!++;
      else if (c === 59) counts[1]!++;
      else if (c === 9) counts[2]!++;
    }
  }
  // A trailing partial record is only trusted when it is all we have: the
  // sample may have been cut in the middle of it.
  if (sawContent && (!complete || perRecord.length === 0)) perRecord.push(counts);
  if (perRecord.length === 0) return ',';

  let best: Delimiter = ',';
  let bestConsistent = 0;
  let bestTotal = 0;
  let bestTotalDelim: Delimiter | null = null;
  for (let k = 0; k < CANDIDATES.length; k++) {
    const first = perRecord[0]![k]!;
    let total = 0;
    let consistent = first > 0;
    for (const rec of perRecord) {
      total += rec[k]!;
      if (rec[k] !== first) consistent = false;
    }
    if (consistent && first > bestConsistent) {
      bestConsistent = first;
      best = CANDIDATES[k]!;
    }
    if (total > bestTotal) {
      bestTotal = total;
      bestTotalDelim = CANDIDATES[k]!;
    }
  }
  if (bestConsistent > 0) return best;
  return bestTotalDelim ?? ',';
}
