/**
 * The prediction preview's column order. The prediction file keeps the
 * inputs first (it is the input file with answers appended), but on screen
 * the answers are what the user came for: they lead, the inputs follow.
 */
import type { PredictionSummary } from './predictions';

/** How many columns the prediction file adds after the inputs: the prediction, then one probability per class. */
export function addedColumnCount(summary: Pick<PredictionSummary, 'task' | 'classes'>): number {
  return summary.task === 'regression' ? 1 : 1 + summary.classes.length;
}

/**
 * Indices into a prediction file's header (or row), in preview order: the
 * `added` trailing columns first, then the inputs in their own order.
 */
export function previewColumnOrder(columns: number, added: number): number[] {
  const lead = Math.max(0, Math.min(columns, Math.floor(added)));
  const first = columns - lead;
  const order: number[] = [];
  for (let j = first; j < columns; j++) order.push(j);
  for (let j = 0; j < first; j++) order.push(j);
  return order;
}
