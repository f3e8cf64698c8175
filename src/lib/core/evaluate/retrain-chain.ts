/**
 * The retraining loop of one model version as lineage: the drift report its
 * run was retrained from, the run, the evaluations where it was a challenger
 * against a champion, and the promotions that moved an alias to it. Plain
 * inputs (the stored records fit them as they are), so the same steps are
 * computed in a test from hand-built records.
 */
import type { DriftReportDocument } from '../drift';
import type { Evaluation, OverallVerdict } from './evaluate-types';

export interface ChainVersion {
  id: string;
  modelName: string;
}

export interface ChainRun {
  id: string;
  /** Its readable name, when it has one. */
  name?: string | null;
  createdAt: number;
  /** The drift report whose "Retrain with this data" set the run up. */
  retrainedFrom?: string | null;
}

export type ChainDriftReport = Pick<DriftReportDocument, 'id' | 'createdAt' | 'notebookId' | 'result'>;

/** A model of an evaluation; `ref` is how the cell named it (an alias names the model and alias). */
export interface ChainEvaluatedModel {
  versionId: string;
  label: string;
  ref?: { kind: string; modelName?: string; alias?: string };
}

export interface ChainEvaluation {
  id: string;
  createdAt: number;
  notebookId: string | null;
  /** Champion first. */
  models: readonly ChainEvaluatedModel[];
  evaluation: Pick<Evaluation, 'metricKeys' | 'comparisons'>;
}

export interface ChainAliasEvent {
  modelName: string;
  alias: string;
  from: string | null;
  to: string | null;
  at: number;
  by?: string | null;
  why?: string | null;
  evaluationId?: string | null;
}

export interface RetrainChainInput {
  version: ChainVersion;
  run: ChainRun | null;
  /** The report `run.retrainedFrom` names (ignored when it is another report). */
  report: ChainDriftReport | null;
  /** Every evaluation the version took part in, in any order. */
  evaluations: readonly ChainEvaluation[];
  /** The model's alias events, in any order. */
  aliasEvents: readonly ChainAliasEvent[];
  /** A version id's number within its model, for "(v1)"; unknown ids leave it out. */
  versionNumber?: (versionId: string) => number | undefined;
}

export type RetrainChainStep =
  | { kind: 'drift'; reportId: string; at: number; notebookId: string | null; share: number; drifted: number; tested: number; summary: string }
  | { kind: 'retrain'; runId: string; runName: string | null; at: number; retrainedFrom: string | null }
  | {
      kind: 'evaluation';
      evaluationId: string;
      at: number;
      notebookId: string | null;
      champion: { versionId: string; label: string };
      verdict: OverallVerdict;
      /** The first metric's verdict: "challenger better on ROC AUC by 0.021 [0.012, 0.030]". */
      words: string;
      /** Over every metric: "challenger better on 2 of 7 metrics (…) and worse on none". */
      overall: string;
    }
  | { kind: 'promotion'; alias: string; at: number; by: string | null; why: string | null; evaluationId: string | null };

/** "40% of columns drifted", or that none could be tested. */
export function driftShareText(result: Pick<DriftReportDocument['result'], 'share' | 'tested'>): string {
  return result.tested === 0 ? 'no column could be tested' : `${Math.round(result.share * 100)}% of columns drifted`;
}

/** "heart@champion (v1)" when the champion was named by an alias, else its label as the evaluation stored it. */
export function championText(model: ChainEvaluatedModel, versionNumber?: (versionId: string) => number | undefined): string {
  const ref = model.ref;
  if (ref?.kind === 'alias' && ref.modelName && ref.alias) {
    const n = versionNumber?.(model.versionId);
    return `${ref.modelName}@${ref.alias}${n === undefined ? '' : ` (v${n})`}`;
  }
  return model.label;
}

function evaluationStep(e: ChainEvaluation, versionId: string, versionNumber: RetrainChainInput['versionNumber']): RetrainChainStep | null {
  // Only where this version is a challenger (models[1..]): comparisons[k - 1] is it against models[0].
  const k = e.models.findIndex((m, i) => i > 0 && m.versionId === versionId);
  const champion = e.models[0];
  const comparison = k > 0 ? e.evaluation.comparisons[k - 1] : undefined;
  if (!champion || !comparison) return null;
  const first = e.evaluation.metricKeys[0];
  const headline = comparison.differences.find((d) => d.metric === first) ?? comparison.differences[0];
  return {
    kind: 'evaluation',
    evaluationId: e.id,
    at: e.createdAt,
    notebookId: e.notebookId,
    champion: { versionId: champion.versionId, label: championText(champion, versionNumber) },
    verdict: comparison.overall.verdict,
    words: headline?.words ?? comparison.overall.words,
    overall: comparison.overall.words,
  };
}

/**
 * The chain's steps in order - drift, retrain, evaluations (oldest first), promotions (oldest
 * first) - each absent when there is nothing for it: no drift step for a run trained by hand (or
 * whose report is no longer stored), no retrain step without the run. A promotion is an alias
 * event of this model whose `to` is this version; its evaluationId is kept only when it is an
 * evaluation of the chain (null: promoted without one).
 */
export function retrainChain(input: RetrainChainInput): RetrainChainStep[] {
  const { version, run, report } = input;
  const steps: RetrainChainStep[] = [];
  const from = run?.retrainedFrom ?? null;
  if (from && report && report.id === from) {
    const r = report.result;
    steps.push({ kind: 'drift', reportId: report.id, at: report.createdAt, notebookId: report.notebookId, share: r.share, drifted: r.drifted, tested: r.tested, summary: driftShareText(r) });
  }
  if (run) steps.push({ kind: 'retrain', runId: run.id, runName: run.name || null, at: run.createdAt, retrainedFrom: from });
  const evaluations = [...input.evaluations]
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => evaluationStep(e, version.id, input.versionNumber))
    .filter((s): s is RetrainChainStep => s !== null);
  steps.push(...evaluations);
  const inChain = new Set(evaluations.map((s) => (s.kind === 'evaluation' ? s.evaluationId : '')));
  const promotions = input.aliasEvents
    .filter((e) => e.modelName === version.modelName && e.to === version.id)
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }): RetrainChainStep => ({
      kind: 'promotion',
      alias: e.alias,
      at: e.at,
      by: e.by?.trim() || null,
      why: e.why?.trim() || null,
      evaluationId: e.evaluationId && inChain.has(e.evaluationId) ? e.evaluationId : null,
    }));
  steps.push(...promotions);
  return steps;
}
