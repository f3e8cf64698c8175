/** Class balance of a candidate target column, from its profile. */
import { TOP_K, type ColumnProfile, type ValueCount } from '../common';

/** Below this minority share, accuracy misleads and the UI warns. */
export const MINORITY_WARNING_SHARE = 0.2;

export interface ClassBalance {
  classes: ValueCount[];
  /** Non-missing rows. */
  total: number;
  majority: ValueCount;
  minority: ValueCount;
  /** majority count / minority count */
  ratio: number;
  /** minority count / total, 0..1 */
  minorityShare: number;
  warn: boolean;
}

export type BalanceResult = { ok: true; balance: ClassBalance } | { ok: false; reason: string };

/**
 * Class counts, imbalance ratio and the under-20% warning. A column is a
 * usable classification target when it has 2..TOP_K distinct values.
 */
export function classBalance(profile: ColumnProfile): BalanceResult {
  if (profile.type === 'numeric' && profile.unique > TOP_K) {
    return { ok: false, reason: `“${profile.name}” is a continuous number (${profile.unique} distinct values): a regression target, not classes.` };
  }
  if (profile.unique > TOP_K) {
    return { ok: false, reason: `“${profile.name}” has ${profile.unique} distinct values: too many classes for a classification target (at most ${TOP_K}).` };
  }
  if (profile.unique < 2) {
    return { ok: false, reason: `“${profile.name}” has a single value: there is nothing to predict.` };
  }
  const classes = [...profile.top].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const majority = classes[0];
  const minority = classes[classes.length - 1];
  if (!majority || !minority) return { ok: false, reason: `“${profile.name}” has no values.` };
  const total = classes.reduce((s, c) => s + c.count, 0);
  const minorityShare = minority.count / total;
  return {
    ok: true,
    balance: {
      classes,
      total,
      majority,
      minority,
      ratio: majority.count / minority.count,
      minorityShare,
      warn: minorityShare < MINORITY_WARNING_SHARE,
    },
  };
}
