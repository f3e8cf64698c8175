/**
 * Prepare steps run on danfojs (src/lib/prepare-run.ts) over a small stored
 * version, each against results worked out by hand from the CSV below.
 */
import { describe, expect, it } from 'vitest';
import { applyRecipe, previewRecipe, recipeCsv, groupSummary, asFailure } from '../../../src/lib/prepare-run';
import { RecipeError, recipeHash, type PrepareStep, type Recipe } from '../../../src/lib/core/prepare';
import { decodeColumns, type DatasetSource } from '../../../src/lib/core/training';
import type { Frame } from '../../../src/lib/prepare-frame';
import { importText } from '../helpers';

async function load(csv: string): Promise<DatasetSource> {
  const r = await importText(csv);
  return { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
}

// Row 4 repeats row 1 except its id; rows 2, 3, 5 and 6 each miss one value (row 6 two).
const PEOPLE = [
  'id,name,age,score,city,code',
  '1,Ann,34,7.5,Oslo,12',
  '2,Bob,,6,Bergen,x',
  '3,Cy,51,,Oslo,3.5',
  '4,Ann,34,7.5,Oslo,12',
  '5,,28,9,Bergen,7',
  '6,Dee,45,8.25,,',
].join('\n');

const CITIES = ['city,country,name', 'Oslo,Norway,capital', 'Bergen,Norway,west', 'Paris,France,capital'].join('\n');

const NO_JOINS = new Map<string, DatasetSource>();

/** The result as plain rows (missing as null) with its header. */
function table(frame: Frame): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: [...frame.names],
    rows: frame.df.values.map((row) => row.map((v) => (v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : v))),
  };
}

async function run(steps: PrepareStep[], joined = NO_JOINS, csv = PEOPLE) {
  const input = await load(csv);
  const result = await applyRecipe(input, { steps }, joined);
  return { ...table(result.frame), stepRows: result.stepRows, rowsIn: result.rowsIn };
}

function col(t: { header: string[]; rows: (string | number | null)[][] }, name: string): (string | number | null)[] {
  const j = t.header.indexOf(name);
  expect(j).toBeGreaterThanOrEqual(0);
  return t.rows.map((r) => r[j]!);
}

async function failure(steps: PrepareStep[], joined = NO_JOINS): Promise<RecipeError> {
  const input = await load(PEOPLE);
  const err = await applyRecipe(input, { steps }, joined).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RecipeError);
  return err as RecipeError;
}

