import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  columnStats,
  driftReport,
  driftSummary,
  featureDrift,
  type ColumnStats,
  type DriftResult,
  type FeatureDrift,
  driftReportHtml,
  driftReportJson,
  type DriftReportDocument,
  modelDrift,
  modelSummary,
  reportAtTolerances,
  reportSummary,
} from '../../../../src/lib/core/drift';
import { escapeHtml, truncate } from '../../../../src/lib/core/drift/drift-svg';
import { decodeColumns, checkSchema, type DatasetSource } from '../../../../src/lib/core/training';
import type { ImportResult } from '../../../../src/lib/core/common';
import type { DriftReportRecord } from '../../../../src/lib/storage/records';
import { importText } from '../../helpers';

// A stored record is accepted as it is (compile-time check).
const _storedFits = (r: DriftReportRecord): DriftReportDocument => r;

const DATASETS = join(import.meta.dirname, '..', '..', '..', '..', 'datasets');

/** As drift.test.ts: the real importer, then the stored columns decoded and summarised. */
async function load(text: string, name: string): Promise<{ imported: ImportResult; stats: ColumnStats[] }> {
  const r = await importText(text, name);
  const source: DatasetSource = { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
  const cols = await decodeColumns(source, r.schema.map((c) => c.name));
  const stats = cols.map((c) => columnStats(c.schema.name, c.schema.type, c.data)).filter((s): s is ColumnStats => s !== null);
  return { imported: r, stats };
}

function documentOf(over: Partial<DriftReportDocument> & { result: DriftResult }): DriftReportDocument {
  return {
    id: '01HZX0REPORT',
    createdAt: Date.UTC(2024, 4, 17, 9, 30),
    notebookId: null,
    reference: { kind: 'dataset', datasetHash: 'a'.repeat(64), label: 'heart-sample.csv v1' },
    currentHash: 'b'.repeat(64),
    currentLabel: 'heart-new-batch.csv v1',
    modelVersionId: null,
    modelLabel: null,
    options: {},
    schema: [],
    model: null,
    summary: driftSummary(over.result),
    referenceReused: false,
    ms: 1234,
    ...over,
  };
}

/** Every tag of the markup (escaped text holds no '<', so each '<' opens a real tag). */
function tags(html: string): string[] {
  return html.match(/<[^>]*>/g) ?? [];
}

const ALLOWED_TAGS = new Set(['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'footer', 'section', 'h1', 'h2', 'h3', 'p', 'dl', 'dt', 'dd', 'code', 'span', 'strong', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'svg', 'g', 'rect', 'line', 'text']);

function expectInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  for (const t of tags(html)) {
    const name = /^<\/?([!a-z][a-z0-9-]*)/i.exec(t)?.[1]?.toLowerCase();
    expect(ALLOWED_TAGS.has(name ?? ''), t).toBe(true);
    // No event handler attribute once quoted values are taken out.
    expect(t.replace(/"[^"]*"/g, '""'), t).not.toMatch(/\son[a-z]+\s*=/i);
  }
}

function expectOffline(html: string): void {
  expect(html).not.toMatch(/https?:/i);
  expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
  expect(html).not.toMatch(/url\(/i);
  expect(html).not.toMatch(/@import/i);
  expect(html).not.toMatch(/<link\b/i);
  for (const m of html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)) expect(m[1]).toMatch(/^data:/);
}

describe('drift report export of the heart sample against its new batch', () => {
  let ref: Awaited<ReturnType<typeof load>>;
  let cur: Awaited<ReturnType<typeof load>>;
  let result: DriftResult;
  let doc: DriftReportDocument;
  beforeAll(async () => {
    const sample = readFileSync(join(DATASETS, 'heart-sample.csv'), 'utf8');
    const batch = readFileSync(join(DATASETS, 'heart-new-batch.csv'), 'utf8');
    [ref, cur] = await Promise.all([load(sample, 'heart-sample.csv'), load(batch, 'heart-new-batch.csv')]);
    result = driftReport(ref.stats, cur.stats);
    const schema = checkSchema({ kind: 'dataset', schema: ref.imported.schema, profile: ref.imported.profile }, cur.imported);
    doc = documentOf({ result, schema, reference: { kind: 'dataset', datasetHash: ref.imported.hash, label: 'heart-sample.csv v1' }, currentHash: cur.imported.hash });
  }, 60_000);

  it('HTML: one standalone, script-free file with the summary first, the inputs, and a chart per feature', () => {
    const html = driftReportHtml(doc);
    expect(html.startsWith('<!doctype html>\n')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).toContain('<title>Drift report: heart-new-batch.csv v1 against heart-sample.csv v1</title>');
    expect(html).toMatch(/<style>[^<]*@media print/);
    // The summary is the first thing after the heading.
    expect(html).toMatch(/<\/h1>\n<p class="summary">4 of 18 features drifted/);
    expect(html.indexOf(doc.summary)).toBeLessThan(html.indexOf('<h2>Inputs</h2>'));
    // Hashes in full, the threshold, the time taken, the date.
    expect(html).toContain(`<code>${ref.imported.hash}</code>`);
    expect(html).toContain(`<code>${cur.imported.hash}</code>`);
    expect(html).toContain('50.0% of the tested features');
    expect(html).toContain('1.2 s');
    expect(html).toContain('2024-05-17 09:30 UTC');
    // Every feature, in the order given, with exactly one chart each.
    let at = 0;
    for (const f of result.features) {
      const i = html.indexOf(`<th scope="row">${f.column}</th>`, at);
      expect(i, f.column).toBeGreaterThan(at);
      at = i;
    }
    expect(html.match(/<svg\b/g)?.length).toBe(result.features.length);
    expect(html.match(/<\/svg>/g)?.length).toBe(result.features.length);
    const bmi = result.features.find((f) => f.column === 'BMI')!;
    expect(bmi.drifted).toBe(true);
    expect(html).toContain('<tr class="drift"><th scope="row">BMI</th><td>numeric</td><td>Wasserstein distance (normed)</td><td class="n">≥ 0.10</td>');
    expect(html).toContain('<p class="verdict ok">The dataset has not drifted: 4 of 18 tested features drifted');
    expect(html).not.toContain('<h2>The model');
    expectOffline(html);
    expectInert(html);
  });

  it('HTML: the model section, with its verdict above the model checks, and the prediction and label drift charts', () => {
    const target = (s: ColumnStats[]) => s.find((c) => c.name === 'HeartDisease')!;
    const refPred: ColumnStats = { name: 'prediction', kind: 'numeric', rows: 200, missing: 0, sorted: Float64Array.from({ length: 200 }, (_, i) => i / 200) };
    const curPred: ColumnStats = { name: 'prediction', kind: 'numeric', rows: 200, missing: 0, sorted: Float64Array.from({ length: 200 }, (_, i) => 0.3 + (0.7 * i) / 200) };
    const concept = [
      { key: 'recall', label: 'recall of “Yes”', test: 0.78, current: 0.52, change: -0.26, primary: true },
      { key: 'rocAuc', label: 'ROC AUC', test: 0.84, current: 0.85, change: 0.01, primary: true },
    ];
    const model = modelDrift({ referencePredictions: refPred, currentPredictions: curPred, referenceTarget: target(ref.stats), currentTarget: target(cur.stats), concept });
    expect(model.prediction!.drifted).toBe(true);
    // The batch's share of “Yes” moved from 9.1% to 12.9%: under the Jensen-Shannon threshold.
    expect(model.label!.drifted).toBe(false);
    const report = { ...doc, model, modelLabel: 'heart-mlp v3', modelVersionId: 'c'.repeat(64), summary: reportSummary(doc.result, model) };
    const html = driftReportHtml(report);
    expect(html).toContain('<h2>The model: heart-mlp v3</h2>');
    const sentence = 'Retraining recommended: recall of “Yes” fell from 0.780 to 0.520 (tolerance 0.050) and the model’s predictions have drifted.';
    expect(modelSummary(model)).toBe(sentence);
    expect(html).toContain(`<h2>The model: heart-mlp v3</h2><p class="verdict drifted">${sentence}</p><table><caption>Model checks</caption>`);
    expect(report.summary).toBe(`${doc.summary} ${sentence}`);
    expect(html).toContain(
      '<tr class="drift"><th scope="row">recall of “Yes”</th><td>yes</td><td class="n">0.780</td><td class="n">0.520</td><td class="n">−0.260</td><td class="n">fall ≤ 0.050</td><td><strong class="drifted">fail</strong></td></tr>',
    );
    expect(html).toContain('<tr><th scope="row">ROC AUC</th><td>yes</td><td class="n">0.840</td><td class="n">0.850</td><td class="n">+0.010</td><td class="n">fall ≤ 0.020</td><td><span class="ok">pass</span></td></tr>');
    expect(html).toMatch(/<tr class="drift"><th scope="row">prediction drift<\/th><td>yes<\/td><td class="n">—<\/td><td class="n">K-S p_value [\d.]+e-\d+<\/td><td class="n">—<\/td><td class="n">drift when ≤ 0\.050<\/td><td><strong class="drifted">fail<\/strong><\/td><\/tr>/);
    expect(html).toContain('<th scope="row">label drift (HeartDisease)</th><td>no</td><td class="n">—</td><td class="n">Jensen-Shannon distance ');
    expect(html).toContain('<td class="n">drift when ≥ 0.100</td>');
    // The charts of prediction and label drift stay, under the checks.
    expect(html).toContain('<h3>Prediction and label drift</h3>');
    expect(html.match(/<svg\b/g)?.length).toBe(result.features.length + 2);
    expectOffline(html);
    expectInert(html);

    // A report stored before verdicts (no `verdict`, metrics without `primary`) still shows its checks, at the defaults.
    const { verdict: _verdict, ...old } = model;
    const oldConcept = concept.map(({ primary: _p, ...m }) => m);
    const oldHtml = driftReportHtml({ ...report, model: { ...old, concept: oldConcept }, summary: 'an old summary' });
    expect(oldHtml).toContain(`<p class="verdict drifted">${sentence}</p><table><caption>Model checks</caption>`);
    expect(oldHtml).toContain('<p class="summary">an old summary</p>');

    // The cell's tolerances, changed after the check: rows, verdict and summary follow; the numbers stay.
    const lenient = reportAtTolerances(report, { recall: 0.3 });
    const lenientSentence = 'Retraining recommended: the model’s predictions have drifted.';
    expect(lenient.summary).toBe(`${doc.summary} ${lenientSentence}`);
    const lenientHtml = driftReportHtml(lenient);
    expect(lenientHtml).toContain('<td class="n">−0.260</td><td class="n">fall ≤ 0.300</td><td><span class="ok">pass</span></td>');
    const back = JSON.parse(driftReportJson(lenient));
    expect(back.model.verdict.tolerances.recall).toBe(0.3);
    expect(back.model.verdict.level).toBe('retrain');
    expect(back.model.verdict.checks.map((c: { key: string; passed: boolean }) => [c.key, c.passed])).toEqual([
      ['recall', true],
      ['rocAuc', true],
      ['prediction', false],
      ['label', true],
    ]);
  });

  it('JSON: pretty-printed under its header, every field, the same features', () => {
    const text = driftReportJson(doc);
    expect(text.startsWith('{\n  "format": "labbook-drift-report",\n  "formatVersion": 1,\n  "id": ')).toBe(true);
    const back = JSON.parse(text);
    expect(back.format).toBe('labbook-drift-report');
    expect(back.formatVersion).toBe(1);
    expect(Object.keys(back).sort()).toEqual(['format', 'formatVersion', ...Object.keys(doc)].sort());
    expect(back.result.features).toHaveLength(result.features.length);
    expect(back.result.features.map((f: FeatureDrift) => f.column)).toEqual(result.features.map((f) => f.column));
    expect(back.summary).toBe(doc.summary);
    expect(back.currentHash).toBe(cur.imported.hash);
  });
});

describe('drift report export of hostile names and non-finite numbers', () => {
  const SCRIPT = '<script>alert(1)</script>';
  const IMG = '"><img src=x onerror=alert(1)>';
  const numeric: ColumnStats = { name: SCRIPT, kind: 'numeric', rows: 4, missing: 0, sorted: Float64Array.from([1, 2, 3, 4]) };
  const numericNew: ColumnStats = { ...numeric, sorted: Float64Array.from([3, 4, 5, 6]) };
  const cats: ColumnStats = { name: `${IMG}col`, kind: 'categorical', rows: 10, missing: 1, counts: [[IMG, 5], ['plain', 4]] };
  const catsNew: ColumnStats = { ...cats, missing: 0, counts: [[IMG, 2], ['plain', 6], ["it's & <b>bold</b>", 2]] };
  const base = driftReport([numeric, cats, { ...numeric, name: 'gone' }], [numericNew, catsNew]);
  // A feature whose score could not be computed.
  const nan: FeatureDrift = { ...base.features[0]!, column: 'empty & odd', score: NaN, psi: Infinity, strength: -Infinity, drifted: false, note: `${SCRIPT} had no values`, chart: { kind: 'histogram', edges: [], reference: [], current: [] } };
  const result: DriftResult = { ...base, features: [...base.features, nan], tested: base.tested + 1 };
  const doc = documentOf({
    result,
    summary: `Summary ${SCRIPT}`,
    reference: { kind: 'model', datasetHash: `${IMG}hash`, label: SCRIPT },
    currentLabel: IMG,
    currentHash: IMG,
    modelLabel: `${SCRIPT}model`,
    modelVersionId: IMG,
    schema: [{ kind: 'missing-column', column: SCRIPT, severity: 'error', message: `“${SCRIPT}” is missing ${IMG}`, consequence: IMG }],
    model: { prediction: featureDrift(cats, catsNew) as FeatureDrift, label: null, concept: [{ key: 'x', label: SCRIPT, test: 0.5, current: NaN, change: NaN }], degraded: false },
    ms: NaN,
  });

  it('escapes every user string, in text, attributes and SVG <title>', () => {
    const html = driftReportHtml(doc);
    expectInert(html);
    expectOffline(html);
    expect(html).toContain(escapeHtml(SCRIPT));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain(`<title>Drift report: ${escapeHtml(IMG)} against ${escapeHtml(SCRIPT)}</title>`);
    // Column names in the chart's title and aria-label, categories in their group's <title>, truncated under the bars.
    expect(html).toContain(`aria-label="${escapeHtml(SCRIPT)}: distribution`);
    expect(html).toContain(`<title>${escapeHtml(IMG)}: reference `);
    expect(html).toContain(`>${escapeHtml(truncate(IMG))}</text>`);
    expect(html).toContain('it&#39;s &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('empty &amp; odd');
    // Each '"' of user text is escaped, so no attribute is closed early.
    expect(html).not.toContain('"><img');
    // The skipped column and the non-finite numbers.
    expect(html).toContain('<li><strong>gone</strong>: not tested because it is not in the new data.</li>');
    expect(html).toContain('no values to draw');
    expect(html.match(/<svg\b/g)?.length).toBe(result.features.length + 1);
  });

  it('JSON writes NaN and ±Infinity as null and keeps a stable key order', () => {
    const text = driftReportJson(doc);
    const back = JSON.parse(text);
    expect(back.result.features).toHaveLength(result.features.length);
    const last = back.result.features.at(-1);
    expect(last.score).toBeNull();
    expect(last.psi).toBeNull();
    expect(last.strength).toBeNull();
    expect(back.ms).toBeNull();
    expect(back.model.concept[0].current).toBeNull();
    expect(back.result.features.map((f: FeatureDrift) => f.column)).toEqual(result.features.map((f) => f.column));
    expect(text).not.toMatch(/NaN|Infinity/);
    // The same report built with its keys in another order gives the same text.
    const shuffled = Object.fromEntries(Object.entries(doc).reverse()) as unknown as DriftReportDocument;
    const result2 = Object.fromEntries(Object.entries(doc.result).reverse()) as unknown as DriftResult;
    expect(driftReportJson({ ...shuffled, result: result2 })).toBe(text);
  });
});
