import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  AGE_BANDS,
  BINARY_RATES,
  COLUMNS,
  DIABETIC,
  GEN_HEALTH,
  RACES,
  SHIFT,
  bayesAuc,
  createDataset,
  generate,
  rocAuc,
  writeCsv,
  type FileMeta,
  type TrueModel,
} from '../../../datasets/generate.mjs';

const DATASETS = fileURLToPath(new URL('../../../datasets/', import.meta.url));

interface Manifest {
  licence: string;
  provenance: string;
  files: (FileMeta & { name: string; licence: string; provenance: string })[];
}
const manifest = JSON.parse(readFileSync(join(DATASETS, 'manifest.json'), 'utf8')) as Manifest;
const entry = (name: string) => {
  const f = manifest.files.find((x) => x.name === name);
  if (!f) throw new Error(`manifest has no ${name}`);
  return f;
};

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** O(n^2) reference for the expected Bayes AUC. */
function bruteBayesAuc(p: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < p.length; i++) {
    for (let j = 0; j < p.length; j++) {
      if (i === j) continue;
      const pi = p[i]!;
      const pj = p[j]!;
      const w = pi * (1 - pj);
      den += w;
      if (pi > pj) num += w;
      else if (pi === pj) num += 0.5 * w;
    }
  }
  return num / den;
}

/** O(n^2) reference for the empirical AUC. */
function bruteAuc(s: number[], y: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < s.length; i++) {
    if (!y[i]) continue;
    for (let j = 0; j < s.length; j++) {
      if (y[j]) continue;
      den++;
      if (s[i]! > s[j]!) num++;
      else if (s[i] === s[j]) num += 0.5;
    }
  }
  return num / den;
}

/** A small seeded PRNG for the test's own random points (mulberry32). */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parse(csv: string): string[][] {
  const out = Papa.parse<string[]>(csv, { skipEmptyLines: true });
  expect(out.errors).toEqual([]);
  return out.data;
}

interface Summary {
  n: number;
  mean: Record<'BMI' | 'age' | 'sleep' | 'physicalHealth', number>;
  share: Record<string, number>;
}
function summarise(records: Iterable<string[]>): Summary {
  let n = 0;
  const sum = { BMI: 0, age: 0, sleep: 0, physicalHealth: 0 };
  const counts: Record<string, number> = {};
  const col = (name: string) => COLUMNS.indexOf(name as (typeof COLUMNS)[number]);
  for (const r of records) {
    n++;
    sum.BMI += Number(r[col('BMI')]);
    sum.age += AGE_BANDS.indexOf(r[col('AgeCategory')]!);
    sum.sleep += Number(r[col('SleepTime')]);
    sum.physicalHealth += Number(r[col('PhysicalHealth')]);
    for (const c of ['Sex', 'PhysicalActivity', 'GenHealth', 'Diabetic', 'Smoking', 'Race']) {
      const k = `${c}=${r[col(c)]}`;
      counts[k] = (counts[k] ?? 0) + 1;
    }
  }
  const mean = {
    BMI: sum.BMI / n, age: sum.age / n, sleep: sum.sleep / n, physicalHealth: sum.physicalHealth / n,
  };
  const share = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / n]));
  return { n, mean, share };
}

/** z from the model as written to the manifest, on one CSV record. */
function probabilityFromModel(model: TrueModel, r: string[]): number {
  const c = model.coefficients;
  const v = (name: string) => r[COLUMNS.indexOf(name as (typeof COLUMNS)[number])]!;
  const coef = (key: string) => {
    const x = c[key];
    if (x === undefined) throw new Error(`no coefficient ${key}`);
    return x;
  };
  let z = model.intercept;
  z += coef('AgeCategory (band index, 0 = 18-24 ... 12 = 80 or older)')
    * AGE_BANDS.indexOf(v('AgeCategory'));
  z += coef('BMI (per unit)') * Number(v('BMI'));
  z += coef('PhysicalHealth (per day)') * Number(v('PhysicalHealth'));
  z += coef('MentalHealth (per day)') * Number(v('MentalHealth'));
  z += coef('SleepTime (|hours - 7|)') * Math.abs(Number(v('SleepTime')) - 7);
  for (const b of ['Smoking', 'AlcoholDrinking', 'Stroke', 'DiffWalking', 'PhysicalActivity',
    'Asthma', 'KidneyDisease', 'SkinCancer']) {
    if (v(b) === 'Yes') z += coef(`${b}=Yes`);
  }
  if (v('Sex') === 'Male') z += coef('Sex=Male');
  if (v('Race') !== 'White') z += coef(`Race=${v('Race')}`);
  if (v('Diabetic') !== 'No') z += coef(`Diabetic=${v('Diabetic')}`);
  if (v('GenHealth') !== 'Excellent') z += coef(`GenHealth=${v('GenHealth')}`);
  return 1 / (1 + Math.exp(-z));
}

