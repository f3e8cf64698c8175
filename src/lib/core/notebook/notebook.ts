/**
 * Notebooks as plain data: an ordered list of typed cells. Every cell kind is
 * declared once in CELL_KINDS (label, default config, config check); later
 * kinds (train, compare, drift, predict) are added there and in the UI's
 * component registry, never as switches spread across files.
 */
import type { Delimiter } from '../common';
import { normalizeTrainConfig, type TrainConfig } from '../training';
import { defaultCompareSettings, normalizeCompareSettings, type CompareSettings } from '../compare';
import { DRIFT_TESTS, type DriftTestName, normalizeTolerances, type Tolerances } from '../drift';
import { normalizeGroupSummary, normalizeRecipe, type GroupSummarySpec, type Recipe } from '../prepare';
import { defaultEvaluateConfig, normalizeEvaluateConfig, normalizeStamp, type CellRunStamp, type EvaluateCellConfig } from './cell-extra';

export interface MarkdownConfig {
  text: string;
}

export interface DatasetConfig {
  /** The dataset version this cell shows, once something was imported or picked. */
  versionHash: string | null;
  /** 'auto' detects the delimiter; otherwise it is forced. */
  delimiter: 'auto' | Delimiter;
  /** The target column chosen for the class-balance view. */
  target: string | null;
}

export interface TrainCellConfig {
  /** The run config being edited; null until the cell picks a dataset version. */
  config: TrainConfig | null;
  /** The registered model name completed runs are stored under. */
  modelName: string;
  /** Runs started from this cell, oldest first. */
  runIds: string[];
  /** The drift report whose "Retrain with this data" added this cell (its runs record it). */
  retrainedFrom?: string | null;
}

/** A compare cell: its runs table's filter, sort and selection, the baseline and chart choices. */
export type CompareCellConfig = CompareSettings;

/** A predict cell: which model version predicts on which dataset version, and the last result. */
export interface PredictCellConfig {
  modelVersionId: string | null;
  datasetHash: string | null;
  /** The stored prediction shown (its file is kept with it). */
  predictionId: string | null;
}

/** A drift cell: what the new data is compared with, the new data, the settings and the last report. */
export interface DriftCellConfig {
  referenceKind: 'dataset' | 'model';
  /** The reference dataset version (kind 'dataset'). */
  referenceHash: string | null;
  /** The model version whose training data is the reference, and whose predictions are checked (kind 'model'). */
  modelVersionId: string | null;
  currentHash: string | null;
  /** Per column: the test and threshold the user chose. */
  overrides: Record<string, { test?: DriftTestName; threshold?: number }>;
  shareThreshold: number;
  /** The model checks' tolerances the user changed (drift-verdict.ts); the others keep their defaults. */
  modelTolerances: Tolerances;
  reportId: string | null;
}

/** A prepare cell: the recipe applied to a dataset version, the group-by preview and the last result. */
export interface PrepareCellConfig {
  /** The dataset version the recipe starts from. */
  inputHash: string | null;
  recipe: Recipe;
  /** The dataset name the result is stored under ('' = "<input dataset>-prepared"). */
  outputName: string;
  /** The group-by preview. */
  group: GroupSummarySpec | null;
  /** The version the last Apply produced. */
  resultHash: string | null;
}

export interface CellConfigs {
  markdown: MarkdownConfig;
  dataset: DatasetConfig;
  train: TrainCellConfig;
  compare: CompareCellConfig;
  predict: PredictCellConfig;
  drift: DriftCellConfig;
  prepare: PrepareCellConfig;
  evaluate: EvaluateCellConfig;
}

export type CellKind = keyof CellConfigs;

export type Cell = {
  /** lastRun: the stamp of its last successful run (absent until it ran once since stamps existed). */
  [K in CellKind]: { id: string; kind: K; config: CellConfigs[K]; lastRun?: CellRunStamp };
}[CellKind];

export type CellOf<K extends CellKind> = Extract<Cell, { kind: K }>;

export interface CellKindSpec<K extends CellKind> {
  kind: K;
  label: string;
  description: string;
  defaults: () => CellConfigs[K];
  /** Repairs a stored config (fields missing after an update get defaults). */
  normalize: (raw: unknown) => CellConfigs[K];
}

