/** A small notebook for the pipeline tests: dataset -> prepare -> train -> predict / drift / compare. */
import { createCell, type Cell } from '../../../../src/lib/core/notebook';
import { defaultTrainConfig } from '../../../../src/lib/core/training';

export const H1 = 'a'.repeat(64);
export const H2 = 'b'.repeat(64);
export const H3 = 'c'.repeat(64);

export function trainConfig(datasetHash: string) {
  return defaultTrainConfig(datasetHash, 'y', 'binary', ['x1', 'x2']);
}

/** d (dataset H1), m (markdown), p (prepare H1 -> H2), t (train on H2, run r1), q (predict mv1 on H1), x (drift, model mv1, current H3), c (compare, nothing picked). */
export function notebook(): Cell[] {
  return [
    createCell('dataset', 'd', { versionHash: H1, target: 'y' }),
    createCell('markdown', 'm', { text: 'hypothesis' }),
    createCell('prepare', 'p', { inputHash: H1, recipe: { steps: [{ kind: 'filter', expression: 'x1 > 0' }] }, resultHash: H2 }),
    createCell('train', 't', { config: trainConfig(H2), modelName: 'heart', runIds: ['r1'] }),
    createCell('predict', 'q', { modelVersionId: 'mv1', datasetHash: H1, predictionId: 'pred1' }),
    createCell('drift', 'x', { referenceKind: 'model', modelVersionId: 'mv1', referenceHash: H1, currentHash: H3, reportId: 'rep1' }),
    createCell('compare', 'c'),
  ];
}

export const modelVersionRuns: ReadonlyMap<string, string> = new Map([['mv1', 'r1']]);
