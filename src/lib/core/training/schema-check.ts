/**
 * Schema checks of a new CSV against a reference, before drift tests or
 * batch predictions: which columns are gone, new, retyped, carry categories
 * the reference never had, or are suddenly much emptier. Each finding says
 * what was found and what it means for a model, in words for the screen.
 *
 * Two references:
 * - a model (predict cell): its input schema, target and, when known, its
 *   fitted preprocessing. A missing input column is an error (predictions
 *   cannot be made); an extra column is ignored (info).
 * - a dataset version (drift cell): its schema and profile. Nothing is an
 *   error there, since no model runs: severities stop at 'warning', and the
 *   consequences speak of "a model trained on the reference".
 *
 * Rules (see the constants):
 * - integer and numeric are one kind: a model scales both the same way, so
 *   a change between them is no finding.
 * - a type change is judged by the values, because a model reads a column by
 *   its training type whatever the new file's type says: the new profile's
 *   top values are read the way the preprocessing reads them (numbers,
 *   booleans, ISO dates) and the unreadable ones counted. Every value
 *   readable: info. Some unreadable: warning. Half or more, or every listed
 *   top value: error. Numbers expected but dates found: error (they would
 *   read as epoch ms); yes/no where numbers were: warning (read as 1/0).
 *   A categorical column retyped is info (still matched as categories); a
 *   text column retyped is info (models leave text out). A column with no
 *   value at all gets no type finding: its type is inference's default.
 * - categories: a profile keeps only the TOP_K most frequent values, so
 *   rows holding rarer values (`otherCount`) cannot be checked; counts are
 *   "at least" when the new profile has such rows. Against a model, the
 *   categories are the ones it learned, so any other value is definitely
 *   'other'. Against a dataset, a value outside the reference's top values
 *   is certainly new only when the reference had no rarer values; otherwise
 *   it is reported as possibly new (info). Booleans are checked through
 *   the type rule (a value outside the yes/no pair makes them categorical).
 * - missing values: a jump is at least MISSING_JUMP_POINTS percentage points
 *   and at least MISSING_JUMP_RATIO times the reference share, so 0.4% ->
 *   3% (noise on small files) is not flagged but 0.4% -> 18% is. A column
 *   empty in every row is an error against a model (it carries nothing).
 */
import { parseIsoDate, parseNumber } from '../csv';
import { booleanFromText, categoryKey, numberFromText, type KeySpelling } from './preprocess-values';
import type { FittedColumn, PreprocessSpec } from './preprocess';
import type { InputSchemaColumn } from './training';
import type { ColumnProfile, ColumnSchema, ColumnType, DatasetProfile } from '../common';

export type FindingKind =
  | 'missing-column'
  | 'unexpected-column'
  | 'type-change'
  | 'unseen-categories'
  | 'missing-jump'
  /** Against a model without its preprocessing: many missing values, no training share to compare. */
  | 'missing-values'
  | 'target-missing';

export type Severity = 'error' | 'warning' | 'info';

export interface SchemaFinding {
  kind: FindingKind;
  column: string;
  severity: Severity;
  /** What was found: "“BMI” is missing from the new file." */
  message: string;
  /** What it means for the model: "The model needs “BMI”: predictions cannot be made until the column is added." */
  consequence: string;
}

/** A CSV as imported (an ImportResult or a stored dataset version fits). */
export interface SchemaAndProfile {
  schema: readonly ColumnSchema[];
  profile: DatasetProfile;
}

/** Another dataset version, for the drift cell. */
export interface DatasetReference extends SchemaAndProfile {
  kind: 'dataset';
  /** The target column, when the drift check has one (needed for concept drift). */
  target?: string | null;
}

/** A model version, for the predict cell. */
export interface ModelReference {
  kind: 'model';
  inputSchema: readonly InputSchemaColumn[];
  /** The model's target column name. */
  target?: string | null;
  /** Its fitted preprocessing, when at hand: training missing shares and how gaps are filled. */
  preprocessing?: PreprocessSpec;
}

export type SchemaReference = DatasetReference | ModelReference;

export interface SchemaCheckSummary {
  /** No error: a model can make predictions on the new file. */
  canPredict: boolean;
  errors: SchemaFinding[];
  warnings: SchemaFinding[];
  info: SchemaFinding[];
}

/** A missing-value jump needs at least this many percentage points more than the reference... */
export const MISSING_JUMP_POINTS = 5;
/** ...and at least this many times the reference share. */
export const MISSING_JUMP_RATIO = 2;
/** Unreadable values from this share of the non-missing ones up make a type change an error. */
export const UNREADABLE_ERROR_SHARE = 0.5;