describe('bayesAuc', () => {
  it('matches a hand-computed example', () => {
    // Ordered pairs i != j with weight p_i (1 - p_j):
    //   p_i > p_j: .9*.5 + .9*.9 + .5*.9 = 1.71;  p_i < p_j: .5*.1 + .1*.1 + .1*.5 = 0.11
    expect(bayesAuc([0.9, 0.5, 0.1])).toBeCloseTo(1.71 / 1.82, 14);
    expect(bayesAuc([0.1, 0.9, 0.5])).toBeCloseTo(1.71 / 1.82, 14);
    // Ties count one half: tied pair .8*.2 twice -> .16; (.8 over .2) .64 twice -> 1.28;
    // reversed .2*.2 twice -> .08.  (1.28 + .16) / (1.28 + .32 + .08) = 6/7.
    expect(bayesAuc([0.8, 0.2, 0.8])).toBeCloseTo(6 / 7, 14);
    expect(bayesAuc([0.3, 0.3, 0.3])).toBeCloseTo(0.5, 14);
  });

  it('equals the O(n^2) definition on 500 random points (with ties)', () => {
    const rand = mulberry32(123);
    const p = Array.from({ length: 500 }, (_, i) =>
      i % 5 === 0 ? Math.round(rand() * 20) / 20 : rand() ** 2);
    expect(bayesAuc(p)).toBeCloseTo(bruteBayesAuc(p), 12);
    expect(bayesAuc(Float64Array.from(p))).toBeCloseTo(bruteBayesAuc(p), 12);
  });

  it('gives the empirical AUC when labels are passed, matching O(n^2)', () => {
    const rand = mulberry32(7);
    const p = Array.from({ length: 500 }, () => Math.round(rand() * 50) / 50);
    const y = p.map((x) => (rand() < x ? 1 : 0));
    expect(bayesAuc(p, y)).toBeCloseTo(bruteAuc(p, y), 12);
    expect(rocAuc(p, y)).toBeCloseTo(bruteAuc(p, y), 12);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 14);
  });

  it('rejects values outside [0, 1]', () => {
    expect(() => bayesAuc([0.5, 1.5])).toThrow(RangeError);
    expect(() => bayesAuc([0.5, Number.NaN])).toThrow(RangeError);
  });
});

