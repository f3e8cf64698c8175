import { describe, expect, it } from 'vitest';
import {
  decodeColumns,
  prepareData,
  checkSchema,
  isMissingJump,
  missingColumnsRefusal,
  summarizeFindings,
  type DatasetReference,
  type ModelReference,
  type SchemaFinding,
  defaultTrainConfig,
} from '../../../../src/lib/core/training';
import type { ImportResult } from '../../../../src/lib/core/common';
import { importText } from '../../helpers';

type Columns = Record<string, (i: number) => string>;

const N = 200;
const CATEGORIES = ['18-24', '25-29', '30-34', '35-39'];

/** The reference columns: integer, numeric with 1% missing, boolean, categorical, numeric, boolean target. */
const BASE: Columns = {
  Age: (i) => String(20 + (i % 50)),
  BMI: (i) => (i % 100 === 0 ? '' : (18 + ((i * 7) % 200) / 10).toFixed(1)),
  Smoker: (i) => (i % 2 === 0 ? 'yes' : 'no'),
  AgeCategory: (i) => CATEGORIES[i % 4]!,
  SleepTime: (i) => (5 + (i % 7) * 0.5).toFixed(1),
  Outcome: (i) => (i % 3 === 0 ? 'yes' : 'no'),
};
const FEATURES = ['Age', 'BMI', 'Smoker', 'AgeCategory', 'SleepTime'];

function csvText(columns: Columns, rows = N): string {
  const names = Object.keys(columns);
  const lines = [names.join(',')];
  for (let i = 0; i < rows; i++) lines.push(names.map((n) => columns[n]!(i)).join(','));
  return lines.join('\n') + '\n';
}

/** The base columns with some replaced (a function) or dropped (null), in the base order, then any new ones. */
function variant(changes: Record<string, ((i: number) => string) | null>): Columns {
  const out: Columns = {};
  for (const [name, fn] of Object.entries({ ...BASE, ...changes })) if (fn) out[name] = fn;
  return out;
}

const load = (columns: Columns): Promise<ImportResult> => importText(csvText(columns));

async function datasetRef(target: string | null = null): Promise<DatasetReference> {
  const r = await load(BASE);
  return { kind: 'dataset', schema: r.schema, profile: r.profile, target };
}

