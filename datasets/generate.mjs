#!/usr/bin/env node
// Synthetic "Personal Key Indicators of Heart Disease"-shaped data for Labbook.
//
// Same 18 columns, order and value spellings as the 2020 CDC extract, approximately the
// same marginals, and a KNOWN logistic model for the label so the best achievable ROC AUC
// (the Bayes AUC) is known exactly. No real survey record is used or reproduced.
//
// Usage (see datasets/README.md):
//   node datasets/generate.mjs                    regenerate the committed files exactly
//   node datasets/generate.mjs --full --out DIR   319,795-row file + same-size shifted batch
//   options: --rows N  --batch-rows M  --seed S  --batch-seed T  --out DIR
//            --only sample|batch  (--shifted is the same as --only batch)
//
// Plain ESM, no dependencies, deterministic: the same options give a byte-identical file.

import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';

// ---------------------------------------------------------------------------------------
// Schema and marginals
// ---------------------------------------------------------------------------------------

export const COLUMNS = Object.freeze([
  'HeartDisease', 'BMI', 'Smoking', 'AlcoholDrinking', 'Stroke', 'PhysicalHealth',
  'MentalHealth', 'DiffWalking', 'Sex', 'AgeCategory', 'Race', 'Diabetic',
  'PhysicalActivity', 'GenHealth', 'SleepTime', 'Asthma', 'KidneyDisease', 'SkinCancer',
]);

export const AGE_BANDS = Object.freeze([
  '18-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69',
  '70-74', '75-79', '80 or older',
]);
export const RACES = Object.freeze([
  'White', 'Black', 'Asian', 'American Indian/Alaskan Native', 'Other', 'Hispanic',
]);
// Ordered from "healthiest" to "least healthy" so the latent frailty factor maps monotonically.
export const DIABETIC = Object.freeze([
  'No', 'No, borderline diabetes', 'Yes (during pregnancy)', 'Yes',
]);
export const GEN_HEALTH = Object.freeze(['Excellent', 'Very good', 'Good', 'Fair', 'Poor']);

/** Target population of the 2020 extract: 319,795 rows. */
export const FULL_ROWS = 319_795;
/** Target share of HeartDisease = Yes used to solve the intercept. */
export const TARGET_POSITIVE_RATE = 0.086;

// Weights approximate the published 2020 extract's value counts (normalised below).
const AGE_WEIGHTS = [
  21064, 16955, 18753, 20550, 21006, 21791, 25382, 29757, 33686, 34151, 31065, 21482, 24153,
];
const RACE_WEIGHTS = [245212, 22939, 8068, 5202, 10928, 27446];
const DIABETIC_WEIGHTS = [269653, 6781, 2559, 40802];
const GEN_HEALTH_WEIGHTS = [66842, 113858, 93129, 34677, 11289];
// Days in the past 30 with poor physical / mental health: zero-inflated, heaped at 5/10/15/30.
const PHYSICAL_HEALTH_WEIGHTS = weightsFromPairs(31, [
  [0, 226589], [1, 10489], [2, 14880], [3, 8617], [4, 4468], [5, 7606], [6, 1270], [7, 4629],
  [8, 924], [9, 180], [10, 5453], [11, 85], [12, 605], [13, 91], [14, 2893], [15, 5012],
  [16, 135], [17, 110], [18, 167], [19, 35], [20, 3216], [21, 626], [22, 89], [23, 46],
  [24, 67], [25, 1164], [26, 66], [27, 124], [28, 446], [29, 204], [30, 19509],
]);
const MENTAL_HEALTH_WEIGHTS = weightsFromPairs(31, [
  [0, 205401], [1, 9291], [2, 16495], [3, 10466], [4, 5379], [5, 14149], [6, 1510], [7, 5528],
  [8, 1094], [9, 203], [10, 10513], [11, 83], [12, 757], [13, 110], [14, 2048], [15, 9896],
  [16, 152], [17, 99], [18, 212], [19, 36], [20, 5431], [21, 352], [22, 98], [23, 68],
  [24, 67], [25, 1954], [26, 59], [27, 126], [28, 515], [29, 317], [30, 17373],
]);
// Hours of sleep, 1..24 (index 0 = 1 hour).
const SLEEP_WEIGHTS = weightsFromPairs(24, [
  [1, 551], [2, 788], [3, 1992], [4, 7750], [5, 19184], [6, 66721], [7, 97751], [8, 97602],
  [9, 16041], [10, 7796], [11, 415], [12, 2205], [13, 97], [14, 243], [15, 189], [16, 236],
  [17, 21], [18, 102], [19, 3], [20, 64], [21, 2], [22, 9], [23, 3], [24, 30],
].map(([h, w]) => [h - 1, w]));