/** The missing-value jump rule (shares in percent, 0..100). */
export function isMissingJump(referencePct: number, newPct: number): boolean {
  return newPct - referencePct >= MISSING_JUMP_POINTS && newPct >= MISSING_JUMP_RATIO * referencePct;
}

/** One column the reference expects, whichever kind of reference it is. */
interface Expected {
  name: string;
  type: ColumnType;
  /** Categories to match (categorical columns); `complete`: every other value is surely unseen. */
  categories: { values: Set<string>; complete: boolean; spelling: KeySpelling } | null;
  /** Reference missing share in percent, or null when unknown. */
  missingPct: number | null;
  fit: FittedColumn | undefined;
  /** How the model imputes numbers and date parts. */
  impute: 'median' | 'mean';
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Compares `current` with `reference`. Findings come errors first, then
 * warnings, then info; within a severity, in reference column order, new
 * columns last. Identical files give no finding.
 */
export function checkSchema(reference: SchemaReference, current: SchemaAndProfile): SchemaFinding[] {
  const model = reference.kind === 'model';
  const findings: SchemaFinding[] = [];
  const add = (kind: FindingKind, column: string, severity: Severity, message: string, consequence: string): void => {
    // No model runs against a dataset reference: nothing there stops a prediction.
    const s = !model && severity === 'error' ? 'warning' : severity;
    findings.push({ kind, column, severity: s, message, consequence });
  };
  const subject = model ? 'The model' : 'A model trained on the reference';
  const target = reference.target ?? null;
  const expected = model ? fromModel(reference) : fromDataset(reference);
  const profiles = new Map<string, ColumnProfile>();
  for (const p of current.profile.columnProfiles) profiles.set(p.name, p);
  const types = new Map<string, ColumnType>();
  for (const c of current.schema) types.set(c.name, c.type);
  const expectedNames = new Set(expected.map((e) => e.name));
  const extra = current.schema.map((c) => c.name).filter((n) => !expectedNames.has(n) && n !== target);

  for (const exp of expected) {
    const type = types.get(exp.name);
    const profile = profiles.get(exp.name);
    if (type === undefined || profile === undefined) {
      if (exp.name === target) continue; // reported below as target-missing
      const near = extra.find((n) => n.trim().toLowerCase() === exp.name.trim().toLowerCase());
      const hint = near === undefined ? '' : ` The new file has “${near}”: names must match exactly, including case and spaces.`;
      add(
        'missing-column',
        exp.name,
        'error',
        `“${exp.name}” is missing from the new file.${hint}`,
        model
          ? `The model needs “${exp.name}”: predictions cannot be made until the column is added.`
          : `“${exp.name}” cannot be checked for drift, and a model trained on the reference that uses it cannot predict on this file.`,
      );
      continue;
    }
    const change = typeChange(exp, type, profile, subject);
    if (change) add('type-change', exp.name, change.severity, `“${exp.name}” changed type from ${exp.type} to ${type}.`, change.consequence);
    if (exp.categories) checkCategories(exp, profile, model, add);
    checkMissing(exp, profile, model, subject, add);
  }

  if (target !== null && !types.has(target)) {
    add(
      'target-missing',
      target,
      'info',
      `The target column “${target}” is not in the new file.`,
      model
        ? `Fine for predictions. Without it the predictions cannot be scored, and concept drift (a change in how the features relate to “${target}”) cannot be checked.`
        : `Feature drift can still be checked and a model can still predict, but concept drift (a change in how the features relate to “${target}”) needs the target.`,
    );
  }
  for (const name of extra) {
    add(
      'unexpected-column',
      name,
      'info',
      model ? `“${name}” is not one of the model's inputs.` : `“${name}” is new: the reference has no such column.`,
      model
        ? 'Ignored: the model does not use it.'
        : 'It has no reference to compare with, so it is not checked for drift; models trained on the reference do not use it.',
    );
  }
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** Findings split by severity; `canPredict` when there is no error. */
export function summarizeFindings(findings: readonly SchemaFinding[]): SchemaCheckSummary {
  const errors = findings.filter((f) => f.severity === 'error');
  return {
    canPredict: errors.length === 0,
    errors,
    warnings: findings.filter((f) => f.severity === 'warning'),
    info: findings.filter((f) => f.severity === 'info'),
  };
}

function fromModel(ref: ModelReference): Expected[] {
  const fits = new Map<string, FittedColumn>();
  for (const c of ref.preprocessing?.columns ?? []) fits.set(c.name, c);
  const rows = ref.preprocessing?.fittedRows ?? 0;
  return ref.inputSchema.map((c) => {
    const fit = fits.get(c.name);
    const missing = fit && 'missing' in fit && rows > 0 ? (fit.missing / rows) * 100 : null;
    const spelling: KeySpelling = fit?.type === 'categorical' ? fit.keys : 'text';
    const categories = c.type === 'categorical' && c.categories ? { values: new Set(c.categories), complete: true, spelling } : null;
    return { name: c.name, type: c.type, categories, missingPct: missing, fit, impute: ref.preprocessing?.options.impute ?? 'median' };
  });
}

function fromDataset(ref: DatasetReference): Expected[] {
  const profiles = new Map<string, ColumnProfile>();
  for (const p of ref.profile.columnProfiles) profiles.set(p.name, p);
  return ref.schema.map((c) => {
    const p = profiles.get(c.name);
    const categories =
      c.type === 'categorical' && p
        ? { values: new Set(p.top.map((t) => t.value)), complete: p.otherCount === 0, spelling: 'text' as const }
        : null;
    return { name: c.name, type: c.type, categories, missingPct: p ? p.missingPct : null, fit: undefined, impute: 'median' as const };
  });
}

const isNumberLike = (s: string): boolean => Number.isFinite(parseNumber(s));

// How the preprocessing reads a value of each training type (mirrors preprocess-values.ts).
// Whether preprocessing (preprocess-values.ts) can read a value as its training type.
const READERS: Partial<Record<ColumnType, (s: string) => boolean>> = {
  numeric: (s) => !Number.isNaN(numberFromText(s)),
  integer: (s) => !Number.isNaN(numberFromText(s)),
  boolean: (s) => !Number.isNaN(booleanFromText(s)),
  datetime: (s) => Number.isFinite(parseIsoDate(s)),
};

const isNumberType = (t: ColumnType): boolean => t === 'numeric' || t === 'integer';

/** The type-change finding's severity and consequence, or null when the change is none for a model. */
function typeChange(exp: Expected, type: ColumnType, p: ColumnProfile, subject: string): { severity: Severity; consequence: string } | null {
  if (type === exp.type || (isNumberType(type) && isNumberType(exp.type))) return null;
  // No value at all: the type is only inference's default, and the missing check reports the column.
  if (p.count === 0) return null;
  const name = `“${exp.name}”`;
  if (exp.type === 'text') return { severity: 'info', consequence: 'Text columns are not used as model features, so predictions are not affected.' };
  if (exp.type === 'categorical') {
    return { severity: 'info', consequence: `${subject} still reads ${name} as categories: values it never learned count as 'other' (see unseen categories).` };
  }
  if (isNumberType(exp.type) && type === 'datetime') {
    return { severity: 'error', consequence: `Dates are read as milliseconds since 1970, nothing like the numbers ${subject.toLowerCase()} learned from: its predictions would be meaningless.` };
  }
  const read = READERS[exp.type]!;
  let unreadable = 0;
  let words = 0; // yes/no read as 1/0 where numbers are expected
  for (const t of p.top) {
    if (!read(t.value)) unreadable += t.count;
    else if (isNumberType(exp.type) && !isNumberLike(t.value)) words += t.count;
  }
  const upper = unreadable + p.otherCount;
  const what = exp.type === 'boolean' ? 'true/false values' : exp.type === 'datetime' ? 'dates' : 'numbers';
  if (upper === 0) {
    if (words > 0) return { severity: 'warning', consequence: `Its yes/no values will be read as 1 and 0, while ${subject.toLowerCase()} learned ${name} from numbers.` };
    return { severity: 'info', consequence: `Every value still reads as ${exp.type === 'boolean' ? 'true or false' : what}, so predictions are not affected.` };
  }
  const fill = fillText(exp);
  if (p.count > 0 && unreadable === p.count) {
    return { severity: 'error', consequence: `None of its values are ${what}: ${name} will be read as missing for every row and ${fill}, so the column carries no information.` };
  }
  if (unreadable > 0 && unreadable === p.count - p.otherCount) {
    // Every listed value fails; the unlisted rarer ones are most likely of the same kind.
    return {
      severity: 'error',
      consequence: `None of its ${p.top.length} most frequent values are ${what} (the ${count(p.otherCount)} rows with rarer values were not checked): ${name} will most likely be read as missing for every row and ${fill}.`,
    };
  }
  const range = unreadable === upper ? `${count(unreadable)}` : unreadable === 0 ? `up to ${count(upper)}` : `${count(unreadable)} to ${count(upper)}`;
  const severity: Severity = unreadable >= UNREADABLE_ERROR_SHARE * p.count ? 'error' : 'warning';
  return {
    severity,
    consequence: `${range} of its ${count(p.count)} values (${pct((unreadable / p.count) * 100)}${unreadable === upper ? '' : ' or more'}) are not ${what}: they will be read as missing and ${fill}.`,
  };
}

type Add = (kind: FindingKind, column: string, severity: Severity, message: string, consequence: string) => void;

function checkCategories(exp: Expected, p: ColumnProfile, model: boolean, add: Add): void {
  const cats = exp.categories!;
  const unseen = p.top.filter((t) => !cats.values.has(categoryKey(t.value, cats.spelling)));
  if (unseen.length === 0) return;
  const rows = unseen.reduce((s, t) => s + t.count, 0);
  const shown = unseen.slice(0, 3).map((t) => `'${t.value}'`).join(', ') + (unseen.length > 3 ? ` and ${count(unseen.length - 3)} more` : '');
  const share = p.count + p.missing > 0 ? ` (${pct((rows / (p.count + p.missing)) * 100)})` : '';
  const atLeast = p.otherCount > 0 ? 'At least ' : '';
  const rest = p.otherCount > 0 ? ` Another ${count(p.otherCount)} rows hold rarer values the profile does not list, so they were not checked.` : '';
  const name = `“${exp.name}”`;
  if (model) {
    add(
      'unseen-categories',
      exp.name,
      'warning',
      `${atLeast}${count(rows)} rows${share} have ${name} values the model never learned: ${shown}.${rest}`,
      `The model treats them as 'other', so its predictions for those rows cannot use what ${name} says.`,
    );
  } else if (cats.complete) {
    add(
      'unseen-categories',
      exp.name,
      'warning',
      `${atLeast}${count(rows)} rows${share} have ${name} values that never occur in the reference: ${shown}.${rest}`,
      `A model trained on the reference treats them as 'other', so its predictions for those rows cannot use what ${name} says.`,
    );
  } else {
    add(
      'unseen-categories',
      exp.name,
      'info',
      `${count(rows)} rows${share} have ${name} values outside the reference's ${cats.values.size} most frequent ones: ${shown}.`,
      `They may be new categories (the reference profile lists only its most frequent values); a model trained on the reference treats values it never learned as 'other'.`,
    );
  }
}

function checkMissing(exp: Expected, p: ColumnProfile, model: boolean, subject: string, add: Add): void {
  const name = `“${exp.name}”`;
  const now = p.missingPct;
  const fill = fillText(exp);
  const verb = model ? 'They are' : 'In a model trained on the reference they would be';
  if (p.count === 0 && p.missing > 0) {
    if (exp.missingPct === 100) return; // empty in the reference too: nothing changed
    add(
      'missing-jump',
      exp.name,
      'error',
      `${name} is empty in every row of the new file${exp.missingPct === null ? '' : ` (${pct(exp.missingPct)} missing in the reference)`}.`,
      `${verb} ${fill} for every row, so the column carries no information${model ? ': fill it in before predicting' : ''}.`,
    );
    return;
  }
  if (exp.missingPct === null) {
    if (now >= MISSING_JUMP_POINTS) {
      add('missing-values', exp.name, 'info', `${pct(now)} of ${name} values are missing in the new file.`, `${verb} ${fill}, which can bias predictions (the training share is not known, so it is not compared).`);
    }
    return;
  }
  if (!isMissingJump(exp.missingPct, now)) return;
  add(
    'missing-jump',
    exp.name,
    'warning',
    `Missing values in ${name} went from ${pct(exp.missingPct)} to ${pct(now)}.`,
    `${verb} ${fill}, which can bias predictions${model ? '' : '; drift tests compare only the values present'}.`,
  );
}

/** How a model fills a missing value of the column: "filled with the training median (27.3)". */
function fillText(exp: Expected): string {
  const fit = exp.fit;
  const flag = fit && 'indicator' in fit && fit.indicator ? ` and flagged by the “${exp.name}__missing” feature` : '';
  if (!fit || 'excluded' in fit) {
    if (exp.type === 'boolean') return 'filled with the training majority';
    if (exp.type === 'categorical') return 'filled with the most frequent training category';
    return exp.type === 'datetime' ? `filled in with the training ${exp.impute} of each date part` : `filled with the training ${exp.impute}`;
  }
  switch (fit.type) {
    case 'numeric':
    case 'integer':
      return `filled with the training ${exp.impute} (${num(fit.fill)})${flag}`;
    case 'datetime':
      return `filled in with the training ${exp.impute} of each date part${flag}`;
    case 'boolean':
      return `filled with the training majority (${fit.fill === 1 ? 'true' : 'false'})${flag}`;
    case 'categorical':
      if (fit.indicator) return `flagged by the “${exp.name}__missing” feature`;
      return fit.fill === null ? "treated as 'other'" : `filled with '${fit.fill}', the most frequent training category`;
  }
}

const count = (n: number): string => n.toLocaleString('en-US');
const pct = (x: number): string => `${x.toFixed(1)}%`;
const num = (x: number): string => String(Number(x.toPrecision(6)));