/** A model reference from the real training preparation on the base data. */
async function modelRef(withPreprocessing = true): Promise<ModelReference> {
  const r = await load(BASE);
  const source = { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
  const config = defaultTrainConfig(r.hash, 'Outcome', 'binary', FEATURES);
  const data = prepareData(config, await decodeColumns(source, ['Outcome', ...FEATURES]));
  return { kind: 'model', inputSchema: data.inputSchema, target: 'Outcome', ...(withPreprocessing ? { preprocessing: data.preprocessing } : {}) };
}

const kinds = (fs: SchemaFinding[]) => fs.map((f) => `${f.severity}:${f.kind}:${f.column}`);

describe('checkSchema against a dataset version (drift cell)', () => {
  it('finds nothing for identical files', async () => {
    const ref = await datasetRef('Outcome');
    expect(checkSchema(ref, await load(BASE))).toEqual([]);
  });

  it('reports a dropped column as a warning and an added one as info', async () => {
    const ref = await datasetRef();
    const findings = checkSchema(ref, await load(variant({ BMI: null, Region: (i) => (i % 2 ? 'north' : 'south') })));
    expect(kinds(findings)).toEqual(['warning:missing-column:BMI', 'info:unexpected-column:Region']);
    expect(findings[0]!.message).toBe('“BMI” is missing from the new file.');
    expect(findings[0]!.consequence).toMatch(/cannot be checked for drift/);
    expect(findings[1]!.message).toBe('“Region” is new: the reference has no such column.');
  });

  it('treats integer -> numeric as no change', async () => {
    const ref = await datasetRef();
    expect(checkSchema(ref, await load(variant({ Age: (i) => String(20.5 + (i % 50)) })))).toEqual([]);
  });

  it('reports a numeric column turned text, capped at warning without a model', async () => {
    const ref = await datasetRef();
    const findings = checkSchema(ref, await load(variant({ SleepTime: (i) => `slept ${i} h` })));
    expect(kinds(findings)).toEqual(['warning:type-change:SleepTime']);
    expect(findings[0]!.message).toBe('“SleepTime” changed type from numeric to text.');
    expect(findings[0]!.consequence).toMatch(/None of its 20 most frequent values are numbers/);
  });

  it('counts rows with a category the reference never had', async () => {
    const ref = await datasetRef();
    const findings = checkSchema(ref, await load(variant({ AgeCategory: (i) => (i % 10 === 0 ? '90+' : CATEGORIES[i % 4]!) })));
    expect(kinds(findings)).toEqual(['warning:unseen-categories:AgeCategory']);
    expect(findings[0]!.message).toBe("20 rows (10.0%) have “AgeCategory” values that never occur in the reference: '90+'.");
    expect(findings[0]!.consequence).toMatch(/treats them as 'other'/);
  });

  it('flags a missing-value jump but not noise', async () => {
    const ref = await datasetRef();
    const jump = checkSchema(ref, await load(variant({ BMI: (i) => (i % 5 === 0 ? '' : BASE.BMI!(i)) })));
    expect(kinds(jump)).toEqual(['warning:missing-jump:BMI']);
    expect(jump[0]!.message).toBe('Missing values in “BMI” went from 1.0% to 20.0%.');
    expect(jump[0]!.consequence).toMatch(/filled with the training median, which can bias predictions/);
    // 1% -> 3%: under the 5-point floor.
    expect(checkSchema(ref, await load(variant({ BMI: (i) => (i % 50 === 1 || i % 100 === 0 ? '' : BASE.BMI!(i)) })))).toEqual([]);
  });

  it('reports an absent target as info (needed for concept drift only)', async () => {
    const withTarget = checkSchema(await datasetRef('Outcome'), await load(variant({ Outcome: null })));
    expect(kinds(withTarget)).toEqual(['info:target-missing:Outcome']);
    expect(withTarget[0]!.consequence).toMatch(/concept drift/);
    expect(summarizeFindings(withTarget).canPredict).toBe(true);
    // Without a target named, it is an ordinary missing column.
    expect(kinds(checkSchema(await datasetRef(), await load(variant({ Outcome: null }))))).toEqual(['warning:missing-column:Outcome']);
  });

  it('reports categories outside an incomplete reference list as possibly new', async () => {
    const wide: Columns = { Code: (i) => `c${i % 30}` };
    const r = await load(wide);
    expect(r.schema[0]!.type).toBe('categorical');
    const ref: DatasetReference = { kind: 'dataset', schema: r.schema, profile: r.profile };
    expect(checkSchema(ref, r)).toEqual([]);
    const findings = checkSchema(ref, await load({ Code: (i) => (i % 2 ? 'zz' : `c${i % 30}`) }));
    expect(kinds(findings)).toEqual(['info:unseen-categories:Code']);
    expect(findings[0]!.message).toMatch(/outside the reference's 20 most frequent ones: 'zz'/);
  });
});

describe('checkSchema against a model (predict cell)', () => {
  it('finds nothing on data shaped like the training file', async () => {
    const ref = await modelRef();
    expect(ref.inputSchema.map((c) => c.name)).toEqual(FEATURES);
    expect(checkSchema(ref, await load(BASE))).toEqual([]);
  });

  it('makes a missing input column an error and an extra column info', async () => {
    const ref = await modelRef();
    const findings = checkSchema(ref, await load(variant({ BMI: null, Notes: (i) => `note ${i}` })));
    expect(kinds(findings)).toEqual(['error:missing-column:BMI', 'info:unexpected-column:Notes']);
    expect(findings[0]!.consequence).toBe('The model needs “BMI”: predictions cannot be made until the column is added.');
    expect(findings[1]!.consequence).toBe('Ignored: the model does not use it.');
    const summary = summarizeFindings(findings);
    expect(summary.canPredict).toBe(false);
    expect(summary.errors).toHaveLength(1);
    expect(summary.warnings).toHaveLength(0);
    expect(summary.info).toHaveLength(1);
  });

  it('hints at a column whose name differs only by case', async () => {
    const ref = await modelRef();
    const { BMI, ...rest } = BASE;
    const findings = checkSchema(ref, await load({ ...rest, bmi: BMI! }));
    expect(kinds(findings)).toEqual(['error:missing-column:BMI', 'info:unexpected-column:bmi']);
    expect(findings[0]!.message).toMatch(/The new file has “bmi”: names must match exactly/);
  });

  it('accepts a file without the target, with an info note', async () => {
    const findings = checkSchema(await modelRef(), await load(variant({ Outcome: null })));
    expect(kinds(findings)).toEqual(['info:target-missing:Outcome']);
    expect(findings[0]!.consequence).toMatch(/^Fine for predictions/);
    expect(summarizeFindings(findings).canPredict).toBe(true);
  });

  it('makes a numeric column that reads as missing everywhere an error', async () => {
    const findings = checkSchema(await modelRef(), await load(variant({ SleepTime: (i) => `${6 + (i % 3)}h` })));
    expect(kinds(findings)).toEqual(['error:type-change:SleepTime']);
    expect(findings[0]!.message).toBe('“SleepTime” changed type from numeric to categorical.');
    expect(findings[0]!.consequence).toMatch(/“SleepTime” will be read as missing for every row and filled with the training median \(6\.5\)/);
  });

  it('makes a few unreadable values a warning, with their count', async () => {
    const findings = checkSchema(await modelRef(), await load(variant({ SleepTime: (i) => (i % 10 === 0 ? 'unknown' : BASE.SleepTime!(i)) })));
    expect(kinds(findings)).toEqual(['warning:type-change:SleepTime']);
    expect(findings[0]!.consequence).toMatch(/^20 of its 200 values \(10\.0%\) are not numbers: they will be read as missing/);
  });

  it('makes dates where numbers were an error', async () => {
    const findings = checkSchema(await modelRef(), await load(variant({ Age: (i) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}` })));
    expect(kinds(findings)).toEqual(['error:type-change:Age']);
    expect(findings[0]!.consequence).toMatch(/milliseconds since 1970/);
  });

  it('counts rows with categories the model never learned', async () => {
    const findings = checkSchema(await modelRef(), await load(variant({ AgeCategory: (i) => (i % 8 === 0 ? '90+' : i % 8 === 1 ? 'unknown' : CATEGORIES[i % 4]!) })));
    expect(kinds(findings)).toEqual(['warning:unseen-categories:AgeCategory']);
    expect(findings[0]!.message).toBe("50 rows (25.0%) have “AgeCategory” values the model never learned: '90+', 'unknown'.");
    expect(findings[0]!.consequence).toMatch(/The model treats them as 'other'/);
  });

  it('compares missing values with the training share, or notes them when it is unknown', async () => {
    const file = await load(variant({ BMI: (i) => (i % 4 === 0 ? '' : BASE.BMI!(i)) }));
    const withSpec = checkSchema(await modelRef(), file);
    expect(kinds(withSpec)).toEqual(['warning:missing-jump:BMI']);
    expect(withSpec[0]!.message).toMatch(/^Missing values in “BMI” went from \d\.\d% to 25\.0%\.$/);
    expect(withSpec[0]!.consequence).toMatch(/^They are filled with the training median \([\d.]+\), which can bias predictions\.$/);
    const bare = checkSchema(await modelRef(false), file);
    expect(kinds(bare)).toEqual(['info:missing-values:BMI']);
  });

  it('makes a column empty in every row an error', async () => {
    const findings = checkSchema(await modelRef(), await load(variant({ BMI: () => '' })));
    expect(kinds(findings)).toEqual(['error:missing-jump:BMI']);
    expect(findings[0]!.message).toMatch(/^“BMI” is empty in every row of the new file/);
  });

  it('orders errors, then warnings, then info', async () => {
    const findings = checkSchema(
      await modelRef(),
      await load(variant({ Age: null, Outcome: null, AgeCategory: (i) => (i % 2 ? 'new' : CATEGORIES[i % 4]!), Extra: (i) => String(i) })),
    );
    expect(kinds(findings)).toEqual([
      'error:missing-column:Age',
      'warning:unseen-categories:AgeCategory',
      'info:target-missing:Outcome',
      'info:unexpected-column:Extra',
    ]);
  });
});

describe('isMissingJump', () => {
  it('needs at least 5 points and at least double the reference share', () => {
    expect(isMissingJump(0.4, 18)).toBe(true);
    expect(isMissingJump(0, 5)).toBe(true);
    expect(isMissingJump(0.4, 3)).toBe(false);
    expect(isMissingJump(10, 16)).toBe(false);
    expect(isMissingJump(10, 20)).toBe(true);
    expect(isMissingJump(20, 10)).toBe(false);
  });
});

describe('missingColumnsRefusal', () => {
  const missing = (column: string): SchemaFinding => ({ kind: 'missing-column', column, severity: 'error', message: `“${column}” is missing from the new file.`, consequence: '' });
  const extra = (column: string): SchemaFinding => ({ kind: 'unexpected-column', column, severity: 'info', message: '', consequence: '' });
  const names = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

  it('says "none" in one line when every expected column is missing', () => {
    const findings = [...names(17).map(missing), extra('x')];
    const r = missingColumnsRefusal(findings, 17, 'model')!;
    expect(r.message).toBe('None of the 17 columns this model needs are in this file: wrong file?');
    expect(r.missing.map((f) => f.column)).toEqual(names(17));
    expect(r.expected).toBe(17);
  });

  it('counts the missing ones when most but not all are missing', () => {
    expect(missingColumnsRefusal(names(12).map(missing), 17, 'model')!.message).toBe('12 of the 17 columns this model needs are missing from this file: wrong file?');
    expect(missingColumnsRefusal(names(3).map(missing), 4, 'dataset')!.message).toBe('3 of the 4 columns of the reference are missing from this file: wrong file?');
  });

  it('leaves half or fewer, and a single missing column, to the per-column findings', () => {
    expect(missingColumnsRefusal(names(2).map(missing), 4, 'model')).toBeNull();
    expect(missingColumnsRefusal(names(8).map(missing), 17, 'model')).toBeNull();
    expect(missingColumnsRefusal([missing('only')], 1, 'model')).toBeNull();
    expect(missingColumnsRefusal([extra('x')], 5, 'model')).toBeNull();
    expect(missingColumnsRefusal([], 0, 'model')).toBeNull();
  });

  it('never reports more missing columns than expected ones', () => {
    expect(missingColumnsRefusal(names(5).map(missing), 3, 'model')!.message).toBe('None of the 5 columns this model needs are in this file: wrong file?');
  });

  it('recognises a wrong file from a real schema check', async () => {
    const ref = await modelRef();
    const other = await load({ Id: (i) => String(i), Age: BASE.Age!, Colour: (i) => (i % 2 ? 'red' : 'blue') });
    const r = missingColumnsRefusal(checkSchema(ref, other), ref.inputSchema.length, 'model')!;
    expect(r.message).toBe('4 of the 5 columns this model needs are missing from this file: wrong file?');
    expect(r.missing.map((f) => f.column)).toEqual(['BMI', 'Smoker', 'AgeCategory', 'SleepTime']);
  });
});