/** Share of "Yes" (binary columns) / "Female" (Sex) in the unshifted population. */
export const BINARY_RATES = Object.freeze({
  Smoking: 0.4125,
  AlcoholDrinking: 0.0681,
  Stroke: 0.0377,
  DiffWalking: 0.1389,
  SexFemale: 0.5247,
  PhysicalActivity: 0.7754,
  Asthma: 0.1341,
  KidneyDisease: 0.0368,
  SkinCancer: 0.0932,
});

// BMI ~ lognormal with mean 28.3 and sd 6.36, clamped to the extract's range.
const BMI_MEAN = 28.3;
const BMI_SD = 6.36;
const BMI_SIGMA = Math.sqrt(Math.log(1 + (BMI_SD / BMI_MEAN) ** 2));
const BMI_MU = Math.log(BMI_MEAN) - BMI_SIGMA ** 2 / 2;
const BMI_MIN = 12.02;
const BMI_MAX = 94.85;

// Latent "frailty" factor L ~ N(0,1) shared by the health-status columns through a Gaussian
// copula: column latent w = a*L + sqrt(1-a^2)*e, e ~ N(0,1), so w ~ N(0,1) exactly and each
// column keeps its marginal while the columns correlate. The SHIFTED columns (BMI, AgeCategory,
// PhysicalActivity, SleepTime) and Sex, Race, AlcoholDrinking, SkinCancer are drawn
// independently of L and of each other, so the covariate shift changes nothing else.
export const FRAILTY_LOADINGS = Object.freeze({
  GenHealth: 0.7,
  DiffWalking: 0.6,
  PhysicalHealth: 0.6,
  MentalHealth: 0.35,
  Stroke: 0.35,
  KidneyDisease: 0.35,
  Diabetic: 0.4,
  Asthma: 0.25,
  Smoking: 0.2,
});

export const MARGINALS = Object.freeze({
  HeartDisease: { Yes: TARGET_POSITIVE_RATE, note: 'expected share, via the solved intercept' },
  BMI: {
    distribution: 'lognormal', mean: BMI_MEAN, sd: BMI_SD, mu: BMI_MU, sigma: BMI_SIGMA,
    clamp: [BMI_MIN, BMI_MAX], decimals: 2,
  },
  binaryYesRates: BINARY_RATES,
  AgeCategory: normalisedTable(AGE_BANDS, AGE_WEIGHTS),
  Race: normalisedTable(RACES, RACE_WEIGHTS),
  Diabetic: normalisedTable(DIABETIC, DIABETIC_WEIGHTS),
  GenHealth: normalisedTable(GEN_HEALTH, GEN_HEALTH_WEIGHTS),
  PhysicalHealth: normalisedTable(range(0, 31).map(String), PHYSICAL_HEALTH_WEIGHTS),
  MentalHealth: normalisedTable(range(0, 31).map(String), MENTAL_HEALTH_WEIGHTS),
  SleepTime: normalisedTable(range(1, 25).map(String), SLEEP_WEIGHTS),
  frailtyLoadings: FRAILTY_LOADINGS,
});

// ---------------------------------------------------------------------------------------
// The covariate shift of the "new batch"
// ---------------------------------------------------------------------------------------

const SHIFT_BMI = 3;
const SHIFT_AGE_BANDS = 2;
const SHIFT_PHYSICAL_ACTIVITY = 0.6;
const SHIFT_SLEEP = -1;

const AGE_P = normalise(AGE_WEIGHTS);
const SLEEP_P = normalise(SLEEP_WEIGHTS);

/** The documented shift; the expected mean changes are exact for the generator's marginals. */
export const SHIFT = Object.freeze({
  BMI: {
    rule: `BMI + ${SHIFT_BMI} (same underlying draw), then clamp to [${BMI_MIN}, ${BMI_MAX}]`,
    add: SHIFT_BMI,
    expectedMeanShift: SHIFT_BMI,
  },
  AgeCategory: {
    rule: `band index + ${SHIFT_AGE_BANDS}, capped at 12 ("80 or older")`,
    addBands: SHIFT_AGE_BANDS,
    // 2 - P(75-79) - 2 P(80 or older): the cap absorbs part of the move.
    expectedMeanBandShift: AGE_P.reduce(
      (s, p, i) => s + p * (Math.min(12, i + SHIFT_AGE_BANDS) - i), 0),
  },
  PhysicalActivity: {
    rule: `P(Yes) ${BINARY_RATES.PhysicalActivity} -> ${SHIFT_PHYSICAL_ACTIVITY}`,
    from: BINARY_RATES.PhysicalActivity,
    to: SHIFT_PHYSICAL_ACTIVITY,
    expectedYesShareShift: SHIFT_PHYSICAL_ACTIVITY - BINARY_RATES.PhysicalActivity,
  },
  SleepTime: {
    rule: `hours ${SHIFT_SLEEP}, floored at 1`,
    add: SHIFT_SLEEP,
    // -1 + P(1 hour): a 1-hour sleeper stays at 1.
    expectedMeanShift: SLEEP_P.reduce((s, p, i) => s + p * (Math.max(0, i + SHIFT_SLEEP) - i), 0),
  },
});
export const SHIFTED_FEATURES = Object.freeze(Object.keys(SHIFT));

