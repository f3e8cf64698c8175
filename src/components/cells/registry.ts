/**
 * The UI half of the cell-kind registry: which component renders each kind.
 * The data half (labels, defaults, config repair) is CELL_KINDS in
 * lib/core/notebook/notebook.ts. A new kind is one entry there and one here.
 */
import type { Component } from 'svelte';
import type { CellKind, CellOf } from '../../lib/core/notebook';
import type { NotebookState } from '../../lib/state/notebook.svelte';
import MarkdownCell from './MarkdownCell.svelte';
import DatasetCell from './DatasetCell.svelte';
import TrainCell from './TrainCell.svelte';
import CompareCell from './CompareCell.svelte';
import PredictCell from './PredictCell.svelte';
import DriftCell from './DriftCell.svelte';
import PrepareCell from './PrepareCell.svelte';
import EvaluateCell from './EvaluateCell.svelte';

export interface CellProps<K extends CellKind> {
  cell: CellOf<K>;
  notebook: NotebookState;
}

export const CELL_COMPONENTS: { [K in CellKind]: Component<CellProps<K>> } = {
  markdown: MarkdownCell,
  dataset: DatasetCell,
  train: TrainCell,
  compare: CompareCell,
  predict: PredictCell,
  drift: DriftCell,
  prepare: PrepareCell,
  evaluate: EvaluateCell,
};
