/**
 * A drift cell's "Retrain with this data": the new data's rows split by a seeded, stable rule
 * (lib/retrain-split, in the data worker) into ~70% that joins the reference in one training
 * version and ~30% kept apart as "<new data>-holdout" (stored without a cell), both with their
 * derivation; then, under the drift cell, a dataset cell showing the training version, a train
 * cell under it with the previous run's config and `retrainedFrom` = the drift report, and an
 * Evaluate models cell under that: the champion (or the checked model version) against the new
 * train cell's model, on the holdout.
 */
import type { CellOf, ModelRef } from '../core/notebook';
import { recipeHash, type Recipe } from '../core/prepare';
import type { TrainConfig } from '../core/training';
import { isQuotaError, newId, quotaMessage, storageFullMessage, type ImportProgress } from '../core/common';
import { getDatasetSource, saveImport, type DatasetWithVersions } from '../storage/datasets';
import { freeBytes } from '../storage/quota';
import type { Derivation, DerivationOperation, ModelVersionRecord, RunSummaryRecord, VersionRecord } from '../storage/records';
import { HOLDOUT_SEED, HOLDOUT_SHARE } from '../retrain-split';
import { dataWorker, proxy } from '../workers';
import type { AppState } from './app.svelte';
import type { NotebookState } from './notebook.svelte';

/** A dataset version with its dataset, as the app finds it by hash. */
export interface FoundVersion {
  dataset: DatasetWithVersions;
  version: VersionRecord;
}

export interface RetrainInput {
  reference: FoundVersion;
  current: FoundVersion;
  /** The model version the drift cell checks against, if any. */
  model: ModelVersionRecord | undefined;
  /** The drift report that asked for the retraining (the drift cell's current report). */
  reportId: string | null;
}

/** The two files the split makes, and its row counts. */
export interface RetrainFiles {
  combined: File;
  holdout: File;
  referenceRows: number;
  /** New-data rows in the training file. */
  keptRows: number;
  holdoutRows: number;
}

/** A stored dataset version (new, or these bytes were already stored). */
export interface StoredVersion {
  hash: string;
  status: 'created' | 'existing';
}

/** What the workflow writes to and reads from (the open notebook, the data worker, storage, the app's runs and models). */
export interface RetrainHost {
  notebook: Pick<NotebookState, 'cells' | 'addCell' | 'updateConfig'>;
  /** The reference's rows plus the new data's kept rows, and the held-out rows, as two CSV files (split with `seed`, `share`). */
  split(reference: VersionRecord, current: VersionRecord, names: { combined: string; holdout: string }, seed: number, share: number): Promise<RetrainFiles>;
  /** Imports `file` and stores it as a version of the dataset `datasetName` with `derivation`. */
  store(file: File, datasetName: string, derivation: Derivation): Promise<StoredVersion>;
  /** The stored runs (the app's records). */
  runs: { readonly runs: readonly RunSummaryRecord[]; run(id: string | null | undefined): RunSummaryRecord | undefined };
  /** A registered model's aliases (alias -> version id); undefined when there is no such model. */
  aliases(modelName: string): Readonly<Record<string, string>> | undefined;
}

/** The combined file's name: both datasets' names. */
export function combinedName(input: Pick<RetrainInput, 'reference' | 'current'>): string {
  return `${input.reference.dataset.dataset.name}+${input.current.dataset.dataset.name}.csv`;
}

/** The held-out rows' dataset: "<new data name>-holdout". */
export function holdoutName(input: Pick<RetrainInput, 'current'>): string {
  return `${input.current.dataset.dataset.name}-holdout`;
}

/** The previous config's run: the model version's run, else the newest completed run on the reference. */
export function previousRun(runs: RetrainHost['runs'], model: ModelVersionRecord | undefined, referenceHash: string): RunSummaryRecord | undefined {
  return (model ? runs.run(model.runId) : undefined) ?? runs.runs.find((r) => r.datasetHash === referenceHash && r.status === 'completed');
}

export interface RetrainPlan {
  /** The new train cell's config: the previous run's, on the combined version (none without a previous run). */
  train: { config: TrainConfig | null; modelName: string };
  /** The target set on the combined dataset cell, when the previous run had one. */
  target: string | null;
}

/** The train cell and target for the combined version `hash`. */
export function retrainPlan(previous: RunSummaryRecord | undefined, model: ModelVersionRecord | undefined, hash: string): RetrainPlan {
  const target = previous?.config.target ?? null;
  return {
    train: { config: previous ? { ...previous.config, datasetHash: hash } : null, modelName: model?.modelName ?? (target ? `${target} model` : '') },
    target,
  };
}

/**
 * The Evaluate models cell's models, champion first: the model's @champion when it has one, else
 * the checked model version (else the previous run's), then the new train cell's newest model.
 */
export function evaluateModels(model: ModelVersionRecord | undefined, aliases: Readonly<Record<string, string>> | undefined, previous: RunSummaryRecord | undefined, trainCellId: string): ModelRef[] {
  const champion: ModelRef | null =
    model && aliases && Object.hasOwn(aliases, 'champion')
      ? { kind: 'alias', modelName: model.modelName, alias: 'champion' }
      : model
        ? { kind: 'version', versionId: model.id }
        : previous?.modelVersionId
          ? { kind: 'version', versionId: previous.modelVersionId }
          : null;
  return [...(champion ? [champion] : []), { kind: 'cell', cellId: trainCellId }];
}