// ---------------------------------------------------------------------------------------
// The true label model: HeartDisease ~ Bernoulli(sigmoid(z)),
// z = intercept + sum of the terms below. Reference levels: Excellent, White, No, Female.
// ---------------------------------------------------------------------------------------

export const COEFFICIENTS = Object.freeze({
  'AgeCategory (band index, 0 = 18-24 ... 12 = 80 or older)': 0.31,
  'BMI (per unit)': 0.012,
  'Smoking=Yes': 0.35,
  'AlcoholDrinking=Yes': -0.25,
  'Stroke=Yes': 1.0,
  'PhysicalHealth (per day)': 0.012,
  'MentalHealth (per day)': 0.004,
  'DiffWalking=Yes': 0.45,
  'Sex=Male': 0.75,
  'Race=Black': -0.05,
  'Race=Asian': -0.45,
  'Race=American Indian/Alaskan Native': 0.1,
  'Race=Other': 0.0,
  'Race=Hispanic': -0.25,
  'Diabetic=No, borderline diabetes': 0.2,
  'Diabetic=Yes (during pregnancy)': 0.1,
  'Diabetic=Yes': 0.5,
  'PhysicalActivity=Yes': -0.2,
  'GenHealth=Very good': 0.45,
  'GenHealth=Good': 1.0,
  'GenHealth=Fair': 1.6,
  'GenHealth=Poor': 2.1,
  'SleepTime (|hours - 7|)': 0.05,
  'Asthma=Yes': 0.25,
  'KidneyDisease=Yes': 0.6,
  'SkinCancer=Yes': 0.1,
});

export const MODEL_FORMULA =
  'P(HeartDisease=Yes | x) = 1 / (1 + exp(-z)), z = intercept'
  + ' + c[AgeCategory band index]*ageIndex + c[BMI]*BMI + c[PhysicalHealth]*PhysicalHealth'
  + ' + c[MentalHealth]*MentalHealth + c[SleepTime]*|SleepTime - 7|'
  + ' + sum of c[Column=Level] over the row\'s non-reference levels'
  + ' (reference levels: No, Female, White, Diabetic No, GenHealth Excellent).'
  + ' Features are taken exactly as written to the CSV (BMI rounded to 2 decimals).';

const C = COEFFICIENTS;
const C_AGE = C['AgeCategory (band index, 0 = 18-24 ... 12 = 80 or older)'];
const C_RACE = RACES.map((r) => (r === 'White' ? 0 : C[`Race=${r}`]));
const C_DIABETIC = DIABETIC.map((d) => (d === 'No' ? 0 : C[`Diabetic=${d}`]));
const C_GEN = GEN_HEALTH.map((g) => (g === 'Excellent' ? 0 : C[`GenHealth=${g}`]));
for (const v of [...C_RACE, ...C_DIABETIC, ...C_GEN]) {
  if (typeof v !== 'number') throw new Error('generate.mjs: coefficient table incomplete');
}

/** Linear predictor without the intercept, on a row of numeric codes. */
function linearPredictor(r) {
  return C_AGE * r.age
    + C['BMI (per unit)'] * r.bmi
    + C['Smoking=Yes'] * r.smoking
    + C['AlcoholDrinking=Yes'] * r.alcohol
    + C['Stroke=Yes'] * r.stroke
    + C['PhysicalHealth (per day)'] * r.physicalHealth
    + C['MentalHealth (per day)'] * r.mentalHealth
    + C['DiffWalking=Yes'] * r.diffWalking
    + C['Sex=Male'] * r.male
    + C_RACE[r.race]
    + C_DIABETIC[r.diabetic]
    + C['PhysicalActivity=Yes'] * r.physicalActivity
    + C_GEN[r.genHealth]
    + C['SleepTime (|hours - 7|)'] * Math.abs(r.sleep - 7)
    + C['Asthma=Yes'] * r.asthma
    + C['KidneyDisease=Yes'] * r.kidney
    + C['SkinCancer=Yes'] * r.skinCancer;
}

