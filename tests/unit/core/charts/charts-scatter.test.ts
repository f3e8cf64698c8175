import { describe, expect, it } from 'vitest';
import { scatterModel, scatterSummary, type ScatterPointInput } from '../../../../src/lib/core/charts';

describe('scatterModel', () => {
  const pt = (id: string, x: ScatterPointInput['x'], y: number | null): ScatterPointInput => ({ id, label: `Run ${id}`, x, y });

  it('uses the same log rule as the parallel coordinates, and a linear y over round ticks', () => {
    const m = scatterModel([pt('a', 0.0001, 0.7), pt('b', 0.01, 0.84), pt('c', 0.1, 0.8)], 400, 240);
    expect(m.xKind).toBe('log');
    expect(m.xTicks.map((t) => t.label)).toEqual(['0.0001', '0.001', '0.01', '0.1']);
    const b = m.points.find((p) => p.id === 'b')!;
    expect(b.cx).toBeCloseTo((m.xTicks[1]!.pos + m.xTicks[3]!.pos) / 2, 0);
    expect(m.yTicks.map((t) => t.label)).toEqual(['0.7', '0.75', '0.8', '0.85']);
    expect(m.yTicks[0]!.pos).toBe(m.plot.bottom);
    expect(m.yTicks.at(-1)!.pos).toBe(m.plot.top);
  });

  it('is linear for a narrow numeric range', () => {
    const m = scatterModel([pt('a', 32, 0.7), pt('b', 256, 0.8)], 400, 240);
    expect(m.xKind).toBe('linear');
    expect(m.xTicks[0]!.label).toBe('0');
  });

  it('leaves out points without a finite y, counts them, and marks the best (min with lowerIsBetter)', () => {
    const points = [pt('a', 1, 0.7), pt('nan', 2, NaN), pt('b', 3, 0.9), pt('none', 4, null), pt('c', 5, 0.9)];
    const m = scatterModel(points, 400, 240);
    expect(m.omitted).toBe(2);
    expect(m.points.map((p) => p.id).sort()).toEqual(['a', 'b', 'c']);
    expect(m.bestId).toBe('b');
    expect(m.points.at(-1)).toMatchObject({ id: 'b', best: true });
    expect(m.points.filter((p) => p.best)).toHaveLength(1);
    expect(scatterModel(points, 400, 240, { lowerIsBetter: true }).bestId).toBe('a');
  });

  it('spaces categories evenly in first-seen order and dodges shared ones side by side, the same every time', () => {
    const points = [pt('a', 'relu', 0.7), pt('b', 'tanh', 0.8), pt('c', 'relu', 0.75), pt('d', 'relu', 0.72)];
    const m = scatterModel(points, 400, 240);
    expect(m.xKind).toBe('category');
    expect(m.xTicks.map((t) => t.label)).toEqual(['relu', 'tanh']);
    const cx = (id: string) => m.points.find((p) => p.id === id)!.cx;
    const relu = m.xTicks[0]!.pos;
    expect(cx('b')).toBe(m.xTicks[1]!.pos);
    expect([cx('a'), cx('c'), cx('d')]).toEqual([relu - 6, relu, relu + 6]);
    expect(scatterModel(points, 400, 240)).toEqual(m);
  });

  it('puts a missing x on a "—" tick after the range', () => {
    const m = scatterModel([pt('a', 0.001, 0.7), pt('b', 0.1, 0.8), pt('lin', null, 0.75)], 400, 240);
    const dash = m.xTicks.at(-1)!;
    expect(dash.label).toBe('—');
    expect(dash.pos).toBeGreaterThan(m.xTicks.at(-2)!.pos);
    expect(m.points.find((p) => p.id === 'lin')).toMatchObject({ cx: dash.pos, xText: '—' });
  });

  it('uses the given colour, else the first class colour', () => {
    const m = scatterModel([{ id: 'a', label: 'a', x: 1, y: 1, color: '#c0392b' }, pt('b', 2, 2)], 400, 240);
    expect(m.points.map((p) => p.color)).toEqual(['#c0392b', '#1f5fa8']);
  });

  it('is empty when no point has a y', () => {
    expect(scatterModel([pt('a', 1, null)], 400, 240)).toMatchObject({ empty: true, omitted: 1, points: [] });
    expect(scatterModel([], 400, 240).empty).toBe(true);
  });
});

describe('scatterSummary', () => {
  const points: ScatterPointInput[] = [
    { id: 'a', label: 'a', x: 0.001, y: 0.7 },
    { id: 'b', label: 'b', x: 0.01, y: 0.8412 },
    { id: 'c', label: 'c', x: 0.1, y: null },
  ];

  it('names the best value and where it is, and what was left out', () => {
    expect(scatterSummary(points, 'Learning rate', 'ROC AUC')).toBe('ROC AUC against Learning rate, 2 runs: best 0.8412 at 0.01; 1 run without ROC AUC left out');
    expect(scatterSummary(points.slice(0, 2), 'Learning rate', 'ROC AUC', { lowerIsBetter: true })).toBe('ROC AUC against Learning rate, 2 runs: best 0.7000 at 0.001');
    expect(scatterSummary([], 'Learning rate', 'ROC AUC')).toBe('ROC AUC against Learning rate: no run has a ROC AUC');
  });
});

describe('a scatter of many runs', () => {
  it('draws all but the best as one path of circles per colour', () => {
    const pts = Array.from({ length: 400 }, (_, i) => ({ id: `r${i}`, label: `Run ${i}`, x: 0.001 * (1 + (i % 50)), y: i === 123 ? 0.99 : 0.5 + (i % 40) / 100, color: i % 2 ? '#111111' : '#222222' }));
    const m = scatterModel(pts, 500, 240);
    expect(m.points.map((p) => p.id)).toEqual(['r123']);
    expect(m.bundles.map((b) => b.color).sort()).toEqual(['#111111', '#222222']);
    expect(m.bundles.reduce((n, b) => n + b.count, 0)).toBe(399);
    // Two arcs (one circle) per point.
    expect(m.bundles.reduce((n, b) => n + (b.d.match(/a/g)?.length ?? 0), 0)).toBe(798);
    expect(scatterModel(pts.slice(0, 10), 500, 240).bundles).toEqual([]);
  });
});
