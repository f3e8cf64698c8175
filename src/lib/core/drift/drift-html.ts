/**
 * A drift report as files to share: JSON with every field, and one
 * standalone HTML file that opens offline in any browser and prints well.
 * The HTML has no script, no external CSS, font or image, and a
 * Content-Security-Policy that forbids scripts and network access; every
 * user string (column names, categories, labels, messages) is escaped.
 * Pure: tested in Node.
 */
import type { DriftReportDocument } from './drift-report';
import { formatMetric } from '../common';
import type { DriftResult, FeatureDrift } from './drift';
import { verdictOf } from './drift-model';
import { changeText, driftScoreText, ruleText, type ModelCheck, type VerdictLevel } from './drift-verdict';
import { DRIFT_TESTS } from './drift-stats';
import { DRIFT_COLORS, driftChartSvg, escapeHtml as e } from './drift-svg';
import type { SchemaFinding } from '../training';

export type { DriftReportDocument } from './drift-report';

export const DRIFT_REPORT_FORMAT = 'labbook-drift-report';
export const DRIFT_REPORT_FORMAT_VERSION = 1;

/** Top-level keys in the order a reader wants them; other keys follow alphabetically. */
const TOP_KEYS = [
  'id',
  'createdAt',
  'summary',
  'reference',
  'currentHash',
  'currentLabel',
  'modelVersionId',
  'modelLabel',
  'notebookId',
  'referenceReused',
  'ms',
  'options',
  'schema',
  'result',
  'model',
] as const;

/** A JSON-safe copy: non-finite numbers become null, typed arrays plain arrays, object keys sorted. */
function jsonSafe(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (v === null || typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, jsonSafe);
  if (Array.isArray(v)) return v.map((x) => jsonSafe(x) ?? null);
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src).sort()) {
    const x = jsonSafe(src[k]);
    if (x !== undefined) out[k] = x;
  }
  return out;
}