describe('Prepare steps on danfojs', () => {
  it('reads a stored version: numbers with missing as NaN, text with missing as null', async () => {
    const t = await run([]);
    expect(t.header).toEqual(['id', 'name', 'age', 'score', 'city', 'code']);
    expect(t.rows[1]).toEqual([2, 'Bob', null, 6, 'Bergen', 'x']);
    expect(t.rows[5]).toEqual([6, 'Dee', 45, 8.25, null, null]);
    expect(t.rowsIn).toBe(6);
  });

  it('drops and renames columns', async () => {
    const t = await run([
      { kind: 'drop', columns: ['score', 'code'] },
      { kind: 'rename', from: 'city', to: 'town' },
    ]);
    expect(t.header).toEqual(['id', 'name', 'age', 'town']);
    expect(col(t, 'town')).toEqual(['Oslo', 'Bergen', 'Oslo', 'Oslo', 'Bergen', null]);
    expect(t.stepRows).toEqual([6, 6]);
  });

  it('casts text to numbers (unreadable values missing) and numbers to text', async () => {
    const t = await run([
      { kind: 'cast', column: 'code', to: 'number' },
      { kind: 'cast', column: 'score', to: 'text' },
    ]);
    expect(col(t, 'code')).toEqual([12, null, 3.5, 12, 7, null]);
    expect(col(t, 'score')).toEqual(['7.5', '6', null, '7.5', '9', '8.25']);
  });

  it('filters with a condition; a missing value counts as false', async () => {
    const t = await run([{ kind: 'filter', expression: "age > 30 and city == 'Oslo'" }]);
    expect(col(t, 'id')).toEqual([1, 3, 4]);
    const none = await run([{ kind: 'filter', expression: 'age > 100' }]);
    expect(none.rows).toEqual([]);
    expect(none.header).toEqual(['id', 'name', 'age', 'score', 'city', 'code']);
  });

  it('fills missing values with the mean, median, mode or a value', async () => {
    const t = await run([
      { kind: 'fill-missing', column: 'age', method: 'mean' },
      { kind: 'fill-missing', column: 'score', method: 'median' },
      { kind: 'fill-missing', column: 'name', method: 'mode' },
      { kind: 'fill-missing', column: 'city', method: 'value', value: 'Unknown' },
    ]);
    // mean(34, 51, 34, 28, 45) = 192 / 5; median(6, 7.5, 7.5, 8.25, 9) = 7.5; Ann appears twice.
    expect(col(t, 'age')).toEqual([34, 38.4, 51, 34, 28, 45]);
    expect(col(t, 'score')).toEqual([7.5, 6, 7.5, 7.5, 9, 8.25]);
    expect(col(t, 'name')).toEqual(['Ann', 'Bob', 'Cy', 'Ann', 'Ann', 'Dee']);
    expect(col(t, 'city')).toEqual(['Oslo', 'Bergen', 'Oslo', 'Oslo', 'Bergen', 'Unknown']);
  });

  it('takes the median of an even count as the mean of the middle two', async () => {
    const t = await run([
      { kind: 'filter', expression: 'id != 6' },
      { kind: 'fill-missing', column: 'age', method: 'median' },
    ]);
    // ages 34, 51, 34, 28 -> sorted 28, 34, 34, 51 -> (34 + 34) / 2
    expect(col(t, 'age')).toEqual([34, 34, 51, 34, 28]);
  });

  it('drops rows with missing values in the named columns, or in any column', async () => {
    expect(col(await run([{ kind: 'drop-missing', columns: ['age'] }]), 'id')).toEqual([1, 3, 4, 5, 6]);
    expect(col(await run([{ kind: 'drop-missing', columns: [] }]), 'id')).toEqual([1, 4]);
  });

  it('derives numbers and conditions from an expression', async () => {
    const t = await run([
      { kind: 'derive', name: 'double', expression: 'score * 2' },
      { kind: 'derive', name: 'senior', expression: 'age >= 45' },
      { kind: 'derive', name: 'age', expression: 'age + 1' },
    ]);
    expect(t.header).toEqual(['id', 'name', 'age', 'score', 'city', 'code', 'double', 'senior']);
    expect(col(t, 'double')).toEqual([15, 12, null, 15, 18, 16.5]);
    expect(col(t, 'senior')).toEqual(['false', 'false', 'true', 'false', 'false', 'true']);
    expect(col(t, 'age')).toEqual([35, null, 52, 35, 29, 46]);
  });

  it('removes repeated rows, keeping the first, on chosen columns or all', async () => {
    expect(col(await run([{ kind: 'dedupe', columns: ['name', 'age'] }]), 'id')).toEqual([1, 2, 3, 5, 6]);
    expect(col(await run([{ kind: 'dedupe', columns: [] }]), 'id')).toEqual([1, 2, 3, 4, 5, 6]);
    const t = await run([
      { kind: 'drop', columns: ['id'] },
      { kind: 'dedupe', columns: [] },
    ]);
    expect(col(t, 'age')).toEqual([34, null, 51, 28, 45]);
    // Missing equals missing, and the number 12 is not the text "12".
    expect(col(await run([{ kind: 'dedupe', columns: ['city'] }]), 'id')).toEqual([1, 2, 6]);
  });

  it('bins a number column into labelled equal-width bins', async () => {
    const t = await run([{ kind: 'bin', column: 'age', name: 'band', bins: 2, method: 'equal-width' }]);
    // min 28, max 51: edges 28, 39.5, 51; the last bin is closed.
    expect(col(t, 'band')).toEqual(['[28, 39.5)', null, '[39.5, 51]', '[28, 39.5)', '[28, 39.5)', '[39.5, 51]']);
  });

  it('joins inner and left on a key, keeping the left order and suffixing a clashing column', async () => {
    const cities = await load(CITIES);
    const joined = new Map([[cities.hash, cities]]);
    const inner = await run([{ kind: 'join', versionHash: cities.hash, on: ['city'], how: 'inner' }], joined);
    expect(inner.header).toEqual(['id', 'name', 'age', 'score', 'city', 'code', 'country', 'name_2']);
    expect(col(inner, 'id')).toEqual([1, 2, 3, 4, 5]);
    expect(col(inner, 'country')).toEqual(['Norway', 'Norway', 'Norway', 'Norway', 'Norway']);
    expect(col(inner, 'name_2')).toEqual(['capital', 'west', 'capital', 'capital', 'west']);
    const left = await run([{ kind: 'join', versionHash: cities.hash, on: ['city'], how: 'left' }], joined);
    expect(col(left, 'id')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(col(left, 'country')).toEqual(['Norway', 'Norway', 'Norway', 'Norway', 'Norway', null]);
  });

  it('repeats a left row for each match, in the right order, and joins on two keys', async () => {
    const right = await load(['city,code,tag', 'Oslo,12,a', 'Bergen,x,b', 'Oslo,12,c', 'Oslo,3.5,d'].join('\n'));
    const joined = new Map([[right.hash, right]]);
    const t = await run([{ kind: 'join', versionHash: right.hash, on: ['city', 'code'], how: 'inner' }], joined);
    expect(col(t, 'id')).toEqual([1, 1, 2, 3, 4, 4]);
    expect(col(t, 'tag')).toEqual(['a', 'c', 'b', 'd', 'a', 'c']);
  });

  it('works on columns named like danfojs frame properties', async () => {
    const t = await run([{ kind: 'derive', name: 'shape', expression: 'index * 10' }], NO_JOINS, 'index,values\n1,a\n2,b\n');
    expect(t.header).toEqual(['index', 'values', 'shape']);
    expect(t.rows).toEqual([
      [1, 'a', 10],
      [2, 'b', 20],
    ]);
  });

  it('names the step and the column of a step that cannot run', async () => {
    const rename = await failure([{ kind: 'drop', columns: ['code'] }, { kind: 'rename', from: 'code', to: 'c' }]);
    expect(rename.step).toBe(1);
    expect(rename.column).toBe('code');
    const filter = await failure([{ kind: 'filter', expression: 'agee > 3' }]);
    expect(filter.step).toBe(0);
    expect(filter.column).toBe('agee');
    expect(filter.message).toMatch(/age/);
    // As the worker hands it back: a value, no stack.
    expect(asFailure(filter)).toEqual({ ok: false, step: 0, column: 'agee', message: filter.message });
  });

  it('previews the first rows and counts rows after each step', async () => {
    const input = await load(PEOPLE);
    const recipe: Recipe = { steps: [{ kind: 'filter', expression: "city == 'Oslo'" }, { kind: 'drop', columns: ['code'] }] };
    const p = await previewRecipe(input, recipe, NO_JOINS, { rows: 4 });
    expect(p.rowsIn).toBe(4);
    expect(p.stepRows).toEqual([3, 3]);
    expect(p.rowsOut).toBe(3);
    expect(p.header).toEqual(['id', 'name', 'age', 'score', 'city']);
    expect(p.rows.map((r) => r[0])).toEqual([1, 3, 4]);
    expect(p.group).toBeNull();
  });

  it('summarises groups with danfojs groupby, leaving missing values out', async () => {
    const input = await load(PEOPLE);
    const { frame } = await applyRecipe(input, { steps: [] }, NO_JOINS);
    const g = groupSummary(frame, { by: ['city'], aggregates: [{ column: 'age', fn: 'mean' }, { column: 'score', fn: 'count' }, { column: 'score', fn: 'max' }] });
    expect(g.header).toEqual(['city', 'mean(age)', 'count(score)', 'max(score)']);
    // Bergen: ages (missing), 28; scores 6, 9. Oslo: ages 34, 51, 34; scores 7.5, (missing), 7.5. Missing city: 45; 8.25.
    expect(g.rows[0]).toEqual(['Bergen', 28, 2, 9]);
    expect(g.rows[1]![0]).toBe('Oslo');
    expect(g.rows[1]![1]).toBeCloseTo(119 / 3, 12);
    expect(g.rows[1]!.slice(2)).toEqual([2, 7.5]);
    expect(g.rows[2]).toEqual([null, 45, 1, 8.25]);
    const p = await previewRecipe(input, { steps: [] }, NO_JOINS, { group: { by: ['city'], aggregates: [{ column: 'age', fn: 'count' }] } });
    expect(p.group?.rows).toEqual([
      ['Bergen', 1],
      ['Oslo', 3],
      [null, 1],
    ]);
  });

  it('writes the same CSV bytes every time, which import back as the same values', async () => {
    const input = await load(PEOPLE);
    const recipe: Recipe = {
      steps: [
        { kind: 'derive', name: 'ratio', expression: 'score / 3' },
        { kind: 'cast', column: 'age', to: 'text' },
        { kind: 'fill-missing', column: 'name', method: 'value', value: '=odd, "quoted"' },
      ],
    };
    const a = await recipeCsv(input, recipe, NO_JOINS);
    const b = await recipeCsv(input, recipe, NO_JOINS);
    const bytesA = new Uint8Array(await a.blob.arrayBuffer());
    expect(new Uint8Array(await b.blob.arrayBuffer())).toEqual(bytesA);
    expect(a.rows).toBe(6);
    expect(a.recipeHash).toBe(await recipeHash(recipe, [input.hash]));
    // The cast column keeps a text type on import; the others keep the input's types.
    expect(a.types.age).toBe('categorical');
    expect(a.types.name).toBe(input.schema[1]!.type);

    const text = await a.blob.text();
    expect(text.split('\r\n')[5]).toBe(`5,"=odd, ""quoted""",28,9,Bergen,7,3`);
    const back = await importText(text, 'out.csv', { types: a.types });
    const [ratio, name] = await decodeColumns(
      { hash: back.hash, rows: back.rows, schema: back.schema, dictBlob: back.dictBlob, chunks: back.chunks },
      ['ratio', 'name'],
    );
    expect(ratio!.data.kind).toBe('num');
    if (ratio!.data.kind === 'num') expect(Array.from(ratio!.data.values)).toEqual([7.5 / 3, 2, NaN, 7.5 / 3, 3, 8.25 / 3]);
    if (name!.data.kind === 'dict') {
      const d = name!.data;
      expect(Array.from(d.codes, (c) => d.dict[c - 1])).toEqual(['Ann', 'Bob', 'Cy', 'Ann', '=odd, "quoted"', 'Dee']);
    } else {
      expect.unreachable('name should be text');
    }
    // Same input and recipe, same bytes: the import's content hash is the same too.
    expect((await importText(await b.blob.text(), 'again.csv')).hash).toBe(back.hash);
  });
});
