import { describe, expect, it } from 'vitest';
import { championText, driftShareText, retrainChain, type ChainAliasEvent, type ChainDriftReport, type ChainEvaluation, type RetrainChainInput } from '../../../../src/lib/core/evaluate';
import type { ChallengerComparison, MetricKey } from '../../../../src/lib/core/evaluate';

const V1 = '1'.repeat(64); // the champion
const V2 = '2'.repeat(64); // the retrained version
const V3 = '3'.repeat(64); // another challenger

const version = { id: V2, modelName: 'heart' };
const run = { id: 'run-4', name: 'logreg-4', createdAt: 2_000, retrainedFrom: 'rep-1' };

const report = {
  id: 'rep-1',
  createdAt: Date.UTC(2024, 11, 5, 12),
  notebookId: 'nb-1',
  result: { features: [], tested: 10, drifted: 4, share: 0.4, shareThreshold: 0.5, datasetDrift: false, skipped: [] },
} satisfies ChainDriftReport;

function comparison(challenger: string, words: string, verdict: ChallengerComparison['overall']['verdict'] = 'challenger'): ChallengerComparison {
  const diff = (metric: MetricKey, w: string) => ({ metric, lowerIsBetter: metric === 'logLoss', difference: 0.021, interval: { low: 0.012, high: 0.03 }, verdict: 'challenger' as const, words: w });
  return {
    champion: 'heart v1 @champion',
    challenger,
    disagreement: { rows: 3, share: 0.01 },
    // The first metric (rocAuc) is listed second: the step must pick it by key, not by place.
    differences: [diff('accuracy', 'no clear difference on accuracy'), diff('rocAuc', words)],
    overall: { verdict, words: `${verdict} overall` },
  };
}

/** Champion V1 by alias, then the given challengers, each compared with its words. */
function evaluation(id: string, createdAt: number, challengers: { versionId: string; words: string }[]): ChainEvaluation {
  return {
    id,
    createdAt,
    notebookId: 'nb-1',
    models: [
      { versionId: V1, label: 'heart v1 @champion', ref: { kind: 'alias', modelName: 'heart', alias: 'champion' } },
      ...challengers.map((c) => ({ versionId: c.versionId, label: `heart ${c.versionId[0]!}`, ref: { kind: 'cell' } })),
    ],
    evaluation: { metricKeys: ['rocAuc', 'accuracy'], comparisons: challengers.map((c) => comparison(c.versionId, c.words)) },
  };
}

const event = (e: Partial<ChainAliasEvent> & Pick<ChainAliasEvent, 'to' | 'at'>): ChainAliasEvent => ({ modelName: 'heart', alias: 'champion', from: V1, ...e });

const versionNumber = (id: string) => ({ [V1]: 1, [V2]: 2 })[id];

function input(over: Partial<RetrainChainInput> = {}): RetrainChainInput {
  return { version, run, report, evaluations: [], aliasEvents: [], versionNumber, ...over };
}

