import { expect, it } from 'vitest';
import { classBalance } from '../../../../src/lib/core/imbalance';
import { classBalanceFigure, columnFigure, plotText } from '../../../../src/lib/core/charts';
import type { ColumnProfile } from '../../../../src/lib/core/common';

const profile = (top: { value: string; count: number }[], type: ColumnProfile['type'] = 'boolean'): ColumnProfile => ({
  name: 'HeartDisease',
  type,
  count: top.reduce((s, t) => s + t.count, 0),
  missing: 0,
  missingPct: 0,
  unique: top.length,
  top,
  otherCount: 0,
});

it('computes the imbalance ratio and warns under a 20% minority', () => {
  const r = classBalance(profile([{ value: 'No', count: 914 }, { value: 'Yes', count: 86 }]));
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.balance.ratio).toBeCloseTo(914 / 86, 10);
  expect(r.balance.minority.value).toBe('Yes');
  expect(r.balance.minorityShare).toBeCloseTo(0.086, 10);
  expect(r.balance.warn).toBe(true);
});

it('does not warn at a 25% minority and refuses continuous or constant targets', () => {
  const ok = classBalance(profile([{ value: 'a', count: 75 }, { value: 'b', count: 25 }]));
  expect(ok.ok && ok.balance.warn).toBe(false);
  expect(classBalance({ ...profile([]), type: 'numeric', unique: 500 }).ok).toBe(false);
  expect(classBalance(profile([{ value: 'x', count: 9 }])).ok).toBe(false);
});

it('chart builders escape labels and mark the minority class', () => {
  expect(plotText('<b>x</b>')).toBe('&lt;b&gt;x&lt;/b&gt;');
  const r = classBalance(profile([{ value: 'No', count: 9 }, { value: '<i>Yes</i>', count: 1 }]));
  if (!r.ok) throw new Error('expected a balance');
  const fig = classBalanceFigure('HeartDisease', r.balance);
  expect(fig.data[0]?.x).toEqual(['No', '&lt;i&gt;Yes&lt;/i&gt;']);
  expect((fig.data[0]?.marker as { color: string[] }).color).toEqual(['#1f5fa8', '#c0392b']);
  const hist = columnFigure({
    ...profile([]),
    type: 'numeric',
    numeric: { min: 0, max: 2, mean: 1, std: 1, quantiles: [], histogram: { edges: [0, 1, 2], counts: [3, 4] } },
  });
  expect(hist.data[0]?.x).toEqual([0.5, 1.5]);
  expect(hist.data[0]?.y).toEqual([3, 4]);
});
