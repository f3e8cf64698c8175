/**
 * The bundle's README.md: a model card a colleague reads before using the
 * model. What it predicts, from which data, how well, and how to run it
 * with TF.js in a page or in Node, including how to turn a CSV row into the
 * feature vector the network expects (preprocessing.json).
 *
 * Names, columns, categories and labels are user data. They are written as
 * escaped Markdown text, never inside code, so a column called `| x` or
 * `<img onerror=…>` cannot break a table or become markup when the card is
 * rendered (GitHub, an editor preview).
 */
import { HEADLINE_LABELS, headlineMetrics, type Lineage } from './run-results';
import type { FittedColumn, PreprocessSpec, TargetSpec, EvaluationSummary, InputSchemaColumn } from '../training';
import type { ModelManifest } from './model-manifest';
import { MISSING_MARKERS } from '../common';
import { formatThreshold, thresholdSource } from './threshold-live';

export interface ModelCardInput {
  modelName: string;
  /** The registry's version number. */
  version: number;
  /** SHA-256 of manifest.json. */
  versionId: string;
  lineage: Lineage;
  target: TargetSpec;
  inputSchema: readonly InputSchemaColumn[];
  preprocessing: PreprocessSpec;
  /** Test metrics; read from metrics.json, undefined metrics are null there (NaN in memory). */
  evaluation: EvaluationSummary;
  manifest: ModelManifest;
  /**
   * The "Fairness" section: core/fairness `fairnessMarkdown(report)` of the run's
   * latest fairness analysis (that domain sits above models, so the caller writes
   * it; it escapes its own user text and opens with "## Fairness"). Absent or
   * null: no section.
   */
  fairness?: string | null;
  /** The run's latest feature-importance analysis (a core/explain ImportanceReport fits). Absent or null: no section. */
  importance?: CardImportance | null;
}

/** What the card reads of a feature-importance analysis: the fields of core/explain's ImportanceReport it shows. */
export interface CardImportance {
  config: { repeats: number; seed: number };
  /** The metric whose drop is measured ("auc", "accuracy", "rmse"). */
  metric: string;
  baseline: number;
  testRows: number;
  /** Most important first. */
  features: readonly { feature: string; mean: number; std: number }[];
  partialDependence: readonly { feature: string; kind: string; grid: readonly (number | string)[]; mean: readonly number[]; output: string }[];
}

/** Categories listed per column before "and N more". */
const MAX_LISTED = 20;

/**
 * Escapes user text for Markdown: a backslash before every character that
 * can start inline markup anywhere (emphasis, code, links, HTML, entities,
 * table cells, math, strikethrough), and before a leading character that
 * would start a block (a list, heading or quote: the text follows "- " or
 * "| " in the card, and "- 1. x" would nest a list). Line breaks and control
 * characters become spaces, so the text stays one inline run.
 */
