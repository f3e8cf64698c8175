/**
 * What a notebook cell depends on, for *Run all*: its config without the
 * volatile fields (results, view choices), and the inputs it reads, each
 * linked to the earlier cell that produced it when there is one.
 *
 * The edge model (one row per kind; "→ producer" means the input is linked to
 * the nearest EARLIER cell producing it, otherwise it is a fixed input made
 * outside the notebook, or by a later cell):
 *
 *   kind      reads                                                   produces
 *   markdown  nothing (never runs)                                    nothing
 *   dataset   its versionHash (the source; never linked)              dataset versionHash
 *   prepare   inputHash, every join step's versionHash → producer     dataset resultHash
 *   train     config.datasetHash → producer                           its runs (runIds) and their model versions
 *   predict   modelVersionId → train cell owning the version's run;   nothing downstream
 *             datasetHash → producer
 *   drift     currentHash → producer; referenceHash → producer        nothing downstream
 *             (referenceKind 'dataset') or modelVersionId → train
 *             cell (referenceKind 'model')
 *   compare   the selected and baseline runs → the train cells        nothing downstream
 *             owning them; with no run picked, every earlier train
 *             cell (the table lists all runs)
 *   evaluate  datasetHash → producer; each model (a version, an alias   nothing downstream
 *             resolved through `aliases`, or a train cell's newest
 *             model through `cellModels`) → train cell owning the
 *             version's run
 *
 * Volatile fields, left out of the cleaned config (they are results or only
 * change what the screen shows, never what a run computes):
 *   markdown  text (notes)
 *   dataset   delimiter (used by the next import only: an imported version's
 *             hash already covers how it was parsed), target (the class-balance view)
 *   prepare   resultHash (its output), group (the group-by preview)
 *   train     runIds (its outputs)
 *   predict   predictionId (its output)
 *   drift     reportId (its output); the reference field the chosen
 *             referenceKind does not read (modelVersionId for 'dataset',
 *             referenceHash for 'model')
 *   compare   sort, columns, curve, curveClass, metric, scatterParam (view only)
 *   evaluate  evaluationId (its output)
 * Kept: everything else, e.g. a prepare cell's outputName and a train cell's
 * modelName (where the result is stored) and every TrainConfig field.
 */
import { resolveModelRef, type Cell, type CellKind, type CellOf, type ModelRefContext } from '../notebook';

/** The notebook a cell sits in, and what the model registry knows. */
export interface PipelineContext {
  /** The notebook's cells, in order. Inputs link only to cells before the one asked about. */
  cells: readonly Cell[];
  /** Model version id -> the id of the run that made it (ModelVersionRecord.runId). */
  modelVersionRuns?: ReadonlyMap<string, string>;
  /** Registered model name -> its aliases (alias -> version id), to resolve "heart@champion". */
  aliases?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Train cell id -> the newest model version its runs made, to resolve a { kind: 'cell' } reference. */
  cellModels?: ReadonlyMap<string, string>;
}

/** What an input is: a dataset version, a model version, one run, or all runs of a train cell. */
export type CellInputKind = 'dataset' | 'model' | 'run' | 'runs';

export interface CellInput {
  /** The config field it comes from: 'inputHash', 'join[0]', 'modelVersionId', 'selected[1]', 'runs'... */
  slot: string;
  kind: CellInputKind;
  /** The dataset hash, model version id or run id; for 'runs', the train cell's run ids joined by ','. */
  value: string;
  /** The earlier cell that produced it; null: a fixed input. */
  fromCell: string | null;
}

export interface CellInputs {
  cellId: string;
  kind: CellKind;
  /** The config without its volatile fields. */
  config: Record<string, unknown>;
  inputs: CellInput[];
  /** Required inputs not set yet (the cell cannot run), e.g. ['modelVersionId']. */
  missing: string[];
}

/** The upstream cells a cell's inputs link to, unique, in the order first read. */
export function upstreamCells(inputs: CellInputs): string[] {
  return [...new Set(inputs.inputs.map((i) => i.fromCell).filter((id): id is string => id !== null))];
}

/** The dataset version a cell makes, if any (dataset: the shown version; prepare: the last result). */
export function producedDataset(cell: Cell): string | null {
  if (cell.kind === 'dataset') return cell.config.versionHash;
  if (cell.kind === 'prepare') return cell.config.resultHash;
  return null;
}

/** The cells before `cell` in the notebook (all of them when the cell is not in it). */
function cellsBefore(cell: Cell, context: PipelineContext): readonly Cell[] {
  const at = context.cells.findIndex((c) => c.id === cell.id);
  return at < 0 ? context.cells : context.cells.slice(0, at);
}

class Linker {
  readonly inputs: CellInput[] = [];
  readonly missing: string[] = [];
  constructor(
    private readonly earlier: readonly Cell[],
    private readonly modelVersionRuns: ReadonlyMap<string, string>,
    readonly refs: ModelRefContext,
  ) {}

