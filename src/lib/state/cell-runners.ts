/**
 * The runner of each cell kind (the contract is in cell-run.ts): each does
 * what the cell's button does, with the same job (so progress shows in the
 * cell), and says what it made. Markdown has none (notes); a compare cell is
 * a view of runs already stored, so running it only records it is current.
 */
import type { CellKind, CellOf } from '../core/notebook';
import { checkTarget, targetFacts, validateTrainConfig, checkSchema, summarizeFindings, type ConfigIssue, type TrainConfig } from '../core/training';
import type { VersionRecord } from '../storage/records';
import type { AppState } from './app.svelte';
import { defaultModelName } from './jobs.svelte';
import { driftCellInputs, driftJobInputs } from './drift-cell';
import { evaluateCellRunner } from './evaluate.svelte';
import type { CellRunContext, CellRunner, CellRunResult } from './cell-run';

const failed = (error: string): CellRunResult => ({ status: 'failed', error });

/** The train cell's refusals before anything runs: config errors, then the target's. */
export function trainCellIssues(config: TrainConfig, version: VersionRecord): { errors: ConfigIssue[]; warnings: string[] } {
  const profile = version.profile.columnProfiles[version.schema.findIndex((c) => c.name === config.target)];
  const target = profile
    ? checkTarget(config.task, targetFacts(profile), { train: config.trainFraction, validation: config.validationFraction, test: config.testFraction })
    : { errors: [], warnings: [] };
  return { errors: [...validateTrainConfig(config, version.schema), ...target.errors.map((message) => ({ key: 'target' as const, message }))], warnings: target.warnings };
}

/** Calls `stop` when the run is cancelled; returns the unsubscribe. */
function onAbort(context: CellRunContext, stop: () => void): () => void {
  context.signal.addEventListener('abort', stop, { once: true });
  return () => context.signal.removeEventListener('abort', stop);
}

export type CellRunners = { [K in CellKind]?: CellRunner<K> };

export function cellRunners(app: AppState): CellRunners {
  return {
    dataset: async (cell) => {
      const hash = cell.config.versionHash;
      if (!hash) return failed('No dataset yet: import a CSV into this cell.');
      if (!app.findVersion(hash)) return failed(`Its dataset version ${hash.slice(0, 12)} is no longer stored: import the file again.`);
      return { status: 'done', outputs: { datasetHash: hash } };
    },

    prepare: async (cell, context) => {
      const c = cell.config;
      if (!c.inputHash) return failed('Choose the input data first.');
      const job = app.records.prepareJob(cell.id);
      const stop = onAbort(context, () => job.cancel());
      try {
        await job.apply(c.inputHash, c.recipe, c.outputName.trim(), { notebookId: context.notebook.id, cellId: cell.id });
      } finally {
        stop();
      }
      if (context.signal.aborted) return { status: 'cancelled' };
      const result = job.result;
      if (!result) return failed(job.error ?? 'The recipe could not be applied.');
      context.notebook.updateConfig<'prepare'>(cell.id, { resultHash: result.versionHash });
      return { status: 'done', outputs: { datasetHash: result.versionHash } };
    },

    train: async (cell, context) => {
      const config = cell.config.config;
      const found = app.findVersion(config?.datasetHash ?? null);
      if (!config || !found) return failed('Choose the data to train on first.');
      const issues = trainCellIssues(config, found.version).errors;
      if (issues.length > 0) return failed(`Fix these settings first: ${issues.map((i) => i.message).join(' ')}`);
      const job = app.records.job(cell.id);
      if (job.busy || app.records.sweep(cell.id).busy) return failed('This cell is already training.');
      const stop = onAbort(context, () => job.cancel());
      let run;
      try {
        run = await job.start(config, {
          notebookId: context.notebook.id,
          cellId: cell.id,
          modelName: cell.config.modelName.trim() || defaultModelName({ config }),
          cellFingerprint: context.fingerprint,
          retrainedFrom: cell.config.retrainedFrom ?? null,
        });
      } finally {
        stop();
      }
      if (run?.status === 'cancelled' || context.signal.aborted) return { status: 'cancelled' };
      if (!run || run.status !== 'completed' || !run.modelVersionId) return failed(job.error ?? run?.statusMessage ?? 'The run did not complete.');
      if (!cell.config.runIds.includes(run.id)) {
        const now = context.notebook.cells.find((c): c is CellOf<'train'> => c.id === cell.id && c.kind === 'train');
        if (now && !now.config.runIds.includes(run.id)) context.notebook.updateConfig<'train'>(cell.id, { runIds: [...now.config.runIds, run.id] });
      }
      return { status: 'done', outputs: { runId: run.id, modelVersionId: run.modelVersionId } };
    },

    predict: async (cell, context) => {
      const c = cell.config;
      const version = app.records.version(c.modelVersionId);
      const found = app.findVersion(c.datasetHash);
      if (!version) return failed('Choose a model version first.');
      if (!found) return failed('Choose the data to predict on first.');
      const target = app.records.run(version.runId)?.config.target ?? null;
      const findings = checkSchema({ kind: 'model', inputSchema: version.inputSchema, target, preprocessing: version.preprocessing }, { schema: found.version.schema, profile: found.version.profile });
      if (!summarizeFindings(findings).canPredict) return failed('The data does not fit the model (see the schema check in the cell).');
      const job = app.records.predictJob(cell.id);
      const record = await job.run(version, found.version.hash, { cellFingerprint: context.fingerprint });
      if (context.signal.aborted) return { status: 'cancelled' };
      if (!record) return failed(job.error ?? 'The prediction failed.');
      context.notebook.updateConfig<'predict'>(cell.id, { predictionId: record.id });
      return { status: 'done', outputs: { predictionId: record.id } };
    },

    drift: async (cell, context) => {
      const inputs = driftJobInputs(driftCellInputs(app, cell.config), cell.config, context.notebook.id, context.fingerprint);
      if (!inputs) return failed('Choose the reference and the new data first.');
      const job = app.records.driftJob(cell.id);
      const report = await job.run(inputs);
      if (context.signal.aborted) return { status: 'cancelled' };
      if (!report) return failed(job.error ?? 'The drift check failed.');
      context.notebook.updateConfig<'drift'>(cell.id, { reportId: report.id });
      return { status: 'done', outputs: { reportId: report.id } };
    },

    compare: async () => ({ status: 'done', outputs: {} }),

    evaluate: evaluateCellRunner(app),
  };
}