const EMPTY_RECIPE: Recipe = { steps: [] };

/** The lineage of a version the split made: its parents, an empty recipe, and the operation in words. */
export async function retrainDerivation(parents: string[], operation: DerivationOperation): Promise<Derivation> {
  return { parents, recipe: EMPTY_RECIPE, recipeHash: await recipeHash(EMPTY_RECIPE, parents), operation };
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export class RetrainJob {
  busy = $state(false);
  error = $state<string | null>(null);
  /** What was set up, in words (row counts), after a success. */
  notice = $state<string | null>(null);

  /** Sets retraining up under cell `afterCellId`; a failure is kept in `error` and adds no cell. */
  async start(host: RetrainHost, afterCellId: string, input: RetrainInput, seed: number = HOLDOUT_SEED, share: number = HOLDOUT_SHARE): Promise<void> {
    const { reference, current, model, reportId } = input;
    this.busy = true;
    this.error = null;
    this.notice = null;
    try {
      const names = { combined: combinedName(input), holdout: `${holdoutName(input)}.csv` };
      const files = await host.split(reference.version, current.version, names, seed, share);
      const refHash = reference.version.hash;
      const curHash = current.version.hash;
      const trainOp: DerivationOperation = {
        kind: 'retrain-train',
        seed,
        share,
        note: `Every row of the reference, then the ${pct(1 - share)} of the new data's rows not held out (seeded by row)`,
      };
      const combined = await host.store(files.combined, names.combined.replace(/\.csv$/, ''), await retrainDerivation([refHash, curHash], trainOp));
      let holdout: StoredVersion | null = null;
      if (files.holdoutRows > 0) {
        const holdOp: DerivationOperation = { kind: 'retrain-holdout', seed, share, note: `The ${pct(share)} of the rows held out for the evaluation (seeded by row)` };
        holdout = await host.store(files.holdout, holdoutName(input), await retrainDerivation([curHash], holdOp));
      }
      // Read after the stores: runs finished meanwhile count.
      const previous = previousRun(host.runs, model, refHash);
      const plan = retrainPlan(previous, model, combined.hash);
      const ds: CellOf<'dataset'> = host.notebook.addCell('dataset', { versionHash: combined.hash, ...(plan.target ? { target: plan.target } : {}) }, afterCellId);
      const train = host.notebook.addCell('train', { ...plan.train, ...(reportId ? { retrainedFrom: reportId } : {}) }, ds.id);
      const models = evaluateModels(model, model ? host.aliases(model.modelName) : undefined, previous, train.id);
      host.notebook.addCell('evaluate', { datasetHash: holdout?.hash ?? null, models }, train.id);
      this.notice =
        holdout !== null
          ? `Training on ${files.referenceRows.toLocaleString('en-US')} reference rows + ${files.keptRows.toLocaleString('en-US')} new rows; ${files.holdoutRows.toLocaleString('en-US')} new rows held out as “${holdoutName(input)}” for the evaluation.`
          : `Training on ${files.referenceRows.toLocaleString('en-US')} reference rows + ${files.keptRows.toLocaleString('en-US')} new rows; the new data is too small to hold rows out: choose labelled data in the Evaluate models cell.`;
    } catch (err) {
      this.error = `Retraining could not be set up: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.busy = false;
    }
  }
}

async function sourceOf(version: VersionRecord) {
  const found = await getDatasetSource(version.hash);
  if (!found) throw new Error(`Dataset version ${version.hash.slice(0, 12)} is no longer stored.`);
  return found;
}

/** Imports a file the app made (no ragged rows) in the data worker and stores it with its derivation. */
async function storeFile(file: File, datasetName: string, derivation: Derivation): Promise<StoredVersion> {
  const outcome = await dataWorker().importFile(
    newId(),
    file,
    file.name,
    {},
    proxy((_p: ImportProgress) => {}),
  );
  if (!outcome.ok) throw new Error(outcome.message);
  const free = await freeBytes();
  if (free !== null && free < outcome.result.storedBytes) throw new Error(quotaMessage(outcome.result.storedBytes, free));
  try {
    const saved = await saveImport(outcome.result, datasetName, undefined, derivation);
    return { hash: saved.version.hash, status: saved.status };
  } catch (err) {
    if (isQuotaError(err)) throw new Error(storageFullMessage(`“${datasetName}”`));
    throw err;
  }
}

/** The host the app gives a drift cell's retraining. */
export function retrainHost(app: AppState, notebook: RetrainHost['notebook']): RetrainHost {
  return {
    notebook,
    runs: app.records,
    aliases: (name) => app.records.models.find((m) => m.model.name === name)?.model.aliases,
    async split(reference, current, names, seed, share) {
      const [a, b] = await Promise.all([sourceOf(reference), sourceOf(current)]);
      const out = await dataWorker().retrainSplit(a, b, seed, share);
      return {
        combined: new File([out.combined], names.combined, { type: 'text/csv' }),
        holdout: new File([out.holdout], names.holdout, { type: 'text/csv' }),
        referenceRows: out.referenceRows,
        keptRows: out.keptRows,
        holdoutRows: out.holdoutRows,
      };
    },
    async store(file, datasetName, derivation) {
      const stored = await storeFile(file, datasetName, derivation);
      await app.refreshDatasets();
      return stored;
    },
  };
}