  /** The nearest earlier cell matching `test`. */
  private nearest(test: (c: Cell) => boolean): string | null {
    for (let i = this.earlier.length - 1; i >= 0; i--) {
      const c = this.earlier[i];
      if (c && test(c)) return c.id;
    }
    return null;
  }

  private trainCellOwning(runId: string): string | null {
    return this.nearest((c) => c.kind === 'train' && c.config.runIds.includes(runId));
  }

  dataset(slot: string, hash: string | null, required = true): void {
    if (hash === null) {
      if (required) this.missing.push(slot);
      return;
    }
    // A cell's last result still links: a dataset cell given a new file keeps the cells reading
    // the version it showed, so they turn stale and follow it to the new one when it runs.
    this.inputs.push({ slot, kind: 'dataset', value: hash, fromCell: this.nearest((c) => producedDataset(c) === hash || c.lastRun?.outputs.datasetHash === hash) });
  }

  model(slot: string, versionId: string | null): void {
    if (versionId === null) {
      this.missing.push(slot);
      return;
    }
    const runId = this.modelVersionRuns.get(versionId);
    this.inputs.push({ slot, kind: 'model', value: versionId, fromCell: runId === undefined ? null : this.trainCellOwning(runId) });
  }

  run(slot: string, runId: string): void {
    this.inputs.push({ slot, kind: 'run', value: runId, fromCell: this.trainCellOwning(runId) });
  }

  allTrainRuns(): void {
    for (const c of this.earlier) {
      if (c.kind === 'train') this.inputs.push({ slot: 'runs', kind: 'runs', value: c.config.runIds.join(','), fromCell: c.id });
    }
  }
}

function clean(cell: Cell, link: Linker): Record<string, unknown> {
  switch (cell.kind) {
    case 'markdown':
      return {};
    case 'dataset': {
      const { versionHash } = cell.config;
      // The source of its version: a fixed input, never linked to another cell.
      if (versionHash === null) link.missing.push('versionHash');
      else link.inputs.push({ slot: 'versionHash', kind: 'dataset', value: versionHash, fromCell: null });
      return { versionHash };
    }
    case 'prepare':
      return cleanPrepare(cell, link);
    case 'train': {
      const { config, modelName } = cell.config;
      if (config === null) link.missing.push('config');
      else link.dataset('config.datasetHash', config.datasetHash || null);
      return { config, modelName };
    }
    case 'predict': {
      const { modelVersionId, datasetHash } = cell.config;
      link.model('modelVersionId', modelVersionId);
      link.dataset('datasetHash', datasetHash);
      return { modelVersionId, datasetHash };
    }
    case 'drift':
      return cleanDrift(cell, link);
    case 'evaluate': {
      const { datasetHash, models, resamples, seed, canaryShare, abShare } = cell.config;
      link.dataset('datasetHash', datasetHash);
      // The resolved version is the input (an alias that moves changes it); the references are config.
      models.forEach((ref, i) => link.model(`models[${i}]`, resolveModelRef(ref, link.refs)));
      if (models.length < 2) link.missing.push('models (a champion and a challenger)');
      return { datasetHash, models, resamples, seed, canaryShare, abShare };
    }
    case 'compare': {
      const { filter, selected, baselineId } = cell.config;
      selected.forEach((id, i) => link.run(`selected[${i}]`, id));
      if (baselineId !== null) link.run('baselineId', baselineId);
      if (selected.length === 0 && baselineId === null) link.allTrainRuns();
      return { filter, selected, baselineId };
    }
  }
}

function cleanPrepare(cell: CellOf<'prepare'>, link: Linker): Record<string, unknown> {
  const { inputHash, recipe, outputName } = cell.config;
  link.dataset('inputHash', inputHash);
  recipe.steps.forEach((step, i) => {
    if (step.kind === 'join') link.dataset(`join[${i}]`, step.versionHash || null);
  });
  return { inputHash, recipe, outputName };
}

function cleanDrift(cell: CellOf<'drift'>, link: Linker): Record<string, unknown> {
  const { referenceKind, referenceHash, modelVersionId, currentHash, overrides, shareThreshold, modelTolerances } = cell.config;
  const common = { referenceKind, currentHash, overrides, shareThreshold, modelTolerances };
  if (referenceKind === 'model') link.model('modelVersionId', modelVersionId);
  else link.dataset('referenceHash', referenceHash);
  link.dataset('currentHash', currentHash);
  return referenceKind === 'model' ? { ...common, modelVersionId } : { ...common, referenceHash };
}

/** The cleaned config, the inputs (linked to earlier cells by the edge model above) and what is missing. */
export function cellInputs(cell: Cell, context: PipelineContext): CellInputs {
  const link = new Linker(cellsBefore(cell, context), context.modelVersionRuns ?? new Map(), context);
  const config = clean(cell, link);
  return { cellId: cell.id, kind: cell.kind, config, inputs: link.inputs, missing: link.missing };
}