function sigmoid(z) {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Intercept b with mean(sigmoid(b + eta)) = target, by bisection. */
export function solveIntercept(eta, target = TARGET_POSITIVE_RATE) {
  if (!(target > 0 && target < 1)) throw new RangeError('target must be in (0, 1)');
  if (eta.length === 0) throw new RangeError('need at least one row to solve the intercept');
  let lo = -40;
  let hi = 40;
  for (let iter = 0; iter < 200 && hi - lo > 1e-13; iter++) {
    const mid = (lo + hi) / 2;
    let s = 0;
    for (let i = 0; i < eta.length; i++) s += sigmoid(mid + eta[i]);
    if (s / eta.length < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---------------------------------------------------------------------------------------
// Random numbers: sfc32 seeded through splitmix32, Box-Muller normals.
// ---------------------------------------------------------------------------------------

function splitmix32(seed) {
  let a = seed | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

function sfc32(a, b, c, d) {
  return () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Uniform [0,1) stream number `stream` for `seed`. */
function makeRng(seed, stream) {
  const sm = splitmix32(seed ^ Math.imul(stream + 1, 0x85ebca6b));
  const rand = sfc32(sm(), sm(), sm(), sm());
  for (let i = 0; i < 16; i++) rand();
  return rand;
}

function checkSeed(seed) {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
  return seed;
}

// Acklam's inverse normal CDF (relative error < 1.2e-9), used only for the copula thresholds.
function probit(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269,
    -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771082,
    -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549671010115749,
    4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const tail = (q) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Cumulative probabilities (all but the last, which is 1). */
function cumulative(weights) {
  const p = normalise(weights);
  const out = [];
  let s = 0;
  for (let i = 0; i < p.length - 1; i++) out.push((s += p[i]));
  return out;
}
function pickUniform(cum, u) {
  let k = 0;
  while (k < cum.length && u >= cum[k]) k++;
  return k;
}
function pickNormal(thresholds, w) {
  let k = 0;
  while (k < thresholds.length && w >= thresholds[k]) k++;
  return k;
}
const normalThresholds = (weights) => cumulative(weights).map(probit);
// Binary latent: "Yes" iff w >= probit(1 - rate), so high frailty means "Yes".
const binaryThreshold = (rate) => probit(1 - rate);

const AGE_CUM = cumulative(AGE_WEIGHTS);
const RACE_CUM = cumulative(RACE_WEIGHTS);
const SLEEP_CUM = cumulative(SLEEP_WEIGHTS);
const GEN_T = normalThresholds(GEN_HEALTH_WEIGHTS);
const DIABETIC_T = normalThresholds(DIABETIC_WEIGHTS);
const PH_T = normalThresholds(PHYSICAL_HEALTH_WEIGHTS);
const MH_T = normalThresholds(MENTAL_HEALTH_WEIGHTS);
const T_SMOKING = binaryThreshold(BINARY_RATES.Smoking);
const T_STROKE = binaryThreshold(BINARY_RATES.Stroke);
const T_DIFFWALK = binaryThreshold(BINARY_RATES.DiffWalking);
const T_ASTHMA = binaryThreshold(BINARY_RATES.Asthma);
const T_KIDNEY = binaryThreshold(BINARY_RATES.KidneyDisease);

/**
 * Feature sampler. Every row consumes the same number of uniforms whatever the values or the
 * `shifted` flag, so with one seed the shifted and unshifted streams differ ONLY in the four
 * shifted columns (common random numbers).
 */
function createSampler(seed, shifted) {
  const rand = makeRng(checkSeed(seed), 1);
  const normal = () => {
    const u1 = 1 - rand(); // (0, 1]
    const u2 = rand();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  const latent = (loading, L) => loading * L + Math.sqrt(1 - loading * loading) * normal();
  const FL = FRAILTY_LOADINGS;
  const row = {
    bmi: 0, smoking: 0, alcohol: 0, stroke: 0, physicalHealth: 0, mentalHealth: 0,
    diffWalking: 0, male: 0, age: 0, race: 0, diabetic: 0, physicalActivity: 0, genHealth: 0,
    sleep: 0, asthma: 0, kidney: 0, skinCancer: 0,
  };
  const paRate = shifted ? SHIFT_PHYSICAL_ACTIVITY : BINARY_RATES.PhysicalActivity;
  return () => {
    const L = normal();
    row.genHealth = pickNormal(GEN_T, latent(FL.GenHealth, L));
    row.diffWalking = latent(FL.DiffWalking, L) >= T_DIFFWALK ? 1 : 0;
    row.physicalHealth = pickNormal(PH_T, latent(FL.PhysicalHealth, L));
    row.mentalHealth = pickNormal(MH_T, latent(FL.MentalHealth, L));
    row.stroke = latent(FL.Stroke, L) >= T_STROKE ? 1 : 0;
    row.kidney = latent(FL.KidneyDisease, L) >= T_KIDNEY ? 1 : 0;
    row.diabetic = pickNormal(DIABETIC_T, latent(FL.Diabetic, L));
    row.asthma = latent(FL.Asthma, L) >= T_ASTHMA ? 1 : 0;
    row.smoking = latent(FL.Smoking, L) >= T_SMOKING ? 1 : 0;

    let bmi = Math.exp(BMI_MU + BMI_SIGMA * normal());
    if (shifted) bmi += SHIFT_BMI;
    bmi = Math.min(BMI_MAX, Math.max(BMI_MIN, bmi));
    row.bmi = Math.round(bmi * 100) / 100;

    const age = pickUniform(AGE_CUM, rand());
    row.age = shifted ? Math.min(12, age + SHIFT_AGE_BANDS) : age;
    row.physicalActivity = rand() < paRate ? 1 : 0;
    const sleep = pickUniform(SLEEP_CUM, rand()) + 1;
    row.sleep = shifted ? Math.max(1, sleep + SHIFT_SLEEP) : sleep;
    row.male = rand() < BINARY_RATES.SexFemale ? 0 : 1;
    row.race = pickUniform(RACE_CUM, rand());
    row.alcohol = rand() < BINARY_RATES.AlcoholDrinking ? 1 : 0;
    row.skinCancer = rand() < BINARY_RATES.SkinCancer ? 1 : 0;
    return row;
  };
}

const YN = ['No', 'Yes'];
const SEX = ['Female', 'Male'];
const csvField = (s) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const AGE_CSV = AGE_BANDS.map(csvField);
const RACE_CSV = RACES.map(csvField);
const DIABETIC_CSV = DIABETIC.map(csvField);
const GEN_CSV = GEN_HEALTH.map(csvField);
const HEADER_LINE = `${COLUMNS.map(csvField).join(',')}\n`;

function recordOf(r, label) {
  return [
    YN[label], r.bmi.toFixed(2), YN[r.smoking], YN[r.alcohol], YN[r.stroke],
    String(r.physicalHealth), String(r.mentalHealth), YN[r.diffWalking], SEX[r.male],
    AGE_BANDS[r.age], RACES[r.race], DIABETIC[r.diabetic], YN[r.physicalActivity],
    GEN_HEALTH[r.genHealth], String(r.sleep), YN[r.asthma], YN[r.kidney], YN[r.skinCancer],
  ];
}
function lineOf(r, label) {
  return `${YN[label]},${r.bmi.toFixed(2)},${YN[r.smoking]},${YN[r.alcohol]},${YN[r.stroke]},`
    + `${r.physicalHealth},${r.mentalHealth},${YN[r.diffWalking]},${SEX[r.male]},`
    + `${AGE_CSV[r.age]},${RACE_CSV[r.race]},${DIABETIC_CSV[r.diabetic]},`
    + `${YN[r.physicalActivity]},${GEN_CSV[r.genHealth]},${r.sleep},${YN[r.asthma]},`
    + `${YN[r.kidney]},${YN[r.skinCancer]}\n`;
}

// ---------------------------------------------------------------------------------------
// AUC
// ---------------------------------------------------------------------------------------

function checkProbabilities(p) {
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (!(v >= 0 && v <= 1)) throw new RangeError(`probability ${i} is not in [0, 1]: ${v}`);
  }
}

/**
 * Expected AUC of the Bayes scorer when labels are independent Bernoulli(p_i):
 *   sum_{i != j} p_i (1 - p_j) ([p_i > p_j] + 0.5 [p_i = p_j]) / sum_{i != j} p_i (1 - p_j)
 * in O(n log n): sort p, and walk the groups of equal values with a running sum of (1 - p).
 * With `labels` (0/1 or booleans), returns instead the empirical AUC of p against them.
 */
export function bayesAuc(probabilities, labels) {
  if (labels !== undefined) return rocAuc(probabilities, labels);
  checkProbabilities(probabilities);
  const p = Float64Array.from(probabilities).sort();
  const n = p.length;
  let sumP = 0;
  let sumQ = 0;
  let sumPQ = 0;
  for (let i = 0; i < n; i++) {
    sumP += p[i];
    sumQ += 1 - p[i];
    sumPQ += p[i] * (1 - p[i]);
  }
  const denominator = sumP * sumQ - sumPQ;
  if (!(denominator > 0)) return NaN;
  let numerator = 0;
  let qBelow = 0; // sum of (1 - p_j) over values strictly below the current group
  for (let i = 0; i < n;) {
    const v = p[i];
    let j = i;
    while (j < n && p[j] === v) j++;
    const c = j - i;
    numerator += c * v * qBelow + 0.5 * c * (c - 1) * v * (1 - v);
    qBelow += c * (1 - v);
    i = j;
  }
  return numerator / denominator;
}

/** Empirical ROC AUC (Mann-Whitney, ties count 0.5). NaN if one class is absent. */
export function rocAuc(scores, labels) {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError('scores and labels differ in length');
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a] - scores[b]);
  let negBelow = 0;
  let total = 0;
  let pos = 0;
  for (let i = 0; i < n;) {
    const v = scores[order[i]];
    let j = i;
    let gp = 0;
    let gn = 0;
    while (j < n && scores[order[j]] === v) {
      if (labels[order[j]]) gp++;
      else gn++;
      j++;
    }
    total += gp * (negBelow + 0.5 * gn);
    negBelow += gn;
    pos += gp;
    i = j;
  }
  const neg = n - pos;
  return pos === 0 || neg === 0 ? NaN : total / (pos * neg);
}

// ---------------------------------------------------------------------------------------
// Datasets
// ---------------------------------------------------------------------------------------

/**
 * The true model for a population: the fixed coefficients plus the intercept solved by
 * bisection so that the mean probability over the UNSHIFTED features of (rows, seed) is 8.6%.
 */
export function solveModel({ rows = 20_000, seed = 42 } = {}) {
  const next = createSampler(seed, false);
  const eta = new Float64Array(checkRows(rows));
  for (let i = 0; i < rows; i++) eta[i] = linearPredictor(next());
  return modelWith(solveIntercept(eta), { rows, seed });
}

function modelWith(intercept, solvedOn) {
  return {
    intercept,
    coefficients: { ...COEFFICIENTS },
    referenceLevels: {
      binary: 'No', Sex: 'Female', Race: 'White', Diabetic: 'No', GenHealth: 'Excellent',
    },
    formula: MODEL_FORMULA,
    solvedOn: {
      ...solvedOn, shifted: false, targetPositiveRate: TARGET_POSITIVE_RATE,
      method: 'bisection on the intercept: mean of sigmoid(z) over the rows = target',
    },
  };
}

function checkRows(rows) {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`rows must be >= 1: ${rows}`);
  return rows;
}

/**
 * A dataset ready to stream: the model, per-row true probabilities and labels, summary
 * statistics, and iterators over records / CSV lines / CSV chunks (features are regenerated
 * from the seed, so nothing row-sized but p and the labels is kept in memory).
 *
 * Without `model`, the intercept is solved on this dataset's own features if unshifted, or on
 * the unshifted counterpart (same seed, same draws, no shift) if shifted. To give a batch the
 * SAME true model as a reference sample, pass that sample's `model`.
 */
export function createDataset({ rows = 20_000, seed = 42, shifted = false, model } = {}) {
  checkRows(rows);
  checkSeed(seed);
  shifted = Boolean(shifted);
  const next = createSampler(seed, shifted);
  const eta = new Float64Array(rows);
  for (let i = 0; i < rows; i++) eta[i] = linearPredictor(next());
  let trueModel = model;
  if (!trueModel) {
    trueModel = shifted ? solveModel({ rows, seed }) : modelWith(solveIntercept(eta), { rows, seed });
  }
  const { intercept } = trueModel;
  if (typeof intercept !== 'number' || !Number.isFinite(intercept)) {
    throw new TypeError('model.intercept must be a finite number');
  }
  const p = new Float64Array(rows);
  const labels = new Uint8Array(rows);
  const labelRand = makeRng(seed, 2);
  let sumP = 0;
  let positives = 0;
  for (let i = 0; i < rows; i++) {
    p[i] = sigmoid(intercept + eta[i]);
    labels[i] = labelRand() < p[i] ? 1 : 0;
    sumP += p[i];
    positives += labels[i];
  }
  const meta = {
    rows,
    columns: [...COLUMNS],
    seed,
    shifted,
    shiftedFeatures: shifted ? [...SHIFTED_FEATURES] : [],
    shift: shifted ? structuredClone(SHIFT) : null,
    positives,
    positiveRate: positives / rows,
    expectedPositiveRate: sumP / rows,
    model: trueModel,
    bayesAuc: bayesAuc(p),
    empiricalAuc: rocAuc(p, labels),
  };

  function* rowsWith(format) {
    const nextRow = createSampler(seed, shifted);
    for (let i = 0; i < rows; i++) yield format(nextRow(), labels[i]);
  }
  return {
    meta,
    probabilities: p,
    labels,
    header: HEADER_LINE,
    /** Unquoted string values per row, in COLUMNS order (no header). */
    records: () => rowsWith(recordOf),
    /** CSV lines with the trailing "\n", header first. */
    *lines() {
      yield HEADER_LINE;
      yield* rowsWith(lineOf);
    },
    /** The CSV as strings of about `rowsPerChunk` lines, header in the first. */
    *chunks(rowsPerChunk = 4096) {
      let buf = HEADER_LINE;
      let k = 0;
      for (const line of rowsWith(lineOf)) {
        buf += line;
        if (++k === rowsPerChunk) {
          yield buf;
          buf = '';
          k = 0;
        }
      }
      if (buf) yield buf;
    },
  };
}

/** Whole CSV in memory (fine for tens of thousands of rows) plus metadata with SHA-256/bytes. */
export function generate(options = {}) {
  const ds = createDataset(options);
  const csv = [...ds.chunks()].join('');
  const meta = {
    ...ds.meta,
    sha256: createHash('sha256').update(csv).digest('hex'),
    bytes: Buffer.byteLength(csv),
  };
  return { csv, meta, probabilities: ds.probabilities, labels: ds.labels };
}

/** Stream a dataset to `path` (written to a temp name, then renamed). Resolves to its meta. */
export async function writeCsv(path, options = {}) {
  const ds = createDataset(options);
  const hash = createHash('sha256');
  let bytes = 0;
  const tmp = `${path}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  try {
    for (const chunk of ds.chunks(8192)) {
      hash.update(chunk);
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } catch (err) {
    out.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, path);
  return { ...ds.meta, sha256: hash.digest('hex'), bytes };
}

// ---------------------------------------------------------------------------------------
// Manifest and CLI
// ---------------------------------------------------------------------------------------

export const LICENCE = 'CC0-1.0';
export const PROVENANCE = 'synthetic, generated by datasets/generate.mjs; no real survey records';

export const DEFAULTS = Object.freeze({
  sample: { name: 'heart-sample.csv', rows: 20_000, seed: 42 },
  batch: { name: 'heart-new-batch.csv', rows: 5_000, seed: 4242 },
  full: { name: 'heart-full.csv', batchName: 'heart-full-new-batch.csv', rows: FULL_ROWS },
});

function fileEntry(name, meta, command) {
  return {
    name,
    ...meta,
    licence: LICENCE,
    provenance: PROVENANCE,
    command,
  };
}

export function manifestOf(files, command) {
  return {
    description: 'Synthetic data shaped like the 2020 CDC "Personal Key Indicators of Heart '
      + 'Disease" extract (same columns, order, value spellings, approximate marginals), '
      + 'with labels from a known logistic model. See datasets/README.md.',
    generator: 'datasets/generate.mjs',
    command,
    licence: LICENCE,
    provenance: PROVENANCE,
    targetPositiveRate: TARGET_POSITIVE_RATE,
    marginals: MARGINALS,
    bayesAucDefinition: 'E[AUC] of the true probability p(x) as a scorer when labels are '
      + 'independent Bernoulli(p_i): sum_{i!=j} p_i(1-p_j)([p_i>p_j]+0.5[p_i=p_j]) / '
      + 'sum_{i!=j} p_i(1-p_j), over the file\'s rows',
    empiricalAucDefinition: 'ROC AUC of p(x) against the realised HeartDisease labels',
    files,
  };
}

function parseArgs(argv) {
  const opts = { only: null, full: false };
  const need = (i, flag) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const int = (v, flag) => {
    if (!/^\d+$/.test(v)) throw new Error(`${flag} needs a non-negative integer, got "${v}"`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--rows': opts.rows = int(need(i, a), a); i++; break;
      case '--batch-rows': opts.batchRows = int(need(i, a), a); i++; break;
      case '--seed': opts.seed = int(need(i, a), a); i++; break;
      case '--batch-seed': opts.batchSeed = int(need(i, a), a); i++; break;
      case '--out': opts.out = need(i, a); i++; break;
      case '--full': opts.full = true; break;
      case '--shifted': opts.only = 'batch'; break;
      case '--only': {
        const v = need(i, a);
        if (v !== 'sample' && v !== 'batch') throw new Error('--only takes sample or batch');
        opts.only = v;
        i++;
        break;
      }
      case '-h': case '--help': opts.help = true; break;
      default: throw new Error(`unknown argument: ${a}`);
    }
  }
  return opts;
}

const USAGE = `usage: node datasets/generate.mjs [--full] [--rows N] [--batch-rows M] [--seed S]
                                  [--batch-seed T] [--out DIR] [--only sample|batch | --shifted]
  no arguments: rewrite datasets/heart-sample.csv (20,000 rows, seed 42),
                datasets/heart-new-batch.csv (5,000 rows, shifted, seed 4242) and
                datasets/manifest.json exactly as committed.
  --full:       ${FULL_ROWS} rows each, as heart-full.csv and heart-full-new-batch.csv
                (default --out: $TMPDIR/labbook-datasets).
  The batch always uses the sample's true model (same coefficients and intercept).`;

export async function main(argv = process.argv.slice(2)) {
  const started = performance.now();
  const opts = parseArgs(argv);
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const D = DEFAULTS;
  const full = opts.full;
  const sampleRows = opts.rows ?? (full ? D.full.rows : D.sample.rows);
  const batchRows = opts.batchRows ?? (full ? D.full.rows : D.batch.rows);
  const seed = opts.seed ?? D.sample.seed;
  const batchSeed = opts.batchSeed ?? D.batch.seed;
  const out = resolve(opts.out ?? (full ? join(tmpdir(), 'labbook-datasets') : here));
  const custom = opts.rows !== undefined || opts.seed !== undefined;
  const sampleName = full ? D.full.name
    : custom ? `heart-sample-r${sampleRows}-s${seed}.csv` : D.sample.name;
  const batchName = full ? D.full.batchName
    : opts.batchRows !== undefined || opts.batchSeed !== undefined || custom
      ? `heart-new-batch-r${batchRows}-s${batchSeed}.csv` : D.batch.name;
  const command = ['node datasets/generate.mjs', ...argv.filter((a, i) => a !== '--out'
    && argv[i - 1] !== '--out')].join(' ');

  mkdirSync(out, { recursive: true });
  const files = [];
  let model;
  if (opts.only !== 'batch') {
    const t = performance.now();
    const meta = await writeCsv(join(out, sampleName), { rows: sampleRows, seed });
    model = meta.model;
    files.push(fileEntry(sampleName, meta, command));
    console.log(`${sampleName}: ${sampleRows} rows, ${meta.bytes} bytes, positive rate `
      + `${meta.positiveRate.toFixed(4)}, Bayes AUC ${meta.bayesAuc.toFixed(4)}, `
      + `empirical AUC ${meta.empiricalAuc.toFixed(4)} (${(performance.now() - t).toFixed(0)} ms)`);
  } else {
    model = solveModel({ rows: sampleRows, seed });
  }
  if (opts.only !== 'sample') {
    const t = performance.now();
    const meta = await writeCsv(join(out, batchName),
      { rows: batchRows, seed: batchSeed, shifted: true, model });
    files.push(fileEntry(batchName, meta, command));
    console.log(`${batchName}: ${batchRows} rows (shifted), ${meta.bytes} bytes, positive rate `
      + `${meta.positiveRate.toFixed(4)}, Bayes AUC ${meta.bayesAuc.toFixed(4)}, `
      + `empirical AUC ${meta.empiricalAuc.toFixed(4)} (${(performance.now() - t).toFixed(0)} ms)`);
  }
  const manifestPath = join(out, 'manifest.json');
  writeFileSync(manifestPath, `${JSON.stringify(manifestOf(files, command), null, 2)}\n`);
  console.log(`wrote ${manifestPath} in ${out} (total ${(performance.now() - started).toFixed(0)} ms)`);
}

// ---------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------

function range(a, b) {
  return Array.from({ length: b - a }, (_, i) => a + i);
}
function normalise(w) {
  const s = w.reduce((x, y) => x + y, 0);
  return w.map((x) => x / s);
}
function normalisedTable(names, weights) {
  const p = normalise(weights);
  return Object.fromEntries(names.map((n, i) => [n, Number(p[i].toFixed(5))]));
}
function weightsFromPairs(n, pairs) {
  const w = new Array(n).fill(0);
  for (const [i, v] of pairs) w[i] = v;
  return w;
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((err) => {
    console.error(`generate.mjs: ${err.message}`);
    console.error(USAGE);
    process.exitCode = 1;
  });
}