function asObject(raw: unknown): Record<string, unknown> {
  return raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
}

const DELIMITERS: readonly string[] = [',', ';', '\t'];

export const CELL_KINDS: { [K in CellKind]: CellKindSpec<K> } = {
  markdown: {
    kind: 'markdown',
    label: 'Markdown',
    description: 'Notes and hypotheses',
    defaults: () => ({ text: '' }),
    normalize: (raw) => {
      const o = asObject(raw);
      return { text: typeof o.text === 'string' ? o.text : '' };
    },
  },
  dataset: {
    kind: 'dataset',
    label: 'Dataset',
    description: 'Import a CSV and profile it',
    defaults: () => ({ versionHash: null, delimiter: 'auto', target: null }),
    normalize: (raw) => {
      const o = asObject(raw);
      return {
        versionHash: typeof o.versionHash === 'string' ? o.versionHash : null,
        delimiter:
          typeof o.delimiter === 'string' && DELIMITERS.includes(o.delimiter)
            ? (o.delimiter as Delimiter)
            : 'auto',
        target: typeof o.target === 'string' ? o.target : null,
      };
    },
  },
  train: {
    kind: 'train',
    label: 'Train',
    description: 'Train a model in a worker, on the GPU where there is one',
    defaults: () => ({ config: null, modelName: '', runIds: [] }),
    normalize: (raw) => {
      const o = asObject(raw);
      return {
        config: o.config && typeof o.config === 'object' ? normalizeTrainConfig(o.config) : null,
        modelName: typeof o.modelName === 'string' ? o.modelName : '',
        runIds: Array.isArray(o.runIds) ? o.runIds.filter((x): x is string => typeof x === 'string') : [],
        ...(typeof o.retrainedFrom === 'string' && o.retrainedFrom !== '' ? { retrainedFrom: o.retrainedFrom } : {}),
      };
    },
  },
  compare: {
    kind: 'compare',
    label: 'Compare',
    description: 'Compare runs: settings that differ, metrics, curves, plots',
    defaults: defaultCompareSettings,
    normalize: normalizeCompareSettings,
  },
  predict: {
    kind: 'predict',
    label: 'Predict',
    description: 'Apply a model version to a CSV and download the predictions',
    defaults: () => ({ modelVersionId: null, datasetHash: null, predictionId: null }),
    normalize: (raw) => {
      const o = asObject(raw);
      const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
      return { modelVersionId: str(o.modelVersionId), datasetHash: str(o.datasetHash), predictionId: str(o.predictionId) };
    },
  },
  drift: {
    kind: 'drift',
    label: 'Drift',
    description: 'Check whether new data still looks like the reference (and the model still holds)',
    defaults: () => ({ referenceKind: 'dataset', referenceHash: null, modelVersionId: null, currentHash: null, overrides: {}, shareThreshold: 0.5, modelTolerances: {}, reportId: null }),
    normalize: (raw) => {
      const o = asObject(raw);
      const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
      const overrides: DriftCellConfig['overrides'] = {};
      // Column names are user data: kept as entries of a null-prototype object, never merged into one.
      const rawOverrides = asObject(o.overrides);
      for (const name of Object.keys(rawOverrides)) {
        const v = asObject(rawOverrides[name]);
        const test = typeof v.test === 'string' && Object.hasOwn(DRIFT_TESTS, v.test) ? (v.test as DriftTestName) : undefined;
        const threshold = typeof v.threshold === 'number' && Number.isFinite(v.threshold) && v.threshold >= 0 ? v.threshold : undefined;
        if (test !== undefined || threshold !== undefined) Object.defineProperty(overrides, name, { value: { test, threshold }, enumerable: true, writable: true, configurable: true });
      }
      const share = typeof o.shareThreshold === 'number' && o.shareThreshold > 0 && o.shareThreshold <= 1 ? o.shareThreshold : 0.5;
      return {
        referenceKind: o.referenceKind === 'model' ? 'model' : 'dataset',
        referenceHash: str(o.referenceHash),
        modelVersionId: str(o.modelVersionId),
        currentHash: str(o.currentHash),
        overrides,
        shareThreshold: share,
        modelTolerances: normalizeTolerances(o.modelTolerances),
        reportId: str(o.reportId),
      };
    },
  },
  prepare: {
    kind: 'prepare',
    label: 'Prepare',
    description: 'Clean and reshape a dataset version',
    defaults: () => ({ inputHash: null, recipe: { steps: [] }, outputName: '', group: null, resultHash: null }),
    normalize: (raw) => {
      const o = asObject(raw);
      const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
      return {
        inputHash: str(o.inputHash),
        // Malformed steps are dropped one by one; the rest of the recipe is kept.
        recipe: normalizeRecipe(o.recipe),
        outputName: typeof o.outputName === 'string' ? o.outputName : '',
        group: normalizeGroupSummary(o.group),
        resultHash: str(o.resultHash),
      };
    },
  },
  evaluate: {
    kind: 'evaluate',
    label: 'Evaluate models',
    description: 'Champion against challengers on new labelled data, with rollout rehearsal',
    defaults: defaultEvaluateConfig,
    normalize: normalizeEvaluateConfig,
  },
};

