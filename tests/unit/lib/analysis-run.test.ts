import { describe, expect, it, vi } from 'vitest';
import { encodedTestSplit, runFairness, runImportance, columnAt, type AnalysisDeps, type AnalysisProgress, type ImportanceRequest, type FairnessRequest } from '../../../src/lib/analysis-run';
import { decodeColumns, defaultTrainConfig, prepareData, splitOf, type DatasetSource, type NumericFit, type TrainConfig } from '../../../src/lib/core/training';
import { fairnessReport } from '../../../src/lib/core/fairness';
import { rocAucScore } from '../../../src/lib/core/metrics';
import { LatestRequests, Rng, Superseded } from '../../../src/lib/core/common';
import { columnAsStrings } from '../../../src/lib/core/csv';
import type { PredictableModel } from '../../../src/lib/ml/batch-predict';
import type { MatrixPredictor } from '../../../src/lib/ml/matrix-predict';
import { importText } from '../helpers';

/** label = yes when x1 + 2 x2 > 0 (a little noise); colour and noise carry nothing; a few rows without a label. */
function csv(rows: number, seed: number): string {
  const rng = new Rng(seed);
  const lines = ['x1,x2,colour,noise,label,amount'];
  for (let i = 0; i < rows; i++) {
    const x1 = rng.next() * 4 - 2;
    const x2 = rng.next() * 4 - 2;
    const label = i % 50 === 7 ? '' : x1 + 2 * x2 + (rng.next() - 0.5) > 0 ? 'yes' : 'no';
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${['red', 'green', 'blue'][rng.int(3)]},${rng.next().toFixed(3)},${label},${(10 + 3 * x1 - x2).toFixed(4)}`);
  }
  return lines.join('\n');
}

async function source(text: string): Promise<DatasetSource> {
  const r = await importText(text);
  return { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
}

const FEATURES = ['x1', 'x2', 'colour', 'noise'];

/** The run as training prepared it, and a stand-in network on its encoded features (in raw units). */
async function setup(task: 'binary' | 'regression', threshold: number | null = null) {
  const dataset = await source(csv(600, 3));
  const target = task === 'binary' ? 'label' : 'amount';
  const config: TrainConfig = defaultTrainConfig(dataset.hash, target, task, FEATURES);
  const columns = await decodeColumns(dataset, [...FEATURES, target]);
  const prepared = prepareData(config, columns);
  const spec = prepared.preprocessing;
  const cols = spec.featureNames.length;
  const fit = (name: string) => spec.columns.find((c) => c.name === name) as NumericFit;
  const j1 = spec.featureNames.indexOf('x1');
  const j2 = spec.featureNames.indexOf('x2');
  const raw = (x: Float32Array, i: number, j: number, f: NumericFit) => x[i * cols + j]! * f.std + f.mean;
  /** Binary: p = sigmoid(3 (x1 + 2 x2)). Regression: the (scaled) value 10 + 3 x1 - x2. */
  const outputs = (x: Float32Array, rows: number): Float32Array => {
    const out = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      const a = raw(x, i, j1, fit('x1'));
      const b = raw(x, i, j2, fit('x2'));
      if (prepared.target.task === 'classification') out[i] = 1 / (1 + Math.exp(-3 * (a + 2 * b)));
      else out[i] = prepared.target.scaled ? (10 + 3 * a - b - prepared.target.mean) / prepared.target.std : 10 + 3 * a - b;
    }
    return out;
  };
  const model: PredictableModel = { files: { modelJson: '', weights: new ArrayBuffer(0) }, preprocessing: spec, target: prepared.target, threshold };
  const net = { loads: 0, disposed: 0, predictions: 0 };
  const loadModel = vi.fn(async (): Promise<MatrixPredictor> => {
    net.loads++;
    return {
      cols,
      width: 1,
      predict: async (x, rows, step) => {
        await step?.();
        net.predictions++;
        return outputs(x, rows);
      },
      dispose: () => void net.disposed++,
    };
  });
  return { dataset, config, columns, prepared, model, outputs, loadModel, net };
}

const IMPORTANCE = { repeats: 2, seed: 42, topFeatures: 2, gridPoints: 5, sampleRows: 100 };

describe('encodedTestSplit', () => {
  it('finds the run’s test rows again and encodes them as training did', async () => {
    const s = await setup('binary');
    const test = await encodedTestSplit({ key: 'k', requestId: '1', model: s.model, dataset: s.dataset, config: s.config });
    expect(test.rows).toBe(s.prepared.sizes.test);
    expect(test.x).toEqual(s.prepared.test.x);
    expect(Array.from(test.truth)).toEqual(Array.from(s.prepared.test.y));
    const [target] = await decodeColumns(s.dataset, ['label']);
    expect(Array.from(test.datasetRows)).toEqual(Array.from(splitOf(s.config, target!).split.test));
    // 12 of 600 rows have no label.
    expect(test.present.length).toBe(588);
  });

  it('names a column the dataset version lacks', async () => {
    const s = await setup('binary');
    await expect(encodedTestSplit({ key: 'k', requestId: '1', model: s.model, dataset: s.dataset, config: { ...s.config, target: 'nope' } })).rejects.toThrow('“nope”');
  });
});

describe('runImportance', () => {
  it('ranks the signal features first on AUC, draws their curves, loads the network once', async () => {
    const s = await setup('binary');
    const progress: AnalysisProgress[] = [];
    const request: ImportanceRequest = { key: 'k', requestId: '1', model: s.model, dataset: s.dataset, config: s.config, importance: IMPORTANCE };
    const report = await runImportance(request, { loadModel: s.loadModel, onProgress: (p) => progress.push(p) });
    expect(report.kind).toBe('importance');
    expect(report.metric).toBe('auc');
    expect(report.testRows).toBe(s.prepared.sizes.test);
    // The baseline is the stand-in's AUC on training's own test matrix.
    const p = s.outputs(s.prepared.test.x, s.prepared.test.rows);
    expect(report.baseline).toBeCloseTo(rocAucScore(s.prepared.test.y, p), 12);
    expect(report.features.map((f) => f.feature)).toEqual(['x2', 'x1', 'colour', 'noise']);
    expect(report.features[0]!.mean).toBeGreaterThan(report.features[1]!.mean);
    expect(report.features[1]!.mean).toBeGreaterThan(0.05);
    expect(report.features.slice(2).map((f) => f.mean)).toEqual([0, 0]);
    // Curves of the top two, monotone increasing in the probability of "yes".
    expect(report.partialDependence.map((c) => [c.feature, c.kind, c.output])).toEqual([
      ['x2', 'numeric', 'P(label = yes)'],
      ['x1', 'numeric', 'P(label = yes)'],
    ]);
    for (const c of report.partialDependence) {
      expect(c.grid).toHaveLength(5);
      for (let k = 1; k < c.mean.length; k++) expect(c.mean[k]!).toBeGreaterThan(c.mean[k - 1]!);
    }
    expect(s.net.loads).toBe(1);
    expect(s.net.disposed).toBe(1);
    // 1 baseline + 4 features x 2 repeats + 2 curves x 5 points.
    expect(s.net.predictions).toBe(1 + 8 + 10);
    const shuffles = progress.filter((q) => q.label.startsWith('Shuffling'));
    expect(shuffles.map((q) => q.label)).toEqual(['x1 1/8', 'x1 2/8', 'x2 3/8', 'x2 4/8', 'colour 5/8', 'colour 6/8', 'noise 7/8', 'noise 8/8'].map((l) => `Shuffling ${l}`));
    expect(progress.at(-1)).toEqual({ done: 10, total: 10, label: 'Partial dependence of x1 10/10' });
    // Seeded: the same request gives the same report.
    expect(await runImportance(request, { loadModel: s.loadModel })).toEqual(report);
  });

  it('measures a regression model by RMSE in the target’s units, curves in the target’s units', async () => {
    const s = await setup('regression');
    const report = await runImportance({ key: 'k', requestId: '1', model: s.model, dataset: s.dataset, config: s.config, importance: IMPORTANCE }, { loadModel: s.loadModel });
    expect(report.metric).toBe('rmse');
    const t = s.prepared.target;
    if (t.task !== 'regression' || !t.scaled) throw new Error('training scales a regression target');
    // Truth and predictions back in the target's units.
    const truth = Array.from(s.prepared.test.y, (v) => v * t.std + t.mean);
    const pred = Array.from(s.outputs(s.prepared.test.x, s.prepared.test.rows), (v) => v * t.std + t.mean);
    const rmse = Math.sqrt(truth.reduce((acc, y, i) => acc + (y - pred[i]!) ** 2, 0) / truth.length);
    expect(report.baseline).toBeCloseTo(rmse, 9);
    // 3 x1 - x2 on uniform inputs: x1 matters most, then x2; an RMSE rise counts as a drop.
    expect(report.features.map((f) => f.feature).slice(0, 2)).toEqual(['x1', 'x2']);
    expect(report.features[1]!.mean).toBeGreaterThan(0.5);
    const x1 = report.partialDependence[0]!;
    expect(x1.output).toBe('predicted amount');
    // The stand-in is additive: slope 3 per unit of x1, in the target's units.
    for (let k = 1; k < x1.grid.length; k++) {
      expect((x1.mean[k]! - x1.mean[k - 1]!) / ((x1.grid[k] as number) - (x1.grid[k - 1] as number))).toBeCloseTo(3, 3);
    }
  });

  it('a cancel stops it at the next step with Superseded, and the network is freed', async () => {
    const s = await setup('binary');
    const latest = new LatestRequests();
    const id = { key: 'analysis', requestId: 'a:1' };
    const run = latest.run(id, (token) =>
      runImportance({ ...id, model: s.model, dataset: s.dataset, config: s.config, importance: IMPORTANCE }, {
        loadModel: s.loadModel,
        token,
        onProgress: (p) => {
          // The worker's cancel: a newer id for the key, ended at once.
          if (p.label.startsWith('Shuffling') && p.done === 3) {
            latest.begin({ key: 'analysis', requestId: 'a:cancel' });
            latest.end({ key: 'analysis', requestId: 'a:cancel' });
          }
        },
      }),
    );
    await expect(run).rejects.toBeInstanceOf(Superseded);
    // Baseline and three shuffles were scored; nothing after the cancel.
    expect(s.net.predictions).toBe(4);
    expect(s.net.disposed).toBe(1);
  });
});

describe('runFairness', () => {
  const FAIRNESS = { attributes: ['colour', 'x1'], favourable: 'yes', bins: 3, resamples: 50, seed: 7 };

  it('gives core fairnessReport’s result on the dataset’s labels and the test split’s thresholded predictions', async () => {
    const s = await setup('binary', 0.7);
    const request: FairnessRequest = { key: 'k', requestId: '1', model: s.model, dataset: s.dataset, config: s.config, fairness: FAIRNESS };
    const progress: AnalysisProgress[] = [];
    const report = await runFairness(request, { loadModel: s.loadModel, onProgress: (p) => progress.push(p) });
    // Built by hand: labels read as strings, the test rows from the split, p >= 0.7 favourable.
    const [label, colour, x1] = await decodeColumns(s.dataset, ['label', 'colour', 'x1']);
    const strings = columnAsStrings(label!.data);
    const text = (r: number) => (strings.codes[r]! === 0 ? null : strings.dict[strings.codes[r]! - 1]!);
    const present = Uint32Array.from({ length: s.dataset.rows }, (_, r) => r).filter((r) => text(r) !== null);
    const test = splitOf(s.config, label!).split.test;
    const p = s.outputs(s.prepared.test.x, s.prepared.test.rows);
    const expected = fairnessReport({
      config: FAIRNESS,
      threshold: 0.7,
      dataset: { favourable: Array.from(present, (r) => text(r) === 'yes'), attributes: [columnAt(colour!.data, present), columnAt(x1!.data, present)] },
      test: { favourable: Array.from(test, (r) => text(r) === 'yes'), predicted: Array.from(p, (v) => v >= 0.7), attributes: [columnAt(colour!.data, test), columnAt(x1!.data, test)] },
    });
    expect(report).toEqual(expected);
    expect(report.threshold).toBe(0.7);
    expect(report.datasetRows).toBe(588);
    expect(report.testRows).toBe(s.prepared.sizes.test);
    expect(progress.map((q) => q.done)).toEqual([0, 1, 2, 3]);
    expect(s.net.loads).toBe(1);
    expect(s.net.disposed).toBe(1);
  });

  it('refuses a regression model, an unknown favourable label and a missing attribute with clear messages', async () => {
    const r = await setup('regression');
    await expect(runFairness({ key: 'k', requestId: '1', model: r.model, dataset: r.dataset, config: r.config, fairness: FAIRNESS }, { loadModel: r.loadModel })).rejects.toThrow(/classification models.*regression/);
    expect(r.net.loads).toBe(0);
    const b = await setup('binary');
    const base = { key: 'k', requestId: '1', model: b.model, dataset: b.dataset, config: b.config };
    await expect(runFairness({ ...base, fairness: { ...FAIRNESS, favourable: 'maybe' } }, { loadModel: b.loadModel })).rejects.toThrow('“maybe” is not a class of “label” (its classes: “no”, “yes”)');
    await expect(runFairness({ ...base, fairness: { ...FAIRNESS, attributes: ['age'] } }, { loadModel: b.loadModel })).rejects.toThrow('no column “age”');
  });

  it('stops with Superseded when cancelled before the prediction', async () => {
    const s = await setup('binary');
    let steps = 0;
    const deps: AnalysisDeps = {
      loadModel: s.loadModel,
      token: {
        check: () => {},
        step: async () => {
          if (++steps === 2) throw new Superseded('k');
        },
      },
    };
    await expect(runFairness({ key: 'k', requestId: '1', model: s.model, dataset: s.dataset, config: s.config, fairness: FAIRNESS }, deps)).rejects.toBeInstanceOf(Superseded);
    expect(s.net.predictions).toBe(0);
  });
});
