/** Placeholder until the Evaluate models job lands (being written now). */
import type { AppState } from './app.svelte';
import type { CellRunner } from './cell-run';

export function evaluateCellRunner(_app: AppState): CellRunner<'evaluate'> {
  return async () => ({ status: 'failed', error: 'Evaluate models is not available yet.' });
}