/** The report as pretty-printed JSON (2 spaces) under a format header; NaN and ±Infinity are written as null. */
export function driftReportJson(report: DriftReportDocument): string {
  const src = report as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { format: DRIFT_REPORT_FORMAT, formatVersion: DRIFT_REPORT_FORMAT_VERSION };
  const rest = Object.keys(src).filter((k) => !(TOP_KEYS as readonly string[]).includes(k) && k !== 'format' && k !== 'formatVersion');
  for (const k of [...TOP_KEYS, ...rest.sort()]) {
    if (!(k in src)) continue;
    const x = jsonSafe(src[k]);
    out[k] = x === undefined ? null : x;
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1a1a1a;background:#fff;margin:0 auto;padding:24px;max-width:1200px}
h1{font-size:22px;margin:0 0 8px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
p.summary{font-size:17px;margin:8px 0 12px;padding:12px 14px;border-left:4px solid #1f6fd1;background:#f3f7fd}
p.verdict{font-weight:600}
.drifted{color:#b42318}
.ok{color:#1e6b34}
table{border-collapse:collapse;width:100%;margin:8px 0}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
thead th{background:#f4f4f4;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.drift th{color:#b42318}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:8px 0}
dt{color:#555}
dd{margin:0}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.legend span{display:inline-block;width:12px;height:10px;margin:0 4px 0 12px;vertical-align:middle}
.legend .ref{background:${DRIFT_COLORS.reference}}
.legend .cur{border:1.5px solid ${DRIFT_COLORS.current}}
.note{color:#555;font-size:12px;font-weight:normal;display:block}
.error{color:#b42318;font-weight:600}
.warning{color:#8a5a00;font-weight:600}
svg.chart{display:block}
footer{margin-top:32px;color:#666;font-size:12px}
@page{margin:14mm}
@media print{body{padding:0;max-width:none;font-size:11px}p.summary{font-size:14px}thead{display:table-header-group}tr,svg,dl{break-inside:avoid;page-break-inside:avoid}h2{break-after:avoid;page-break-after:avoid}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`;

function num(x: number, digits = 4): string {
  return e(formatMetric(x, digits));
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—';
}

function dateUtc(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—';
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "≤ 0.05" for a p-value test, "≥ 0.10" for a distance: when the score means drift. */
function thresholdText(f: FeatureDrift): string {
  const when = DRIFT_TESTS[f.test]?.driftWhen;
  const sign = when === '<=' ? '≤ ' : when === '<' ? '< ' : when === '>=' ? '≥ ' : '';
  return `${sign}${formatMetric(f.threshold, f.threshold !== 0 && Math.abs(f.threshold) < 0.01 ? 3 : 2)}`;
}

const FEATURE_HEAD =
  '<thead><tr><th scope="col">column</th><th scope="col">kind</th><th scope="col">test</th><th scope="col">drift when</th><th scope="col">score</th>' +
  '<th scope="col">drifted</th><th scope="col">PSI</th><th scope="col">missing (reference → new)</th><th scope="col">distribution</th></tr></thead>';

function featureRow(f: FeatureDrift, name: string = f.column): string {
  const note = f.note ? `<span class="note">${e(f.note)}</span>` : '';
  return (
    `<tr${f.drifted ? ' class="drift"' : ''}><th scope="row">${e(name)}${note}</th><td>${e(f.kind)}</td><td>${e(f.testLabel)}</td>` +
    `<td class="n">${e(thresholdText(f))}</td><td class="n">${num(f.score)}</td><td>${f.drifted ? '<strong class="drifted">yes</strong>' : 'no'}</td>` +
    `<td class="n">${num(f.psi, 3)}</td><td class="n">${pct(f.referenceMissingShare)} → ${pct(f.currentMissingShare)}</td><td>${driftChartSvg(f.chart, name)}</td></tr>`
  );
}

function inputs(r: DriftReportDocument): string {
  const row = (term: string, value: string) => `<dt>${term}</dt><dd>${value}</dd>`;
  const refKind = r.reference.kind === 'model' ? 'the data the model was trained on' : 'a dataset version';
  return (
    '<section><h2>Inputs</h2><dl>' +
    row('Reference', `${e(r.reference.label)} <span class="note">${refKind}${r.referenceReused ? '; its summary was reused from an earlier check' : ''}</span>`) +
    row('Reference SHA-256', `<code>${e(r.reference.datasetHash)}</code>`) +
    row('New data', e(r.currentLabel)) +
    row('New data SHA-256', `<code>${e(r.currentHash)}</code>`) +
    (r.modelLabel !== null || r.modelVersionId !== null
      ? row('Model', `${e(r.modelLabel ?? '')}${r.modelVersionId ? ` <code>${e(r.modelVersionId)}</code>` : ''}`)
      : row('Model', 'none checked')) +
    row('Created', e(dateUtc(r.createdAt))) +
    row('Dataset drift threshold', `${e(pct(r.result.shareThreshold))} of the tested features`) +
    row('Time taken', e(duration(r.ms))) +
    row('Report id', `<code>${e(r.id)}</code>`) +
    '</dl></section>'
  );
}

function schemaSection(findings: readonly SchemaFinding[]): string {
  if (findings.length === 0) return '<section><h2>Schema</h2><p>The new data has the columns and types of the reference.</p></section>';
  const rows = findings.map(
    (f) => `<tr><td class="${e(f.severity)}">${e(f.severity)}</td><td>${e(f.column)}</td><td>${e(f.message)}</td><td>${e(f.consequence)}</td></tr>`,
  );
  return (
    '<section><h2>Schema</h2><table><thead><tr><th scope="col">severity</th><th scope="col">column</th><th scope="col">finding</th><th scope="col">what it means</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

function verdict(r: DriftResult): string {
  const cls = r.datasetDrift ? 'drifted' : 'ok';
  const says = r.datasetDrift ? 'The dataset has drifted' : 'The dataset has not drifted';
  return `<p class="verdict ${cls}">${says}: ${r.drifted} of ${r.tested} tested features drifted (${e(pct(r.share))}; the threshold is ${e(pct(r.shareThreshold))}).</p>`;
}

const LEGEND = '<p class="legend">Distributions:<span class="ref"></span>reference<span class="cur"></span>new data</p>';

function featuresSection(r: DriftResult): string {
  if (r.features.length === 0) return '<section><h2>Features</h2><p>No feature could be tested.</p></section>';
  return `<section><h2>Features</h2>${verdict(r)}${LEGEND}<table>${FEATURE_HEAD}<tbody>${r.features.map((f) => featureRow(f)).join('')}</tbody></table></section>`;
}

function checkRow(c: ModelCheck): string {
  const result = c.passed ? '<span class="ok">pass</span>' : '<strong class="drifted">fail</strong>';
  const values =
    c.kind === 'metric'
      ? `<td class="n">${num(c.reference, 3)}</td><td class="n">${num(c.current, 3)}</td><td class="n">${e(changeText(c))}</td>`
      : `<td class="n">—</td><td class="n">${e(driftScoreText(c))}</td><td class="n">—</td>`;
  return `<tr${c.passed ? '' : ' class="drift"'}><th scope="row">${e(c.label)}</th><td>${c.primary ? 'yes' : 'no'}</td>${values}<td class="n">${e(ruleText(c))}</td><td>${result}</td></tr>`;
}

const CHECKS_HEAD =
  '<thead><tr><th scope="col">check</th><th scope="col">primary</th><th scope="col">on the test split</th><th scope="col">on the new data</th>' +
  '<th scope="col">change</th><th scope="col">tolerance</th><th scope="col">result</th></tr></thead>';

const VERDICT_CLASS: Record<VerdictLevel, string> = { retrain: 'drifted', watch: 'warning', 'check-labels': 'warning', ok: 'ok' };

function modelSection(r: DriftReportDocument): string {
  const m = r.model;
  if (!m) return '';
  const v = verdictOf(m);
  const checks =
    v.checks.length > 0 ? `<table><caption>Model checks</caption>${CHECKS_HEAD}<tbody>${v.checks.map(checkRow).join('')}</tbody></table>` : '';
  const unlabelled =
    m.concept === null
      ? '<p>The new data has no target values, so the model’s metrics on it are unknown.</p>'
      : m.concept.length === 0
        ? '<p>No model metric could be computed on the new data.</p>'
        : '';
  const rows: string[] = [];
  rows.push(m.prediction ? featureRow(m.prediction, `prediction drift (${m.prediction.column})`) : '<tr><th scope="row">prediction drift</th><td colspan="8">not measured</td></tr>');
  rows.push(m.label ? featureRow(m.label, `label drift (${m.label.column})`) : '<tr><th scope="row">label drift</th><td colspan="8">not measured: the new data has no target values</td></tr>');
  const title = r.modelLabel ? `: ${e(r.modelLabel)}` : '';
  return (
    `<section><h2>The model${title}</h2><p class="verdict ${VERDICT_CLASS[v.level]}">${e(v.sentence)}</p>${checks}${unlabelled}` +
    `<h3>Prediction and label drift</h3><table>${FEATURE_HEAD}<tbody>${rows.join('')}</tbody></table></section>`
  );
}

function skippedSection(r: DriftResult): string {
  if (r.skipped.length === 0) return '';
  const items = r.skipped.map((s) => `<li><strong>${e(s.column)}</strong>: not tested because ${e(s.reason)}.</li>`);
  return `<section><h2>Columns not tested</h2><ul>${items.join('')}</ul></section>`;
}

/** The report as one self-contained HTML file: no script, no network, inline CSS and SVG; opens offline and prints. */
export function driftReportHtml(report: DriftReportDocument): string {
  const title = `Drift report: ${report.currentLabel} against ${report.reference.label}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Labbook">',
    `<title>${e(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${e(title)}</h1>`,
    `<p class="summary">${e(report.summary)}</p>`,
    inputs(report),
    schemaSection(report.schema),
    featuresSection(report.result),
    modelSection(report),
    skippedSection(report.result),
    '</main>',
    `<footer>Made by Labbook on ${e(dateUtc(report.createdAt))}. Report id <code>${e(report.id)}</code>. Format ${DRIFT_REPORT_FORMAT} ${DRIFT_REPORT_FORMAT_VERSION}.</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
