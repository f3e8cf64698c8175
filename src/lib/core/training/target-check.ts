/**
 * Checks on a target column made before anything trains, from the dataset
 * version's profile alone (no data is read). A target that cannot work is
 * refused with a sentence saying why and what to do: a 1,000-class target on
 * 5,000 rows once froze the page for a minute on its 1,000 x 1,000 confusion
 * matrix and taught the model nothing, since a class seen five times gives a
 * classifier almost nothing to learn. Targets that work but will disappoint
 * get warnings.
 */
import type { Task } from './train-config';
import { formatCount, type ColumnProfile, type ColumnType, type ValueCount } from '../common';
import { splitSizes, type SplitFractions } from './split';

/** More classes than this is refused: per-class results stop being readable and each class has too few rows to learn from. */
export const MAX_CLASSES = 100;
/** Fewer labelled rows than this per class on average is refused. */
export const MIN_ROWS_PER_CLASS = 5;
/** A regression target with at most this many distinct values looks like classes. */
export const FEW_REGRESSION_VALUES = 10;
/** Class names listed in a warning before "and N more". */
export const MAX_NAMED = 5;

/** What the checks need to know of the target column. */
export interface TargetFacts {
  name: string;
  type: ColumnType;
  /** Distinct non-missing values. */
  distinct: number;
  /** Rows with a target value (the rows a run trains and tests on). */
  labelled: number;
  /** Rows per value, most frequent first: every value when `complete`, else only the most frequent ones the profile kept. */
  counts: readonly ValueCount[];
  complete: boolean;
}

export interface TargetCheck {
  /** Each one refuses training. */
  errors: string[];
  /** Training may go ahead, but the user should know. */
  warnings: string[];
}

/** The facts of a target from its column profile (which keeps the 20 most frequent values with their counts). */
export function targetFacts(profile: ColumnProfile): TargetFacts {
  return {
    name: profile.name,
    type: profile.type,
    distinct: profile.unique,
    labelled: profile.count,
    counts: profile.top,
    complete: profile.otherCount === 0 && profile.top.length === profile.unique,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;
const isNumberType = (t: ColumnType) => t === 'numeric' || t === 'integer';

/**
 * Errors and warnings for training `task` on the target described by `facts`
 * with the given split shares (invalid shares are left to the config checks).
 */
export function checkTarget(task: Task, facts: TargetFacts, shares: SplitFractions): TargetCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const q = `“${facts.name}”`;
  if (facts.labelled === 0 || facts.distinct === 0) {
    errors.push(`${q} has no values: there is nothing to learn from. Pick another target.`);
    return { errors, warnings };
  }
  if (facts.type === 'datetime') {
    errors.push(`${q} holds dates: it cannot be a target. Pick another target.`);
    return { errors, warnings };
  }
  if (facts.distinct < 2) {
    const only = facts.counts[0]?.value;
    errors.push(`${q} has a single value${only !== undefined ? ` (“${only}”)` : ''}: there is nothing to predict. Pick another target.`);
    return { errors, warnings };
  }
  const sizes = sizesOf(facts.labelled, shares);
  if (sizes && (sizes.train === 0 || sizes.test === 0)) {
    const empty = sizes.train === 0 ? 'training' : 'test';
    errors.push(`With ${plural(facts.labelled, 'labelled row')} the ${empty} split would be empty. Use a dataset with more rows, or change the split shares.`);
    return { errors, warnings };
  }

  if (task === 'regression') {
    if (!isNumberType(facts.type) && facts.type !== 'boolean') {
      errors.push(`${q} is ${facts.type === 'categorical' ? 'categorical' : 'text'}: regression predicts a number. Choose a classification task, or pick a numeric target.`);
    } else if (facts.distinct <= FEW_REGRESSION_VALUES) {
      warnings.push(
        `${q} has only ${formatCount(facts.distinct)} distinct values: a regression predicts numbers in between them. If they are categories, choose ${facts.distinct === 2 ? 'Binary' : 'Multiclass'} classification.`,
      );
    }
    return { errors, warnings };
  }

  if (facts.distinct > MAX_CLASSES || facts.labelled / facts.distinct < MIN_ROWS_PER_CLASS) {
    const what = isNumberType(facts.type) ? 'Pick another target, or choose Regression if it is a number.' : 'Pick another target.';
    errors.push(
      `${q} has ${plural(facts.distinct, 'class', 'classes')} for ${plural(facts.labelled, 'row')}: too many for a classifier (at most ${MAX_CLASSES}, and at least ${MIN_ROWS_PER_CLASS} rows a class on average). ${what}`,
    );
    return { errors, warnings };
  }

  const splits = (shares.train > 0 ? 1 : 0) + (shares.validation > 0 ? 1 : 0) + (shares.test > 0 ? 1 : 0);
  const small = tooSmall(facts, splits);
  if (small) {
    const named = small.named.map((c) => `“${c.value}” ${plural(c.count, 'row')}`);
    const more = small.count - small.named.length;
    const list = `${named.join(', ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}`;
    const [they, them] = small.count === 1 ? ['it', 'it'] : ['they', 'them'];
    const rows = small.limit === 1 ? 'a single row' : `fewer than ${small.limit + 1} rows`;
    warnings.push(
      `${small.count === 1 ? '1 class has' : `${formatCount(small.count)} classes have`} ${rows} (${list}): ${they} cannot appear in all ${splits} splits, so the model may never train on ${them} or the test split may not measure ${them}. Consider merging rare classes.`,
    );
  }
  if (sizes && sizes.test < facts.distinct) {
    warnings.push(
      `The test split (${plural(sizes.test, 'row')}) has fewer rows than ${q} has classes (${formatCount(facts.distinct)}): some classes will have no test row, and their recall cannot be measured.`,
    );
  }
  return { errors, warnings };
}

function sizesOf(n: number, shares: SplitFractions): SplitFractions | null {
  try {
    return splitSizes(n, shares);
  } catch {
    return null;
  }
}

/**
 * The classes with fewer rows than there are non-empty splits (a stratified
 * split gives every larger class a row in each), when the profile tells:
 * from every count when they are all known, else from the most frequent ones
 * kept, since every class not kept has at most as many rows as the last kept.
 */
function tooSmall(facts: TargetFacts, splits: number): { count: number; named: ValueCount[]; limit: number } | null {
  const limit = Math.max(1, splits - 1);
  const listed = facts.counts.filter((c) => c.count <= limit);
  const last = facts.counts.at(-1);
  const unlisted = facts.complete ? 0 : Math.max(0, facts.distinct - facts.counts.length);
  // Not all counts known and the smallest kept one is big enough: the rest cannot be told.
  const count = listed.length + (last && last.count <= limit ? unlisted : 0);
  if (count === 0) return null;
  const named = [...listed].sort((a, b) => a.count - b.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).slice(0, MAX_NAMED);
  return { count, named, limit };
}