export const CELL_KIND_LIST: CellKind[] = Object.keys(CELL_KINDS) as CellKind[];

export function isCellKind(kind: unknown): kind is CellKind {
  return typeof kind === 'string' && Object.hasOwn(CELL_KINDS, kind);
}

/** A new cell of the given kind with its default config. */
export function createCell<K extends CellKind>(kind: K, id: string, config?: Partial<CellConfigs[K]>): CellOf<K> {
  const spec = CELL_KINDS[kind] as CellKindSpec<K>;
  return { id, kind, config: { ...spec.defaults(), ...config } } as unknown as CellOf<K>;
}

/** Drops cells of unknown kinds and repairs configs read back from storage. */
export function normalizeCells(raw: unknown): Cell[] {
  if (!Array.isArray(raw)) return [];
  const cells: Cell[] = [];
  for (const item of raw) {
    const o = asObject(item);
    if (!isCellKind(o.kind) || typeof o.id !== 'string') continue;
    const spec = CELL_KINDS[o.kind] as CellKindSpec<CellKind>;
    const lastRun = normalizeStamp(o.lastRun);
    cells.push({ id: o.id, kind: o.kind, config: spec.normalize(o.config), ...(lastRun ? { lastRun } : {}) } as Cell);
  }
  return cells;
}

/** Inserts a cell after `afterId` (or at the end). Returns a new array. */
export function insertCell(cells: readonly Cell[], cell: Cell, afterId?: string | null): Cell[] {
  const at = afterId ? cells.findIndex((c) => c.id === afterId) : -1;
  const next = [...cells];
  if (at < 0) next.push(cell);
  else next.splice(at + 1, 0, cell);
  return next;
}

/** Moves a cell one place up (-1) or down (+1); out-of-range moves change nothing. */
export function moveCell(cells: readonly Cell[], id: string, delta: -1 | 1): Cell[] {
  const from = cells.findIndex((c) => c.id === id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= cells.length) return [...cells];
  const next = [...cells];
  const [cell] = next.splice(from, 1);
  if (cell) next.splice(to, 0, cell);
  return next;
}

export function removeCell(cells: readonly Cell[], id: string): Cell[] {
  return cells.filter((c) => c.id !== id);
}

/** Sets (or with undefined, clears) a cell's last-run stamp. Returns a new array. */
export function stampCell(cells: readonly Cell[], id: string, stamp: CellRunStamp | undefined): Cell[] {
  return cells.map((c) => {
    if (c.id !== id) return c;
    const { lastRun: _old, ...rest } = c;
    return (stamp ? { ...rest, lastRun: stamp } : rest) as Cell;
  });
}

/** Replaces one cell's config, keeping its kind. */
export function updateCellConfig<K extends CellKind>(
  cells: readonly Cell[],
  id: string,
  patch: Partial<CellConfigs[K]>,
): Cell[] {
  return cells.map((c) => (c.id === id ? ({ ...c, config: { ...c.config, ...patch } } as Cell) : c));
}
