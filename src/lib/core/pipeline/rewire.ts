/**
 * After a cell runs again, the later cells that read its previous result
 * read the new one: a re-applied recipe's version, a retrained model. Only
 * inputs linked to that cell (cell-inputs.ts) and holding its previous
 * result move; an input pinned to something else is left alone. With no
 * previous result known (the cell never ran with a stamp), every input
 * linked to it moves. A moved input clears the reading cell's own result
 * (it no longer matches its inputs).
 */
import type { Cell, CellOutputs, ModelRef } from '../notebook';
import { cellInputs, type CellInput, type PipelineContext } from './cell-inputs';

export interface RewirePatch {
  cellId: string;
  /** A config patch for NotebookState.updateConfig. */
  patch: Record<string, unknown>;
}

function moves(input: CellInput, before: string | undefined, after: string | undefined): after is string {
  return after !== undefined && input.value !== after && (before === undefined || input.value === before);
}

const INDEXED = /^(join|models)\[(\d+)\]$/;

/** The cell with one input slot set to `value`; null when the slot cannot be rewritten (an alias or cell reference). */
function withSlot(cell: Cell, slot: string, value: string): Cell | null {
  const indexed = INDEXED.exec(slot);
  switch (cell.kind) {
    case 'prepare': {
      if (slot === 'inputHash') return { ...cell, config: { ...cell.config, inputHash: value, resultHash: null } };
      if (indexed?.[1] !== 'join') return null;
      const at = Number(indexed[2]);
      const steps = cell.config.recipe.steps.map((s, i) => (i === at && s.kind === 'join' ? { ...s, versionHash: value } : s));
      return { ...cell, config: { ...cell.config, recipe: { ...cell.config.recipe, steps }, resultHash: null } };
    }
    case 'train':
      return slot === 'config.datasetHash' && cell.config.config ? { ...cell, config: { ...cell.config, config: { ...cell.config.config, datasetHash: value } } } : null;
    case 'predict':
      if (slot !== 'datasetHash' && slot !== 'modelVersionId') return null;
      return { ...cell, config: { ...cell.config, [slot]: value, predictionId: null } };
    case 'drift':
      if (slot !== 'referenceHash' && slot !== 'currentHash' && slot !== 'modelVersionId') return null;
      return { ...cell, config: { ...cell.config, [slot]: value, reportId: null } };
    case 'evaluate': {
      if (slot === 'datasetHash') return { ...cell, config: { ...cell.config, datasetHash: value, evaluationId: null } };
      if (indexed?.[1] !== 'models') return null;
      const at = Number(indexed[2]);
      // Only a version named directly moves; an alias or a cell reference follows on its own.
      if (cell.config.models[at]?.kind !== 'version') return null;
      const models: ModelRef[] = cell.config.models.map((m, i) => (i === at ? { kind: 'version', versionId: value } : m));
      return { ...cell, config: { ...cell.config, models, evaluationId: null } };
    }
    default:
      return null;
  }
}

/** The config patches that point later cells at `producerId`'s new outputs. */
export function rewireOutputs(
  cells: readonly Cell[],
  producerId: string,
  before: CellOutputs | undefined,
  after: CellOutputs,
  context: Omit<PipelineContext, 'cells'>,
): RewirePatch[] {
  const at = cells.findIndex((c) => c.id === producerId);
  if (at < 0) return [];
  const patches: RewirePatch[] = [];
  for (const original of cells.slice(at + 1)) {
    let cell: Cell = original;
    for (const input of cellInputs(original, { ...context, cells }).inputs) {
      if (input.fromCell !== producerId) continue;
      const value =
        input.kind === 'dataset' && moves(input, before?.datasetHash, after.datasetHash)
          ? after.datasetHash
          : input.kind === 'model' && moves(input, before?.modelVersionId, after.modelVersionId)
            ? after.modelVersionId
            : null;
      if (value === null) continue;
      cell = withSlot(cell, input.slot, value) ?? cell;
    }
    if (cell !== original) {
      const patch: Record<string, unknown> = {};
      const next = cell.config as unknown as Record<string, unknown>;
      const old = original.config as unknown as Record<string, unknown>;
      for (const key of Object.keys(next)) if (next[key] !== old[key]) patch[key] = next[key];
      patches.push({ cellId: original.id, patch });
    }
  }
  return patches;
}