describe('generate', () => {
  it('is deterministic: same seed gives byte-identical output, another seed differs', () => {
    const a = generate({ rows: 3000, seed: 7 });
    const b = generate({ rows: 3000, seed: 7 });
    expect(a.csv).toBe(b.csv);
    expect(a.meta.sha256).toBe(b.meta.sha256);
    expect(generate({ rows: 3000, seed: 8 }).csv).not.toBe(a.csv);
    const s1 = generate({ rows: 2000, seed: 7, shifted: true });
    const s2 = generate({ rows: 2000, seed: 7, shifted: true });
    expect(s1.csv).toBe(s2.csv);
  });

  it('streams to disk byte-identically to the in-memory string', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labbook-gen-'));
    try {
      const path = join(dir, 'x.csv');
      const meta = await writeCsv(path, { rows: 9000, seed: 11 });
      const onDisk = readFileSync(path);
      const inMemory = generate({ rows: 9000, seed: 11 });
      expect(onDisk.toString('utf8')).toBe(inMemory.csv);
      expect(meta.sha256).toBe(sha256(onDisk));
      expect(meta.bytes).toBe(onDisk.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the exact header and value spellings', () => {
    const { csv } = generate({ rows: 20_000, seed: 42 });
    expect(csv.startsWith(
      'HeartDisease,BMI,Smoking,AlcoholDrinking,Stroke,PhysicalHealth,MentalHealth,DiffWalking,'
      + 'Sex,AgeCategory,Race,Diabetic,PhysicalActivity,GenHealth,SleepTime,Asthma,KidneyDisease,'
      + 'SkinCancer\n')).toBe(true);
    expect(csv.endsWith('\n')).toBe(true);
    expect(csv).toContain(',"No, borderline diabetes",');
    expect(csv).not.toContain('\r');
    const [header, ...rows] = parse(csv);
    expect(header).toEqual([...COLUMNS]);
    expect(rows).toHaveLength(20_000);
    const allowed: Record<string, readonly string[]> = {
      Sex: ['Female', 'Male'],
      AgeCategory: [
        '18-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69',
        '70-74', '75-79', '80 or older',
      ],
      Race: ['White', 'Black', 'Asian', 'American Indian/Alaskan Native', 'Other', 'Hispanic'],
      Diabetic: ['No', 'Yes', 'No, borderline diabetes', 'Yes (during pregnancy)'],
      GenHealth: ['Excellent', 'Very good', 'Good', 'Fair', 'Poor'],
    };
    expect(new Set(AGE_BANDS)).toEqual(new Set(allowed.AgeCategory));
    expect(new Set(RACES)).toEqual(new Set(allowed.Race));
    expect(new Set(DIABETIC)).toEqual(new Set(allowed.Diabetic));
    expect(new Set(GEN_HEALTH)).toEqual(new Set(allowed.GenHealth));
    const yesNo = ['HeartDisease', 'Smoking', 'AlcoholDrinking', 'Stroke', 'DiffWalking',
      'PhysicalActivity', 'Asthma', 'KidneyDisease', 'SkinCancer'];
    COLUMNS.forEach((name, j) => {
      const values = new Set(rows.map((r) => r[j]!));
      if (yesNo.includes(name)) expect(values, name).toEqual(new Set(['No', 'Yes']));
      else if (allowed[name]) expect(values, name).toEqual(new Set(allowed[name]));
      else {
        for (const v of values) {
          if (name === 'BMI') {
            expect(v, name).toMatch(/^\d{2}\.\d{2}$/);
            expect(Number(v)).toBeGreaterThanOrEqual(12.02);
            expect(Number(v)).toBeLessThanOrEqual(94.85);
          } else {
            expect(v, name).toMatch(/^(0|[1-9]\d?)$/);
            const x = Number(v);
            if (name === 'SleepTime') expect(x >= 1 && x <= 24, `${name} ${v}`).toBe(true);
            else expect(x >= 0 && x <= 30, `${name} ${v}`).toBe(true);
          }
        }
      }
    });
  });

  it('hits the target marginals and label rate on 20k rows', () => {
    for (const seed of [42, 1]) {
      const { meta, csv } = generate({ rows: 20_000, seed });
      expect(meta.expectedPositiveRate).toBeCloseTo(0.086, 9);
      expect(Math.abs(meta.positiveRate - 0.086)).toBeLessThanOrEqual(0.008);
      const rows = parse(csv).slice(1);
      const s = summarise(rows);
      expect(s.mean.BMI).toBeGreaterThan(27.5);
      expect(s.mean.BMI).toBeLessThan(29);
      expect(s.mean.sleep).toBeGreaterThan(6.9);
      expect(s.mean.sleep).toBeLessThan(7.3);
      expect(s.share['Sex=Female']).toBeCloseTo(BINARY_RATES.SexFemale, 1);
      expect(s.share['Smoking=Yes']).toBeCloseTo(BINARY_RATES.Smoking, 1);
      expect(s.share['GenHealth=Very good']).toBeCloseTo(0.356, 1);
      expect(s.share['Race=White']).toBeCloseTo(0.767, 1);
      const ph = rows.filter((r) => r[5] === '0').length / rows.length;
      const mh = rows.filter((r) => r[6] === '0').length / rows.length;
      expect(Math.abs(ph - 0.709)).toBeLessThan(0.02);
      expect(Math.abs(mh - 0.642)).toBeLessThan(0.02);
      expect(meta.bayesAuc).toBeGreaterThan(0.75);
      expect(meta.bayesAuc).toBeLessThan(0.9);
    }
  });

  it('labels with exactly the model it reports', () => {
    const ds = createDataset({ rows: 2000, seed: 5 });
    let i = 0;
    let maxErr = 0;
    for (const r of ds.records()) {
      const p = probabilityFromModel(ds.meta.model, r);
      maxErr = Math.max(maxErr, Math.abs(p - ds.probabilities[i]!));
      expect(r[0]).toBe(ds.labels[i] ? 'Yes' : 'No');
      i++;
    }
    expect(i).toBe(2000);
    expect(maxErr).toBeLessThan(1e-12);
    expect(ds.meta.bayesAuc).toBeCloseTo(bruteBayesAuc([...ds.probabilities]), 10);
    expect(ds.meta.empiricalAuc).toBe(rocAuc(ds.probabilities, ds.labels));
  });
});

describe('covariate shift', () => {
  const base = summarise(createDataset({ rows: 20_000, seed: 1 }).records());
  const model = createDataset({ rows: 20_000, seed: 1 }).meta.model;
  const batchDs = createDataset({ rows: 20_000, seed: 2, shifted: true, model });
  const batch = summarise(batchDs.records());

  it('moves the shifted features by the documented amounts', () => {
    expect(batch.mean.BMI - base.mean.BMI).toBeCloseTo(SHIFT.BMI.expectedMeanShift, 0);
    expect(Math.abs(batch.mean.BMI - base.mean.BMI - 3)).toBeLessThan(0.3);
    expect(SHIFT.AgeCategory.expectedMeanBandShift).toBeGreaterThan(1.7);
    expect(SHIFT.AgeCategory.expectedMeanBandShift).toBeLessThan(2);
    expect(Math.abs(batch.mean.age - base.mean.age - SHIFT.AgeCategory.expectedMeanBandShift))
      .toBeLessThan(0.15);
    expect(Math.abs(base.share['PhysicalActivity=Yes']! - 0.7754)).toBeLessThan(0.015);
    expect(Math.abs(batch.share['PhysicalActivity=Yes']! - 0.6)).toBeLessThan(0.015);
    expect(Math.abs(batch.mean.sleep - base.mean.sleep - SHIFT.SleepTime.expectedMeanShift))
      .toBeLessThan(0.08);
    expect(SHIFT.SleepTime.expectedMeanShift).toBeCloseTo(-1, 2);
  });

  it('leaves the other features alone', () => {
    for (const k of ['Sex=Female', 'Smoking=Yes', 'GenHealth=Good', 'Diabetic=Yes', 'Race=White']) {
      expect(Math.abs(batch.share[k]! - base.share[k]!), k).toBeLessThan(0.015);
    }
    expect(Math.abs(batch.mean.physicalHealth - base.mean.physicalHealth)).toBeLessThan(0.3);
  });

  it('with one seed, differs from the unshifted data only in the shifted columns', () => {
    const plain = [...createDataset({ rows: 3000, seed: 9 }).records()];
    const shifted = [...createDataset({ rows: 3000, seed: 9, shifted: true }).records()];
    const shiftedCols = new Set(['BMI', 'AgeCategory', 'PhysicalActivity', 'SleepTime',
      'HeartDisease']);
    COLUMNS.forEach((name, j) => {
      const same = plain.every((r, i) => r[j] === shifted[i]![j]);
      if (!shiftedCols.has(name)) expect(same, name).toBe(true);
      else if (name !== 'HeartDisease') expect(same, name).toBe(false);
    });
  });

  it('keeps the true model, so only the covariates move the label rate', () => {
    expect(batchDs.meta.model.intercept).toBe(model.intercept);
    expect(batchDs.meta.expectedPositiveRate).toBeGreaterThan(0.1);
    expect(batchDs.meta.shiftedFeatures).toEqual(['BMI', 'AgeCategory', 'PhysicalActivity',
      'SleepTime']);
  });
});

describe('committed files', () => {
  it('match the manifest (SHA-256, bytes, rows) and are CC0 synthetic data', () => {
    for (const name of ['heart-sample.csv', 'heart-new-batch.csv']) {
      const f = entry(name);
      const buf = readFileSync(join(DATASETS, name));
      expect(sha256(buf), name).toBe(f.sha256);
      expect(buf.length, name).toBe(f.bytes);
      expect(buf.toString('utf8').split('\n').length - 2, name).toBe(f.rows);
      expect(f.licence).toBe('CC0-1.0');
      expect(f.provenance).toBe(
        'synthetic, generated by datasets/generate.mjs; no real survey records');
      expect(f.columns).toEqual([...COLUMNS]);
    }
    expect(manifest.licence).toBe('CC0-1.0');
    const sample = entry('heart-sample.csv');
    const batch = entry('heart-new-batch.csv');
    expect([sample.rows, sample.seed, sample.shifted]).toEqual([20_000, 42, false]);
    expect([batch.rows, batch.seed, batch.shifted]).toEqual([5_000, 4242, true]);
    expect(batch.model).toEqual(sample.model);
    expect(batch.shift).toEqual(JSON.parse(JSON.stringify(SHIFT)));
  });

  it('are regenerated exactly by the generator', () => {
    const sample = generate({ rows: 20_000, seed: 42 });
    expect(sample.meta.sha256).toBe(entry('heart-sample.csv').sha256);
    expect(sample.meta.bayesAuc).toBe(entry('heart-sample.csv').bayesAuc);
    const batch = generate({ rows: 5_000, seed: 4242, shifted: true, model: sample.meta.model });
    expect(batch.meta.sha256).toBe(entry('heart-new-batch.csv').sha256);
    expect(batch.meta.empiricalAuc).toBe(entry('heart-new-batch.csv').empiricalAuc);
  });
});
