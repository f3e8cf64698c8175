/**
 * Synthetic stored runs for benchmarks: `syntheticRuns(n, { seed, datasetHash })`
 * gives n plain RunRecords shaped exactly like the ones the app stores after
 * training a binary classifier on the full heart dataset (319,795 rows,
 * HeartDisease No / Yes, 8.6 % Yes): a full TrainConfig, 100 epochs of
 * falling loss and rising AUC, a test evaluation with its report, confusion
 * matrix and 200-point ROC and PR curves, tags, notes, sweeps, backend and
 * environment. About 4 % of the runs failed (the loss diverged) or were
 * cancelled: those have part of their epochs and no evaluation.
 *
 * The test scores follow a binormal model (negatives N(0, 1), positives
 * N(d, σ²), AUC = Φ(d / √(1 + σ²))), turned into probabilities centred
 * where a model trained at the run's class balance would put them, and
 * counted on a fine grid of thresholds as the real test split would be:
 * AUC, average precision, log loss, confusion and report all come from
 * those counts, so they agree with each other and with the curves.
 *
 * Deterministic: the same seed gives the same runs, and the first k runs of
 * `syntheticRuns(n)` are those of `syntheticRuns(k)`. Only the first ROC
 * threshold is not finite (+Infinity, as the app stores it): send the runs
 * through `runsToJson` and `JSON.parse(text, reviveNonFinite)` where they
 * must cross JSON.
 */
import { readFileSync } from 'node:fs';

const APP_VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
const TFJS_VERSION = '4.22.0';
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36';

/** First run's start: Monday 2 June 2025, 09:00 UTC. Later runs follow over about a month. */
const START = Date.UTC(2025, 5, 2, 9, 0, 0);

const ROWS = 319_795;
const POSITIVES = 27_373;
/** Largest-remainder sizes of 0.7 / 0.15 / 0.15, as the app's split gives them. */
const SIZES = { train: 223_857, validation: 47_969, test: 47_969, droppedMissingTarget: 0 };
const TEST_POSITIVES = Math.round((SIZES.test * POSITIVES) / ROWS);
const TRAIN_POSITIVES = Math.round((SIZES.train * POSITIVES) / ROWS);
const PREVALENCE = POSITIVES / ROWS;
const CLASSES = ['No', 'Yes'];
const CURVE_POINTS = 200;
const GRID = 2400;

const FEATURES = [
  'BMI', 'Smoking', 'AlcoholDrinking', 'Stroke', 'PhysicalHealth', 'MentalHealth', 'DiffWalking', 'Sex',
  'AgeCategory', 'Race', 'Diabetic', 'PhysicalActivity', 'GenHealth', 'SleepTime', 'Asthma', 'KidneyDisease',
  'SkinCancer',
];
const CATEGORIES = {
  Sex: [['Female', 0.5247], ['Male', 0.4753]],
  AgeCategory: [
    ['65-69', 34151], ['60-64', 33686], ['70-74', 31065], ['55-59', 29757], ['50-54', 25382], ['80 or older', 24153],
    ['45-49', 21791], ['75-79', 21482], ['18-24', 21064], ['40-44', 21006], ['35-39', 20550], ['30-34', 18753],
    ['25-29', 16955],
  ],
  Race: [['White', 245212], ['Hispanic', 27446], ['Black', 22939], ['Other', 10928], ['Asian', 8068], ['American Indian/Alaskan Native', 5202]],
  Diabetic: [['No', 269653], ['Yes', 40802], ['No, borderline diabetes', 6781], ['Yes (during pregnancy)', 2559]],
  GenHealth: [['Very good', 113858], ['Good', 93129], ['Excellent', 66842], ['Fair', 34677], ['Poor', 11289]],
};
const NUMERIC = {
  BMI: { type: 'numeric', fill: 27.34, mean: 28.325, std: 6.356 },
  PhysicalHealth: { type: 'integer', fill: 0, mean: 3.372, std: 7.951 },
  MentalHealth: { type: 'integer', fill: 0, mean: 3.898, std: 7.955 },
  SleepTime: { type: 'integer', fill: 7, mean: 7.097, std: 1.436 },
};
/** Training majority of each Yes / No column (1 = Yes). */
const BOOLEAN_FILL = { Smoking: 0, AlcoholDrinking: 0, Stroke: 0, DiffWalking: 0, PhysicalActivity: 1, Asthma: 0, KidneyDisease: 0, SkinCancer: 0 };