export function escapeMarkdown(value: string): string {
  // Trimmed too: spaces after "- " would make an indented code block.
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  const inline = flat.replace(/[\\`*_[\]<>|~&$]/g, '\\$&');
  // Only what CommonMark reads as a block start: "- x", "+ x", "# x", "1. x", "1) x", ">" (not "-1" or "4.22.0").
  return inline.replace(/^(?:[-+](?=\s|$)|#{1,6}(?=\s|$)|\d{1,9}[.)](?=\s|$))/, (lead) => lead.replace(/[-+#.)]/, '\\$&'));
}

/** Escaped text of any stored value (imported lineage and schema fields are user data too). */
function text(v: unknown): string {
  return escapeMarkdown(String(v));
}

function num(v: unknown, digits = 4): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'not defined';
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? v.toExponential(digits - 1) : String(Number(v.toPrecision(digits + 2)));
}

function list(values: readonly string[]): string {
  const shown = values.slice(0, MAX_LISTED).map(escapeMarkdown).join(', ');
  return values.length > MAX_LISTED ? `${shown} and ${values.length - MAX_LISTED} more (see preprocessing.json)` : shown;
}

function encoding(c: FittedColumn): string {
  const missing = (fill: string): string => `missing → ${fill}`;
  const indicator = 'indicator' in c && c.indicator ? `; then ${escapeMarkdown(`${c.name}__missing`)} (1 when missing, else 0)` : '';
  switch (c.type) {
    case 'numeric':
    case 'integer':
      return `(x − ${num(c.mean, 6)}) / ${num(c.std, 6)}; ${missing(num(c.fill, 6))}${indicator}`;
    case 'boolean':
      return `1 for true, yes, y, t or 1; 0 for false, no, n, f or 0; not scaled; ${missing(num(c.fill))}${indicator}`;
    case 'categorical': {
      const fill = c.indicator ? 'the missing indicator' : c.fill === null ? 'other' : escapeMarkdown(c.fill);
      const keys = c.keys === 'number' ? ' Values are compared as numbers (1.50 is 1.5).' : '';
      return `one-hot over ${c.categories.length} categories (${list(c.categories)}), then one for any other value; ${missing(fill)}${indicator}.${keys}`;
    }
    case 'datetime':
      return `ISO date read as UTC; ${c.parts.map((p) => `${text(p.part)}: (x − ${num(p.mean, 6)}) / ${num(p.std, 6)}, missing → ${num(p.fill, 6)}`).join('; ')}${indicator}`;
    case 'text':
      return 'not used (free text and identifiers are left out)';
  }
}

function predicts(input: ModelCardInput): string[] {
  const { target, evaluation, lineage } = input;
  const column = escapeMarkdown(lineage.config.target);
  if (target.task === 'regression') {
    const scale = target.scaled
      ? `The network's output is standardized: the prediction is output × ${num(target.std, 8)} + ${num(target.mean, 8)}.`
      : 'The network outputs the predicted value directly.';
    return [`Regression: the value of ${column}.`, '', scale];
  }
  const classes = target.classes.map((c, i) => `${i}: ${escapeMarkdown(c)}`).join(', ');
  if (target.classes.length === 2) {
    const t = evaluation.task !== 'regression' && typeof evaluation.threshold === 'number' ? evaluation.threshold : 0.5;
    const from = thresholdSource(lineage);
    const tuned = from
      ? ` (set by hand on the test split's scores, from version ${from.slice(0, 12)})`
      : lineage.config.thresholdRule === 'default'
        ? ''
        : ` (tuned on the validation split: ${escapeMarkdown(lineage.config.thresholdRule)})`;
    return [
      `Binary classification of ${column}. Classes (index: label): ${classes}.`,
      '',
      `The network has one output, the probability of class 1 (${escapeMarkdown(target.classes[1]!)}). ` +
        `Predict class 1 when it is at least ${formatThreshold(t)}${tuned}, class 0 otherwise.`,
    ];
  }
  return [
    `Multiclass classification of ${column}. Classes (index: label): ${classes}.`,
    '',
    `The network has ${target.classes.length} outputs, one probability per class in that order (softmax); predict the largest.`,
  ];
}

function metricsTable(e: EvaluationSummary): string[] {
  const head = headlineMetrics(e);
  const rows = Object.entries(head).map(([k, v]) => `| ${HEADLINE_LABELS[k] ?? k} | ${num(v)} |`);
  const out = [`On the held-out test split (${num(e.n)} rows):`, '', '| metric | value |', '| --- | --- |', ...rows];
  if (e.task !== 'regression') {
    out.push('', '| class | precision | recall | F1 | support |', '| --- | --- | --- | --- | --- |');
    for (const r of e.report.perClass) out.push(`| ${escapeMarkdown(r.label)} | ${num(r.precision)} | ${num(r.recall)} | ${num(r.f1)} | ${num(r.support)} |`);
  }
  return out;
}

function trainedWith(l: Lineage): string {
  const c = l.config;
  const net = c.model === 'mlp' ? `an MLP with hidden layers [${c.hiddenUnits.map((u) => num(u)).join(', ')}], ${text(c.activation)}, dropout ${num(c.dropout)}` : 'a linear model';
  return `${net}; ${text(c.optimizer)}, learning rate ${num(c.learningRate)}, batch ${num(c.batchSize)}, up to ${num(c.epochs)} epochs${c.earlyStopping ? ' with early stopping' : ''}; L2 ${num(c.l2)}; imbalance: ${text(c.imbalance)}; seed ${num(c.seed)}`;
}

function safeVersion(v: string): string {
  return /^[0-9A-Za-z.+-]{1,32}$/.test(v) ? v : '4';
}

function usage(input: ModelCardInput): string[] {
  const features = input.preprocessing.featureNames.length;
  const tfjs = safeVersion(input.lineage.tfjsVersion);
  const fence = '```';
  return [
    '## Use it with TensorFlow.js',
    '',
    `model.json and weights.bin are a TF.js layers model. The network takes a float32 matrix with one row per example and ${features} columns, the features of preprocessing.json in order (next section), and returns what "What it predicts" says.`,
    '',
    '### In a web page',
    '',
    'Serve the unzipped folder over HTTP (browsers do not fetch from file://); TF.js reads weights.bin next to model.json.',
    '',
    `${fence}html`,
    `<script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@${tfjs}/dist/tf.min.js"></script>`,
    '<script type="module">',
    "  const model = await tf.loadLayersModel('./model/model.json');",
    `  const x = tf.tensor2d([/* ${features} feature values */], [1, ${features}]);`,
    '  console.log(await model.predict(x).data());',
    '</script>',
    fence,
    '',
    '### In Node',
    '',
    'With @tensorflow/tfjs-node, which reads file:// paths:',
    '',
    `${fence}js`,
    "import * as tf from '@tensorflow/tfjs-node';",
    "const model = await tf.loadLayersModel('file://./model/model.json');",
    fence,
    '',
    'With plain @tensorflow/tfjs, hand the files over in memory:',
    '',
    `${fence}js`,
    "import * as tf from '@tensorflow/tfjs';",
    "import { readFile } from 'node:fs/promises';",
    "const json = JSON.parse(await readFile('model.json', 'utf8'));",
    "const bin = await readFile('weights.bin');",
    'const model = await tf.loadLayersModel(tf.io.fromMemory({',
    '  modelTopology: json.modelTopology,',
    '  weightSpecs: json.weightsManifest[0].weights,',
    '  weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),',
    '}));',
    fence,
  ];
}

function preprocessing(spec: PreprocessSpec): string[] {
  const markers = MISSING_MARKERS.filter((m) => m !== '').join(', ');
  const rows = spec.columns.map((c) => `| ${escapeMarkdown(c.name)} | ${text(c.type)} | ${encoding(c)} |`);
  return [
    '## From a CSV row to features (preprocessing.json)',
    '',
    `preprocessing.json was fitted on the ${num(spec.fittedRows)} training rows only. Its fields: version (1); options (impute: ${text(spec.options.impute)}, missingIndicators: ${text(spec.options.missingIndicators)}, topK: ${num(spec.options.topK)}); fittedRows; featureNames, the ${spec.featureNames.length} features in matrix column order; and columns, one entry per input column in that same order, each with name, type, missing (count in training) and indicator, plus:`,
    '',
    '- numeric and integer: fill, mean, std. The feature is (x − mean) / std, with x = fill when the value is missing or not a number.',
    '- boolean: fill (0 or 1). The feature is 1 for true-like values and 0 for false-like ones, not scaled.',
    '- categorical: categories (most frequent first), counts, otherCount, fill, keys. One feature per category, then one for any other value (name__other); exactly one of them is 1. A missing value counts as fill, or as other when fill is null. keys "number" means values are compared as numbers.',
    '- datetime: parts, each with part (year, month 1-12, dayofweek 0-6 from Sunday, dayofyear, hour with minutes as a fraction), fill, mean, std; the date is read as UTC and each part scaled like a number.',
    '- text: excluded, no features.',
    `- indicator true: one more feature after the column's, name__missing, 1 when the value is missing. With it, a missing categorical value sets only that feature.`,
    '',
    `A value is missing when the cell is empty or, ignoring case and surrounding spaces, one of ${markers}.`,
    '',
    '| column | type | encoding |',
    '| --- | --- | --- |',
    ...rows,
    '',
    'Labbook applies exactly these rules in transformRecords (src/lib/core/training/preprocess.ts).',
  ];
}

/** Features listed in the card's importance table before "and N more". */
const MAX_FEATURES = 30;

function importanceSection(r: CardImportance): string[] {
  const shown = r.features.slice(0, MAX_FEATURES);
  const rows = shown.map((f) => `| ${escapeMarkdown(f.feature)} | ${num(f.mean)} | ${num(f.std)} |`);
  const more = r.features.length > shown.length ? ['', `And ${r.features.length - shown.length} more features (importance.json).`] : [];
  const pd = r.partialDependence.map((p) => {
    const first = p.grid.length > 0 ? `${p.kind === 'numeric' ? num(p.grid[0]) : escapeMarkdown(String(p.grid[0]))}: ${num(p.mean[0])}` : '';
    const lastAt = p.grid.length - 1;
    const last = lastAt > 0 ? `; ${p.kind === 'numeric' ? num(p.grid[lastAt]) : escapeMarkdown(String(p.grid[lastAt]))}: ${num(p.mean[lastAt])}` : '';
    const finite = p.mean.filter((v) => Number.isFinite(v));
    const range = finite.length > 0 ? `; from ${num(Math.min(...finite))} to ${num(Math.max(...finite))}` : '';
    return `- ${escapeMarkdown(p.feature)} (${p.kind}), ${escapeMarkdown(p.output)}: ${first}${last}${range} over ${p.grid.length} grid points`;
  });
  const metric = escapeMarkdown(r.metric);
  return [
    '## Which features matter',
    '',
    `Permutation importance on the ${num(r.testRows)} test rows: each feature's values were shuffled ${num(r.config.repeats)} times (seed ${num(r.config.seed)}) and the drop of ${metric} from ${num(r.baseline)} measured (a loss's rise counts as a drop). A drop near 0 means the model barely uses the feature.`,
    '',
    `| feature | mean drop of ${metric} | spread (std) |`,
    '| --- | --- | --- |',
    ...rows,
    ...more,
    ...(pd.length > 0 ? ['', 'Partial dependence of the top features (the mean prediction with the feature set to each grid value; first and last grid points):', '', ...pd] : []),
    '',
  ];
}

/** The analyses' sections, when the version's run has them. */
function analyses(input: ModelCardInput): string[] {
  const out: string[] = [];
  const fairness = input.fairness?.trim();
  // fairnessMarkdown opens with its own "## Fairness"; text without a heading gets one.
  if (fairness) out.push(...(/^## /.test(fairness) ? [] : ['## Fairness', '']), fairness, '');
  if (input.importance) out.push(...importanceSection(input.importance));
  return out;
}

/**
 * The README.md of a bundle (plain Markdown text; user data escaped).
 * Deterministic: the same input gives the same text, so the same version
 * exported twice gives the same bundle bytes.
 */
export function modelCard(input: ModelCardInput): string {
  const { lineage, manifest } = input;
  const inputs = input.inputSchema.map((c) => `- ${escapeMarkdown(c.name)} (${text(c.type)})`);
  const files = manifest.files.map((f) => `| ${text(f.path)} | ${num(f.bytes)} | ${text(f.sha256)} |`);
  const lines = [
    `# ${escapeMarkdown(input.modelName)}, version ${num(input.version)}`,
    '',
    `Model version ${text(input.versionId)}: the SHA-256 of manifest.json, which lists the SHA-256 and size of every file of the version. Check it with sha256sum manifest.json.`,
    '',
    '## What it predicts',
    '',
    ...predicts(input),
    '',
    '## Data',
    '',
    `- Dataset version (SHA-256 of the CSV file): ${text(lineage.datasetHash)}`,
    `- Training rows: ${num(input.preprocessing.fittedRows)}; test rows: ${num(input.evaluation.n)}`,
    `- Split: ${num(lineage.config.trainFraction)} train, ${num(lineage.config.validationFraction)} validation, ${num(lineage.config.testFraction)} test${lineage.config.stratify ? ', stratified' : ''}`,
    `- Trained as ${trainedWith(lineage)}`,
    `- Run ${escapeMarkdown(lineage.runId)}, fingerprint ${escapeMarkdown(lineage.fingerprint)}; Labbook ${escapeMarkdown(lineage.appVersion)}, TF.js ${escapeMarkdown(lineage.tfjsVersion)}, backend ${escapeMarkdown(lineage.backend)}`,
    '',
    'Input columns (schema.json):',
    '',
    ...inputs,
    '',
    '## Test metrics (metrics.json)',
    '',
    ...metricsTable(input.evaluation),
    '',
    ...usage(input),
    '',
    ...preprocessing(input.preprocessing),
    '',
    ...analyses(input),
    '## Files',
    '',
    'target.json holds the class order or the target scaling; lineage.json the run config and environment; bundle.json the extras (this card, reference statistics for drift checks) with their SHA-256, outside the version id.',
    '',
    '| file | bytes | SHA-256 |',
    '| --- | --- | --- |',
    ...files,
    '',
  ];
  return lines.join('\n');
}