describe('retrainChain', () => {
  it('gives drift, retrain, evaluation and promotion in that order with what each shows', () => {
    const steps = retrainChain(
      input({
        evaluations: [evaluation('ev-1', 3_000, [{ versionId: V2, words: 'challenger better on ROC AUC by 0.021 [0.012, 0.030]' }])],
        aliasEvents: [event({ to: V2, at: 4_000, by: ' Ana ', why: 'better AUC', evaluationId: 'ev-1' })],
      }),
    );
    expect(steps).toEqual([
      { kind: 'drift', reportId: 'rep-1', at: report.createdAt, notebookId: 'nb-1', share: 0.4, drifted: 4, tested: 10, summary: '40% of columns drifted' },
      { kind: 'retrain', runId: 'run-4', runName: 'logreg-4', at: 2_000, retrainedFrom: 'rep-1' },
      {
        kind: 'evaluation',
        evaluationId: 'ev-1',
        at: 3_000,
        notebookId: 'nb-1',
        champion: { versionId: V1, label: 'heart@champion (v1)' },
        verdict: 'challenger',
        words: 'challenger better on ROC AUC by 0.021 [0.012, 0.030]',
        overall: 'challenger overall',
      },
      { kind: 'promotion', alias: 'champion', at: 4_000, by: 'Ana', why: 'better AUC', evaluationId: 'ev-1' },
    ]);
  });

  it('has no drift step for a run trained by hand, nor for a report other than the one it names', () => {
    const byHand = retrainChain(input({ run: { ...run, retrainedFrom: null } }));
    expect(byHand).toEqual([{ kind: 'retrain', runId: 'run-4', runName: 'logreg-4', at: 2_000, retrainedFrom: null }]);
    const other = retrainChain(input({ report: { ...report, id: 'rep-2' } }));
    expect(other.map((s) => s.kind)).toEqual(['retrain']);
    // The report was deleted: the run still says which one it came from.
    expect(retrainChain(input({ report: null }))).toEqual([{ kind: 'retrain', runId: 'run-4', runName: 'logreg-4', at: 2_000, retrainedFrom: 'rep-1' }]);
  });

  it('has no drift or retrain step without the run (an imported version)', () => {
    const steps = retrainChain(input({ run: null, aliasEvents: [event({ to: V2, at: 5 })] }));
    expect(steps).toEqual([{ kind: 'promotion', alias: 'champion', at: 5, by: null, why: null, evaluationId: null }]);
  });

  it('keeps only evaluations where the version is a challenger, oldest first, with its own comparison', () => {
    const steps = retrainChain(
      input({
        evaluations: [
          evaluation('ev-late', 9_000, [{ versionId: V3, words: 'v3 words' }, { versionId: V2, words: 'v2 late words' }]),
          evaluation('ev-early', 3_000, [{ versionId: V2, words: 'v2 early words' }]),
          // V2 as the champion: not part of its retraining chain.
          { ...evaluation('ev-champ', 5_000, [{ versionId: V3, words: 'x' }]), models: [{ versionId: V2, label: 'heart v2' }, { versionId: V3, label: 'heart v3' }] },
        ],
      }),
    );
    const evaluations = steps.filter((s) => s.kind === 'evaluation');
    expect(evaluations.map((s) => [s.evaluationId, s.words])).toEqual([
      ['ev-early', 'v2 early words'],
      ['ev-late', 'v2 late words'],
    ]);
  });

  it('counts only promotions to this version of this model, oldest first; an evaluation outside the chain is dropped', () => {
    const steps = retrainChain(
      input({
        evaluations: [evaluation('ev-1', 3_000, [{ versionId: V2, words: 'w' }])],
        aliasEvents: [
          event({ alias: 'prod', to: V2, at: 8_000, by: 'Bo', evaluationId: 'ev-other' }),
          event({ to: V2, at: 4_000, by: 'Ana', why: '  ', evaluationId: 'ev-1' }),
          event({ to: V3, at: 5_000, evaluationId: 'ev-1' }),
          event({ from: V2, to: null, at: 6_000 }),
          event({ modelName: 'other', to: V2, at: 7_000 }),
        ],
      }),
    );
    expect(steps.filter((s) => s.kind === 'promotion')).toEqual([
      { kind: 'promotion', alias: 'champion', at: 4_000, by: 'Ana', why: null, evaluationId: 'ev-1' },
      { kind: 'promotion', alias: 'prod', at: 8_000, by: 'Bo', why: null, evaluationId: null },
    ]);
  });
});

describe('chain texts', () => {
  it('says the drifted share of the columns, or that none could be tested', () => {
    expect(driftShareText({ share: 0.4, tested: 10 })).toBe('40% of columns drifted');
    expect(driftShareText({ share: 1 / 3, tested: 3 })).toBe('33% of columns drifted');
    expect(driftShareText({ share: 0, tested: 0 })).toBe('no column could be tested');
  });

  it('names an alias champion by model, alias and version number, else by its stored label', () => {
    const alias = { versionId: V1, label: 'heart v1 @champion', ref: { kind: 'alias', modelName: 'heart', alias: 'champion' } };
    expect(championText(alias, versionNumber)).toBe('heart@champion (v1)');
    expect(championText(alias)).toBe('heart@champion');
    expect(championText({ versionId: V1, label: 'heart v1', ref: { kind: 'version' } }, versionNumber)).toBe('heart v1');
  });
});