const MODELS = [
  { model: 'linear', hiddenUnits: [64, 64] },
  { model: 'mlp', hiddenUnits: [32] },
  { model: 'mlp', hiddenUnits: [64] },
  { model: 'mlp', hiddenUnits: [64, 64] },
  { model: 'mlp', hiddenUnits: [128, 64] },
  { model: 'mlp', hiddenUnits: [128, 64, 32] },
];
const BATCH_SIZES = [64, 128, 256, 512, 1024];
const IMBALANCE = ['none', 'class-weights', 'oversample', 'undersample', 'smote'];
/** The plain logistic regression every comparison starts from. */
const BASELINE = { arch: MODELS[0], learningRate: 0.01, batchSize: 512, imbalance: 'none', thresholdRule: 'default' };
const LR_GRID = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1];

/** Mulberry32: a small, fast, seeded 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit mix of two integers (for per-run seeds independent of n). */
function mix(a, b) {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

function tools(rand) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const normal = () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const hex = (chars) => {
    let s = '';
    for (let i = 0; i < chars; i++) s += Math.floor(rand() * 16).toString(16);
    return s;
  };
  const uuid = () => {
    const h = hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[Math.floor(rand() * 4)];
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  return { rand, pick, normal, hex, uuid };
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf, |error| < 1.5e-7). */
function phi(x) {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Φ⁻¹ by bisection (plenty fast for one call per run). */
function phiInverse(p) {
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (phi(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const logit = (p) => Math.log(p / (1 - p));
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/**
 * The test split's counts at a fine grid of thresholds, highest first (as
 * the app's thresholdCounts): negatives score N(0, 1), positives N(d, σ²)
 * with AUC = Φ(d / √(1 + σ²)); the probability is a logistic function of
 * the score, centred where a model trained at class share `trainPrior`
 * would put it, give or take the run's own miscalibration.
 */
function testCounts(auc, trainPrior, shape) {
  const { sigma, slope, offset } = shape;
  const d = Math.sqrt(1 + sigma * sigma) * phiInverse(auc);
  const bias = logit(trainPrior) - (d * d) / 2;
  const P = TEST_POSITIVES;
  const N = SIZES.test - P;
  const hi = d + 5.5 * sigma;
  const lo = -5.5;
  const thresholds = [];
  const tps = [];
  const fps = [];
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k <= GRID; k++) {
    const s = hi - ((hi - lo) * k) / GRID;
    let tp = k === GRID ? P : Math.max(prevTp, Math.round(P * (1 - phi((s - d) / sigma))));
    let fp = k === GRID ? N : Math.max(prevFp, Math.round(N * (1 - phi(s))));
    tp = Math.min(tp, P);
    fp = Math.min(fp, N);
    // A threshold is a distinct score of some row: no row, no threshold.
    if (tp + fp === 0 || (tp === prevTp && fp === prevFp)) continue;
    thresholds.push(Math.fround(sigmoid(slope * (d * s + bias) + offset)));
    tps.push(tp);
    fps.push(fp);
    prevTp = tp;
    prevFp = fp;
  }
  return { positives: P, negatives: N, thresholds, tps, fps };
}

/** ROC AUC, average precision and log loss of the counts, as the app computes them. */
function countMetrics(c) {
  let area = 0;
  let ap = 0;
  let loss = 0;
  let prevTp = 0;
  let prevFp = 0;
  const eps = 1e-15;
  for (let k = 0; k < c.thresholds.length; k++) {
    const tp = c.tps[k];
    const fp = c.fps[k];
    area += (fp - prevFp) * (tp + prevTp);
    if (tp !== prevTp) ap += ((tp - prevTp) / c.positives) * (tp / (tp + fp));
    const p = clamp(c.thresholds[k], eps, 1 - eps);
    loss -= (tp - prevTp) * Math.log(p) + (fp - prevFp) * Math.log(1 - p);
    prevTp = tp;
    prevFp = fp;
  }
  return { rocAuc: area / 2 / (c.positives * c.negatives), averagePrecision: ap, logLoss: loss / (c.positives + c.negatives) };
}

/** Counts when predicting Yes at p >= threshold. */
function countsAt(c, threshold) {
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < c.thresholds.length && c.thresholds[k] >= threshold; k++) {
    tp = c.tps[k];
    fp = c.fps[k];
  }
  return { tp, fp };
}

function scores(tp, fp, positives) {
  return {
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: tp / positives,
    f1: tp > 0 ? (2 * tp) / (tp + fp + positives) : 0,
  };
}

/** The grid threshold with the best F1 (the highest one on a tie). */
function maxF1Threshold(c) {
  let best = 0;
  let bestF1 = -1;
  for (let k = 0; k < c.thresholds.length; k++) {
    const f1 = (2 * c.tps[k]) / (c.tps[k] + c.fps[k] + c.positives);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = k;
    }
  }
  return c.thresholds[best];
}

/** Exactly `keep` indices of a path (ends kept), spread along its length as the app's downsampler does. */
function spread(x, y, keep) {
  const n = x.length;
  if (n <= keep) return Array.from({ length: n }, (_, i) => i);
  const cum = [0];
  for (let i = 1; i < n; i++) cum.push(cum[i - 1] + Math.abs(x[i] - x[i - 1]) + Math.abs(y[i] - y[i - 1]));
  const total = cum[n - 1];
  const chosen = new Set([0, n - 1]);
  let i = 0;
  for (let k = 1; k < keep - 1; k++) {
    const target = (k * total) / (keep - 1);
    while (i < n - 1 && cum[i] < target) i++;
    chosen.add(i);
  }
  // Where one step of the path is longer than the spacing, fill up evenly by index.
  for (let k = 1; chosen.size < keep; k++) chosen.add(Math.round((k * (n - 1)) / keep) % n);
  return [...chosen].sort((a, b) => a - b).slice(0, keep);
}

function rocCurve(c) {
  const fpr = [0, ...c.fps.map((v) => v / c.negatives)];
  const tpr = [0, ...c.tps.map((v) => v / c.positives)];
  const thresholds = [Infinity, ...c.thresholds];
  const idx = spread(fpr, tpr, CURVE_POINTS);
  return { fpr: idx.map((i) => fpr[i]), tpr: idx.map((i) => tpr[i]), thresholds: idx.map((i) => thresholds[i]) };
}

/** sklearn's order: thresholds ascending, recall falling, then (recall 0, precision 1) with no threshold. */
function prCurve(c) {
  const m = c.thresholds.length;
  const precision = [];
  const recall = [];
  const thresholds = [];
  for (let at = 0; at < m; at++) {
    const k = m - 1 - at;
    precision.push(c.tps[k] / (c.tps[k] + c.fps[k]));
    recall.push(c.tps[k] / c.positives);
    thresholds.push(c.thresholds[k]);
  }
  precision.push(1);
  recall.push(0);
  const idx = spread(recall, precision, CURVE_POINTS);
  return {
    precision: idx.map((i) => precision[i]),
    recall: idx.map((i) => recall[i]),
    thresholds: idx.filter((i) => i !== m).map((i) => thresholds[i]),
  };
}

function reportOf(confusion) {
  const [[tn, fp], [fn, tp]] = confusion;
  const n = tn + fp + fn + tp;
  const row = (label, hit, predicted, support) => ({
    label,
    precision: predicted > 0 ? hit / predicted : 0,
    recall: support > 0 ? hit / support : 0,
    f1: support + predicted > 0 ? (2 * hit) / (support + predicted) : 0,
    support,
  });
  const perClass = [row('No', tn, tn + fn, tn + fp), row('Yes', tp, tp + fp, fn + tp)];
  const avg = (w) => {
    const total = w.reduce((s, v) => s + v, 0);
    const mean = (key) => perClass.reduce((s, r, i) => s + r[key] * w[i], 0) / total;
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: n };
  };
  return { perClass, accuracy: (tn + tp) / n, macro: avg([1, 1]), weighted: avg(perClass.map((r) => r.support)) };
}

function evaluationOf(auc, trainPrior, shape, threshold) {
  const counts = testCounts(auc, trainPrior, shape);
  const m = countMetrics(counts);
  const { tp, fp } = countsAt(counts, threshold);
  const P = counts.positives;
  const N = counts.negatives;
  const confusion = [
    [N - fp, fp],
    [P - tp, tp],
  ];
  const report = reportOf(confusion);
  const recalls = report.perClass.map((r) => r.recall);
  const evaluation = {
    task: 'binary',
    n: P + N,
    classes: [...CLASSES],
    threshold,
    accuracy: report.accuracy,
    balancedAccuracy: (recalls[0] + recalls[1]) / 2,
    logLoss: m.logLoss,
    gMean: Math.sqrt(recalls[0] * recalls[1]),
    minorityClass: 'Yes',
    minorityF1: report.perClass[1].f1,
    report,
    confusion,
    rocAuc: m.rocAuc,
    averagePrecision: m.averagePrecision,
    curves: [
      {
        classIndex: 1,
        label: 'Yes',
        positives: P,
        negatives: N,
        rocAuc: m.rocAuc,
        averagePrecision: m.averagePrecision,
        roc: rocCurve(counts),
        pr: prCurve(counts),
      },
    ],
    notes: [],
  };
  return { evaluation, counts };
}

function preprocessingSpec() {
  const columns = FEATURES.map((name) => {
    if (NUMERIC[name]) return { name, type: NUMERIC[name].type, missing: 0, indicator: false, fill: NUMERIC[name].fill, mean: NUMERIC[name].mean, std: NUMERIC[name].std };
    if (name in BOOLEAN_FILL) return { name, type: 'boolean', missing: 0, indicator: false, fill: BOOLEAN_FILL[name] };
    const cats = CATEGORIES[name];
    const total = cats.reduce((s, [, w]) => s + w, 0);
    const counts = cats.map(([, w]) => Math.round((w / total) * SIZES.train));
    counts[0] += SIZES.train - counts.reduce((s, v) => s + v, 0);
    return { name, type: 'categorical', missing: 0, indicator: false, categories: cats.map(([c]) => c), counts, otherCount: 0, fill: cats[0][0], keys: 'text' };
  });
  const featureNames = columns.flatMap((c) => (c.type === 'categorical' ? [...c.categories.map((v) => `${c.name}=${v}`), `${c.name}__other`] : [c.name]));
  return { version: 1, options: { impute: 'median', missingIndicators: false, topK: 20 }, fittedRows: SIZES.train, columns, featureNames };
}

function configOf(t, datasetHash, epochs, over) {
  const arch = over.arch ?? t.pick(MODELS);
  const mlp = arch.model === 'mlp';
  return {
    datasetHash,
    target: 'HeartDisease',
    task: 'binary',
    features: [...FEATURES],
    model: arch.model,
    hiddenUnits: [...arch.hiddenUnits],
    activation: mlp ? t.pick(['relu', 'relu', 'relu', 'tanh', 'elu']) : 'relu',
    dropout: mlp ? t.pick([0, 0, 0.1, 0.2, 0.3]) : 0,
    l2: t.pick([0, 0, 0, 0.0001, 0.001]),
    // Epoch curves for every run: mini-batch training with the budget set by hand.
    solver: 'minibatch',
    C: 1,
    maxIter: 100,
    tol: 0.0001,
    autoBudget: false,
    maxMinutes: 1440,
    optimizer: t.rand() < 0.9 ? 'adam' : 'sgd',
    learningRate: over.learningRate ?? Number((10 ** (-4 + 3 * t.rand())).toPrecision(2)),
    epochs,
    batchSize: over.batchSize ?? t.pick(BATCH_SIZES),
    earlyStopping: t.rand() < 0.3,
    // Patience longer than the run: early stopping keeps the best epoch but never cuts a run short.
    patience: epochs,
    monitor: 'val_loss',
    trainFraction: 0.7,
    validationFraction: 0.15,
    testFraction: 0.15,
    stratify: true,
    impute: 'median',
    missingIndicators: false,
    topK: 20,
    imbalance: over.imbalance ?? t.pick(IMBALANCE),
    thresholdRule: over.thresholdRule ?? (t.rand() < 0.35 ? 'max-f1' : 'default'),
    targetRecall: 0.8,
    seed: over.seed ?? Math.floor(t.rand() * 1000),
    backend: t.rand() < 0.85 ? 'auto' : t.pick(['wasm', 'webgl', 'cpu']),
  };
}

function backendOf(t, config, msPerStep) {
  const f = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
  if (config.backend !== 'auto') {
    return { requested: config.backend, used: config.backend, reason: `${config.backend}, as chosen`, adapter: null, measurements: [], fallbacks: [] };
  }
  const timed = {
    webgpu: msPerStep * (2.5 + t.rand()),
    webgl: msPerStep * (3.5 + 2 * t.rand()),
    wasm: msPerStep,
    cpu: msPerStep * (9 + 6 * t.rand()),
  };
  const measurements = Object.entries(timed).map(([backend, ms]) => ({ backend, msPerStep: ms }));
  const others = ['webgpu', 'webgl', 'cpu'].map((b) => `${b} ${f(timed[b])}`).join(', ');
  return {
    requested: 'auto',
    used: 'wasm',
    reason: `auto: wasm was fastest at ${f(msPerStep)} ms per step (against ${others})`,
    adapter: null,
    measurements,
    fallbacks: [],
  };
}

/** How good the run gets, and how fast: depends on the learning rate, the model and the balance strategy. */
function quality(t, config) {
  const lr = config.learningRate;
  const mlp = config.model === 'mlp';
  // Bayes AUC of the labels is about 0.824; a linear model gets close, a small MLP a little closer.
  let ceiling = 0.8215 + (mlp ? 0.0015 : 0) - (config.imbalance === 'undersample' ? 0.003 : 0) - (config.optimizer === 'sgd' ? 0.004 : 0);
  if (lr > 0.03) ceiling -= (lr - 0.03) * (mlp ? 0.25 : 0.1);
  ceiling += 0.0015 * t.normal();
  const tau = clamp(1.5 + 0.02 / lr, 1, 80) * (config.optimizer === 'sgd' ? 2 : 1) * (config.batchSize / 512) ** 0.5;
  const overfit = mlp && config.dropout === 0 ? (config.hiddenUnits.reduce((s, u) => s + u, 0) / 192) * 0.00012 * (lr >= 0.003 ? 1 : 0.3) : 0;
  const noisy = 1 + (lr >= 0.03 ? 3 : 0) + (config.batchSize <= 128 ? 1 : 0);
  // The score distributions and calibration of this model on the test split.
  const shape = { sigma: 0.95 + 0.3 * t.rand(), slope: 0.85 + 0.3 * t.rand(), offset: 0.25 * t.normal() };
  return { ceiling, tau, overfit, noisy, shape };
}

function epochsOf(t, config, q, count, trainPrior, epochMs) {
  const balanced = trainPrior === 0.5;
  const entropy = (p) => -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
  const start = entropy(trainPrior);
  // Where the losses settle at the ceiling AUC: computed from the same counts the evaluation uses.
  const atCeiling = countMetrics(testCounts(clamp(q.ceiling, 0.6, 0.83), trainPrior, q.shape)).logLoss;
  const valFinal = atCeiling;
  const trainFinal = balanced ? start * 0.74 : atCeiling * 0.99;
  const valStart = balanced ? entropy(0.5) * 0.98 : start * 0.97;
  const penalty = config.l2 * 4;
  const records = [];
  for (let e = 1; e <= count; e++) {
    const left = Math.exp(-e / q.tau);
    const over = q.overfit * Math.max(0, e - 3 * q.tau) ** 1.1;
    const auc = q.ceiling - (q.ceiling - 0.72) * left - over * 0.5;
    const loss = trainFinal + (start - trainFinal) * left ** 1.2 - over * 0.6 + penalty;
    const valLoss = valFinal + (valStart - valFinal) * left ** 1.2 + over;
    records.push({
      epoch: e,
      loss: loss * (1 + 0.002 * q.noisy * t.normal()),
      valLoss: valLoss * (1 + 0.004 * q.noisy * t.normal()),
      metric: clamp(auc + 0.004 + over + 0.0015 * q.noisy * t.normal(), 0.5, 0.99),
      valMetric: clamp(auc + 0.0025 * q.noisy * t.normal(), 0.5, 0.99),
      ms: epochMs * (0.92 + 0.16 * t.rand()) * (e === 1 ? 1.35 : 1),
    });
  }
  return records;
}

const NOTES = {
  baseline: ['Baseline: logistic regression, every feature, no rebalancing.', 'Baseline again after the import fix.', ''],
  smote: ['SMOTE on the training split; validation and test keep the true 8.6 % Yes.', 'SMOTE-NC: recall of Yes is up, precision down.', ''],
  'lr-sweep': ['Learning-rate sweep, log grid.', ''],
  other: ['', '', '', '', 'Looks overfit after epoch 40.', 'Try a wider first layer next.', 'Same as the previous run with another seed.', 'Threshold tuned for F1 on validation.'],
};

/** The sweeps and single runs, in order: each group shares a sweep id and varies one axis. */
function plan(seed, n) {
  const t = tools(mulberry32(mix(seed, 0x5eed)));
  const groups = [];
  let total = 0;
  while (total < n) {
    const r = t.rand();
    let group;
    if (r < 0.06) group = { kind: 'baseline', size: 1 };
    else if (r < 0.7) group = { kind: 'single', size: 1 };
    else if (r < 0.8) group = { kind: 'lr', size: LR_GRID.length };
    else if (r < 0.87) group = { kind: 'batch', size: BATCH_SIZES.length };
    else if (r < 0.94) group = { kind: 'imbalance', size: IMBALANCE.length };
    else group = { kind: 'seeds', size: 3 + Math.floor(t.rand() * 4) };
    group.sweepId = group.size === 1 ? null : t.uuid();
    group.seed = Math.floor(t.rand() * 2 ** 31);
    group.gapMs = t.rand() < 0.08 ? 10 * 3_600_000 + t.rand() * 4 * 3_600_000 : -Math.log(Math.max(t.rand(), 1e-9)) * 30 * 60_000;
    groups.push(group);
    total += group.size;
  }
  return groups;
}

/**
 * n synthetic RunRecords (plain objects, structured-cloneable), oldest first.
 * @param {number} n
 * @param {{ seed: number, datasetHash: string, epochs?: number }} options
 */
export function syntheticRuns(n, { seed, datasetHash, epochs = 100 }) {
  const runs = [];
  const groups = plan(seed, n);
  const notebooks = Array.from({ length: 3 }, (_, i) => tools(mulberry32(mix(seed, 1000 + i))).uuid());
  let clock = START;
  let index = 0;
  for (const group of groups) {
    const g = tools(mulberry32(mix(seed, group.seed)));
    const base = configOf(g, datasetHash, epochs, {});
    const notebookId = g.pick(notebooks);
    const cellId = g.uuid();
    clock += group.gapMs;
    for (let k = 0; k < group.size && index < n; k++, index++) {
      const t = tools(mulberry32(mix(seed, index + 1)));
      const over =
        group.kind === 'single'
          ? {}
          : group.kind === 'baseline'
            ? BASELINE
            : {
              arch: { model: base.model, hiddenUnits: base.hiddenUnits },
              learningRate: group.kind === 'lr' ? LR_GRID[k] : base.learningRate,
              batchSize: group.kind === 'batch' ? BATCH_SIZES[k] : base.batchSize,
              imbalance: group.kind === 'imbalance' ? IMBALANCE[k] : base.imbalance,
              thresholdRule: base.thresholdRule,
              seed: group.kind === 'seeds' ? base.seed + k : base.seed,
            };
      const config = group.size === 1 ? configOf(t, datasetHash, epochs, over) : { ...configOf(t, datasetHash, epochs, over), ...sharedOf(base) };
      runs.push(runOf(t, config, { sweepId: group.sweepId, kind: group.kind, notebookId, cellId, createdAt: clock }));
      const run = runs[runs.length - 1];
      clock = (run.endedAt ?? clock) + (group.size === 1 ? 0 : 300 + t.rand() * 1500);
    }
  }
  return runs;
}

/** What every run of a sweep shares with its first: everything but the swept axis. */
function sharedOf(base) {
  const { activation, dropout, l2, optimizer, earlyStopping, backend } = base;
  return { activation, dropout, l2, optimizer, earlyStopping, backend };
}

function runOf(t, config, { sweepId, kind, notebookId, cellId, createdAt }) {
  const mlp = config.model === 'mlp';
  const params = mlp ? config.hiddenUnits.reduce((s, u, i, a) => s + u * (i === 0 ? 47 : a[i - 1]) + u, 0) + config.hiddenUnits.at(-1) + 1 : 48;
  const msPerStep = (0.9 + params / 9000) * (config.batchSize / 512) ** 0.6 * (0.85 + 0.3 * t.rand());
  const steps = Math.ceil(SIZES.train / config.batchSize) * (config.imbalance === 'oversample' || config.imbalance === 'smote' ? 1.83 : config.imbalance === 'undersample' ? 0.17 : 1);
  const epochMs = steps * msPerStep + 180;
  const backend = backendOf(t, config, msPerStep);
  const environment = { appVersion: APP_VERSION, tfjsVersion: TFJS_VERSION, userAgent: USER_AGENT, hardwareConcurrency: 8 };
  const trainPrior = config.imbalance === 'none' ? PREVALENCE : 0.5;
  const q = quality(t, config);

  // A few runs end early: a high learning rate diverges now and then, and some are cancelled.
  const r = t.rand();
  const status = config.learningRate >= 0.05 && r < 0.15 ? 'failed' : r > 0.975 ? 'cancelled' : 'completed';
  const count = status === 'completed' ? config.epochs : 2 + Math.floor(t.rand() * (config.epochs / 2));
  const epochs = epochsOf(t, config, q, count, trainPrior, epochMs);
  const trainingMs = epochs.reduce((s, e) => s + e.ms, 0);
  const durationMs = trainingMs + 2600 + 1400 * t.rand() + (status === 'completed' ? 900 : 0);
  const endedAt = Math.round(createdAt + durationMs);

  const tags = [];
  if (kind === 'lr') tags.push('lr-sweep');
  if (config.imbalance === 'smote' && t.rand() < 0.6) tags.push('smote');
  const baseline = kind === 'baseline' || (kind === 'single' && config.model === 'linear' && config.imbalance === 'none' && t.rand() < 0.5);
  if (baseline) tags.push('baseline');
  if (t.rand() < 0.05) tags.push('keep');
  const notePool = baseline ? NOTES.baseline : kind === 'lr' ? NOTES['lr-sweep'] : config.imbalance === 'smote' ? NOTES.smote : NOTES.other;
  const notes = t.pick(notePool);

  const run = {
    id: t.uuid(),
    notebookId,
    cellId,
    datasetHash: config.datasetHash,
    config,
    fingerprint: t.hex(64),
    status,
    statusMessage: null,
    notes,
    tags,
    reproducesRunId: null,
    sweepId,
    createdAt: Math.round(createdAt),
    heartbeatAt: endedAt,
    endedAt,
    durationMs,
    backend,
    environment,
    sizes: { ...SIZES },
    mainMetric: null,
    epochs,
    bestEpoch: null,
    stoppedEarly: false,
    preprocessing: null,
    target: null,
    evaluation: null,
    modelVersionId: null,
    parentRunId: null,
    cellFingerprint: null,
    retrainedFrom: null,
    solver: null,
    diagnostics: [],
  };
  if (status === 'failed') {
    const last = epochs.length + 1;
    const batches = Math.ceil(SIZES.train / config.batchSize);
    run.statusMessage = `The training loss became NaN in epoch ${last} (by batch ${1 + Math.floor(t.rand() * batches)} of ${batches}). The weights were not saved. Lower the learning rate (now ${config.learningRate}), or check the features for extreme values.`;
    return run;
  }
  if (status === 'cancelled') {
    run.statusMessage = `Cancelled by the user after ${epochs.length} epochs.`;
    return run;
  }

  let bestEpoch = epochs.length;
  if (config.earlyStopping) {
    for (const e of epochs) if (e.valLoss < epochs[bestEpoch - 1].valLoss) bestEpoch = e.epoch;
  }
  const best = epochs[bestEpoch - 1];
  const auc = clamp(best.valMetric + 0.002 * t.normal(), 0.55, 0.83);
  let threshold = 0.5;
  let thresholdReport = null;
  if (config.thresholdRule === 'max-f1') {
    const { counts } = evaluationOf(auc, trainPrior, q.shape, 0.5);
    threshold = maxF1Threshold(counts);
    const at = (th) => {
      const { tp, fp } = countsAt(counts, th);
      return { threshold: th, ...scores(tp, fp, counts.positives) };
    };
    const test = [at(0.5), at(threshold)];
    // Tuned on validation: its figures are close to, not equal to, the test split's.
    const v = test[1];
    const jitter = (x) => clamp(x * (1 + 0.02 * t.normal()), 0, 1);
    const choice = { threshold, rule: { kind: 'max-f1' }, precision: jitter(v.precision), recall: jitter(v.recall), f1: jitter(v.f1), note: '' };
    choice.note = `Threshold ${Number(threshold.toPrecision(4))} maximizes F1 on the validation split (precision ${choice.precision.toFixed(3)}, recall ${choice.recall.toFixed(3)}, F1 ${choice.f1.toFixed(3)}).`;
    thresholdReport = { choice, test };
  }
  const { evaluation } = evaluationOf(auc, trainPrior, q.shape, threshold);
  const yes = Math.round(TRAIN_POSITIVES);
  const no = SIZES.train - yes;
  const imbalanceNote = {
    none: null,
    'class-weights': `Balanced class weights: No rows weigh ${(SIZES.train / (2 * no)).toFixed(2)}, Yes rows weigh ${(SIZES.train / (2 * yes)).toFixed(2)}.`,
    oversample: `Random oversampling: ${(no - yes).toLocaleString('en-US')} copied rows; training now 50.0 % Yes.`,
    undersample: `Random undersampling: ${(no - yes).toLocaleString('en-US')} rows left out; training now 50.0 % Yes.`,
    smote: `SMOTE: ${(no - yes).toLocaleString('en-US')} synthetic Yes rows; training now 50.0 % Yes.`,
  }[config.imbalance];
  return {
    ...run,
    mainMetric: 'auc',
    bestEpoch,
    preprocessing: preprocessingSpec(),
    target: { task: 'classification', type: 'boolean', classes: [...CLASSES], counts: [no, yes], keys: 'text' },
    evaluation,
    threshold: thresholdReport,
    imbalanceNote,
  };
}

/** Prefix of the strings that stand for non-finite numbers (the ROC's first threshold, +Infinity) in JSON. */
export const NON_FINITE = '\u0000number:';

/** The runs as JSON, with ±Infinity and NaN spelled so `reviveNonFinite` restores them. */
export function runsToJson(runs) {
  return JSON.stringify(runs, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? `${NON_FINITE}${value}` : value));
}

/** JSON.parse reviver for `runsToJson` (in a page, the same test with NON_FINITE passed in). */
export function reviveNonFinite(_key, value) {
  return typeof value === 'string' && value.startsWith(NON_FINITE) ? Number(value.slice(NON_FINITE.length)) : value;
}

/**
 * A run as the app stores it (schema version 3): the summary for the `runs`
 * table (no epochs, no evaluation curves or residuals, an epoch count) and the
 * details for `runDetails`. Mirrors splitStoredRun in src/lib/storage/db.ts;
 * a unit test checks that they agree.
 */
export function storedParts(run) {
  const { epochs, evaluation, ...rest } = run;
  let summaryEval = null;
  let curves = null;
  let residuals = null;
  if (evaluation) {
    if (evaluation.task === 'regression') {
      const { residuals: r, ...e } = evaluation;
      summaryEval = e;
      residuals = r;
    } else {
      const { curves: c, ...e } = evaluation;
      summaryEval = e;
      curves = c;
    }
  }
  return {
    summary: { ...rest, evaluation: summaryEval, epochCount: epochs.length },
    details: { runId: run.id, epochs, curves, residuals },
  };
}
