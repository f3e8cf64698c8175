import { describe, expect, it } from 'vitest';
import {
  parallelCoordinatesModel,
  parallelCoordinatesSummary,
  shortenLabel,
  type PcAxisInput,
  type PcLineInput,
} from '../../../../src/lib/core/charts';
import { MAX_SINGLE_LINES, formatAxisValue } from '../../../../src/lib/core/charts/charts-scales';

const LR: PcAxisInput = { key: 'lr', label: 'Learning rate' };
const BATCH: PcAxisInput = { key: 'batch', label: 'Batch size' };
const AUC: PcAxisInput = { key: 'auc', label: 'ROC AUC' };

/** y pixel of `lineId`'s point on axis `j`, read back from its polyline. */
function yAt(model: ReturnType<typeof parallelCoordinatesModel>, lineId: string, j: number): number {
  const line = model.lines.find((l) => l.id === lineId)!;
  return Number(line.path.split(' ')[j]!.split(',')[1]);
}

function run(id: string, values: PcLineInput['values']): PcLineInput {
  return { id, label: `Run ${id}`, values };
}

describe('parallelCoordinatesModel: axis scales', () => {
  const lines = [run('a', [0.0001, 32, 0.71]), run('b', [0.01, 512, 0.8412]), run('c', [0.1, 128, 0.8])];
  const model = parallelCoordinatesModel([LR, BATCH, AUC], lines, 600, 300);

  it('puts learning rates 0.0001..0.1 on a log axis with a tick at each power of ten', () => {
    const lr = model.axes[0]!;
    expect(lr.kind).toBe('log');
    expect(lr.ticks.map((t) => t.label)).toEqual(['0.0001', '0.001', '0.01', '0.1']);
    // The range ends on the outer decades: 1e-4 at the bottom, 1e-1 at the top.
    expect(lr.ticks[0]!.pos).toBe(model.plot.bottom);
    expect(lr.ticks[3]!.pos).toBe(model.plot.top);
  });

  it('places 0.01 halfway between the 1e-3 and 1e-1 ticks', () => {
    const [, t3, , t1] = model.axes[0]!.ticks;
    expect(yAt(model, 'b', 0)).toBeCloseTo((t3!.pos + t1!.pos) / 2, 0);
  });

  it('keeps a batch size 32..512 (a factor of 16) linear over round ticks', () => {
    const batch = model.axes[1]!;
    expect(batch.kind).toBe('linear');
    expect(batch.ticks[0]!.label).toBe('0');
    expect(batch.ticks.at(-1)!.label).toBe('600');
    // 128 of 0..600: 128/600 of the way up.
    const { top, bottom } = model.plot;
    expect(yAt(model, 'c', 1)).toBeCloseTo(bottom - (128 / 600) * (bottom - top), 0);
  });

  it('does not use a log scale when a value is zero or negative', () => {
    const m = parallelCoordinatesModel([{ key: 'l2', label: 'L2' }, AUC], [run('a', [0, 0.7]), run('b', [0.1, 0.8]), run('c', [0.0001, 0.9])], 600, 300);
    expect(m.axes[0]!.kind).toBe('linear');
  });

  it('draws a constant axis at mid-height with its one value as the tick', () => {
    const m = parallelCoordinatesModel([BATCH, AUC], [run('a', [256, 0.7]), run('b', [256, 0.8])], 600, 300);
    const axis = m.axes[0]!;
    expect(axis.kind).toBe('constant');
    expect(axis.ticks).toEqual([{ label: '256', pos: (m.plot.top + m.plot.bottom) / 2 }]);
    expect(yAt(m, 'a', 0)).toBe((m.plot.top + m.plot.bottom) / 2);
  });

  it('spaces categories evenly in first-seen order, top down; numbers among strings become categories', () => {
    const act: PcAxisInput = { key: 'act', label: 'Activation' };
    const m = parallelCoordinatesModel(
      [act, AUC],
      [run('a', ['tanh', 0.7]), run('b', ['relu', 0.8]), run('c', ['tanh', 0.75]), run('d', [0, 0.6])],
      600,
      300,
    );
    const axis = m.axes[0]!;
    expect(axis.kind).toBe('category');
    expect(axis.ticks.map((t) => t.label)).toEqual(['tanh', 'relu', '0']);
    const [p0, p1, p2] = axis.ticks.map((t) => t.pos);
    expect(p0).toBe(m.plot.top);
    expect(p2).toBe(m.plot.bottom);
    expect(p1! - p0!).toBeCloseTo(p2! - p1!, 1);
    expect(yAt(m, 'c', 0)).toBe(p0);
    expect(yAt(m, 'd', 0)).toBe(p2);
  });

  it('puts a missing value on a "—" tick below the axis range, only on axes that have one', () => {
    const units: PcAxisInput = { key: 'units', label: 'Hidden units' };
    const m = parallelCoordinatesModel([units, LR, AUC], [run('mlp', [64, 0.01, 0.8]), run('linear', [null, 0.001, 0.7])], 600, 300);
    expect(m.missingY).not.toBeNull();
    expect(m.missingY!).toBeGreaterThan(m.plot.bottom);
    expect(m.missingY!).toBeLessThanOrEqual(300);
    expect(yAt(m, 'linear', 0)).toBe(m.missingY);
    expect(m.axes.map((a) => a.hasMissing)).toEqual([true, false, false]);
    // The missing value does not stretch the axis: 64 alone is a constant axis.
    expect(m.axes[0]!.kind).toBe('constant');
    // Without any missing value there is no missing row.
    expect(parallelCoordinatesModel([LR, AUC], [run('a', [0.01, 0.8])], 600, 300).missingY).toBeNull();
  });

  it('rounds coordinates to tenths of a pixel', () => {
    for (const line of model.lines) {
      for (const pair of line.path.split(' ')) {
        for (const v of pair.split(',').map(Number)) expect(Math.round(v * 10) / 10).toBe(v);
      }
    }
  });
});

describe('parallelCoordinatesModel: colour and best line', () => {
  const lines = [run('a', [0.001, 0.71]), run('b', [0.01, 0.84]), run('n', [0.1, NaN]), run('m', [0.03, null]), run('c', [0.05, 0.84])];

  it('marks the highest metric as best, the first on a tie, and never a NaN or missing one', () => {
    const m = parallelCoordinatesModel([LR, AUC], lines, 600, 300);
    expect(m.bestId).toBe('b');
    expect(m.lines.filter((l) => l.best).map((l) => l.id)).toEqual(['b']);
  });

  it('marks the lowest as best with lowerIsBetter', () => {
    const rmse = [run('a', [0.001, 3.2]), run('b', [0.01, 1.5]), run('n', [0.1, NaN])];
    const m = parallelCoordinatesModel([LR, { key: 'rmse', label: 'RMSE' }], rmse, 600, 300, { lowerIsBetter: true });
    expect(m.bestId).toBe('b');
  });

  it('colours the best end dark and the worst end light, flipped by lowerIsBetter, and draws missing metrics grey and dashed', () => {
    const m = parallelCoordinatesModel([LR, AUC], lines, 600, 300);
    const color = (id: string) => m.lines.find((l) => l.id === id)!.color;
    expect(m.scale).toMatchObject({ label: 'ROC AUC', min: 0.71, max: 0.84, minLabel: '0.71', maxLabel: '0.84', minColor: color('a'), maxColor: color('b') });
    const luminance = (hex: string) => [1, 3, 5].reduce((s, i) => s + Number.parseInt(hex.slice(i, i + 2), 16), 0);
    expect(luminance(m.scale!.maxColor)).toBeLessThan(luminance(m.scale!.minColor));
    for (const id of ['n', 'm']) {
      const line = m.lines.find((l) => l.id === id)!;
      expect(line.dashed).toBe(true);
      expect(line.best).toBe(false);
      expect(line.color).not.toBe(m.scale!.minColor);
    }
    const flipped = parallelCoordinatesModel([LR, AUC], lines, 600, 300, { lowerIsBetter: true });
    expect(flipped.scale!.minColor).toBe(m.scale!.maxColor);
    expect(flipped.scale!.maxColor).toBe(m.scale!.minColor);
    expect(flipped.bestId).toBe('a');
  });

  it('shows the legend with enough decimals to tell the ends apart', () => {
    const m = parallelCoordinatesModel([LR, AUC], [run('a', [0.001, 0.8412]), run('b', [0.01, 0.8433])], 600, 300);
    expect([m.scale!.minLabel, m.scale!.maxLabel]).toEqual(['0.841', '0.843']);
  });

  it('draws the best line and then the highlighted run last, so they are on top', () => {
    const m = parallelCoordinatesModel([LR, AUC], lines, 600, 300, { highlightId: 'a' });
    expect(m.lines.map((l) => l.id).slice(-2)).toEqual(['b', 'a']);
    expect(m.lines.find((l) => l.id === 'a')!.highlight).toBe(true);
    expect(m.lines.filter((l) => l.highlight)).toHaveLength(1);
  });

  it('gives each line a hover title with every value', () => {
    const m = parallelCoordinatesModel([LR, BATCH, AUC], [run('abc12345', [0.01, 512, 0.84123])], 600, 300);
    expect(m.lines[0]!.title).toBe('Run abc12345: Learning rate 0.01, Batch size 512, ROC AUC 0.8412');
  });

  it('has no colour scale and no best line when no run has a metric', () => {
    const m = parallelCoordinatesModel([LR, AUC], [run('a', [0.01, null])], 600, 300);
    expect(m.scale).toBeNull();
    expect(m.bestId).toBeNull();
  });
});

describe('parallelCoordinatesModel: size', () => {
  it('is empty without axes or without lines', () => {
    expect(parallelCoordinatesModel([], [run('a', [])], 600, 300).empty).toBe(true);
    expect(parallelCoordinatesModel([LR, AUC], [], 600, 300)).toMatchObject({ empty: true, lines: [], axes: [] });
  });

  it(`builds one path per line for up to ${MAX_SINGLE_LINES} runs`, () => {
    const many = Array.from({ length: MAX_SINGLE_LINES }, (_, i) => run(`r${i}`, [10 ** (-4 + (i % 4)), 32 * (1 + (i % 8)), i % 3 === 0 ? 'adam' : 'sgd', 0.5 + (i % 97) / 200]));
    const m = parallelCoordinatesModel([LR, BATCH, { key: 'opt', label: 'Optimizer' }, AUC], many, 900, 320);
    expect(m.lines).toHaveLength(MAX_SINGLE_LINES);
    expect(new Set(m.lines.map((l) => l.id)).size).toBe(MAX_SINGLE_LINES);
    expect(m.lines.every((l) => l.path.split(' ').length === 4)).toBe(true);
    expect(m.lines.filter((l) => l.best)).toHaveLength(1);
  });

  it('wraps a long axis label into lines that fit between axes', () => {
    const long: PcAxisInput = { key: 'act', label: 'Activation function of the hidden layers' };
    const m = parallelCoordinatesModel([LR, long, BATCH, AUC], [run('a', [0.01, 'relu', 64, 0.8])], 480, 300);
    const lines = m.axes[1]!.labelLines;
    expect(lines.length).toBeGreaterThan(1);
    const spacing = m.axes[2]!.x - m.axes[1]!.x;
    for (const l of lines) expect(l.length * 6.2).toBeLessThan(spacing);
    // Short labels stay on one line, centred on their axis.
    expect(m.axes[0]).toMatchObject({ labelLines: ['Learning rate'], labelAnchor: 'middle', labelX: m.axes[0]!.x });
  });
});

describe('parallelCoordinatesSummary', () => {
  it('names the runs, the axes and the best run with its parameters', () => {
    const lines = [run('abc12345', [0.01, 512, 0.8412]), run('def67890', [0.1, 32, 0.7]), run('x', [0.001, 64, NaN])];
    expect(parallelCoordinatesSummary([LR, BATCH, AUC], lines)).toBe(
      'Parallel coordinates of 3 runs over Learning rate, Batch size to ROC AUC; best ROC AUC 0.8412 (Run abc12345: Learning rate 0.01, Batch size 512); 1 run without ROC AUC',
    );
  });

  it('follows lowerIsBetter and says when nothing can be compared', () => {
    const rmse: PcAxisInput = { key: 'rmse', label: 'RMSE' };
    expect(parallelCoordinatesSummary([LR, rmse], [run('a', [0.01, 2]), run('b', [0.1, 1])], { lowerIsBetter: true })).toBe(
      'Parallel coordinates of 2 runs over Learning rate to RMSE; best RMSE 1.0000 (Run b: Learning rate 0.1)',
    );
    expect(parallelCoordinatesSummary([LR, AUC], [run('a', [0.01, null])])).toBe('Parallel coordinates of 1 run over Learning rate to ROC AUC; no run has a ROC AUC');
    expect(parallelCoordinatesSummary([], [])).toBe('No runs to compare');
  });
});

describe('formatAxisValue', () => {
  it('reads like the value, never rounding a tiny one to 0', () => {
    expect([0.01, 512, 1024, 1e-7, 0.0001, 'relu', null, NaN].map(formatAxisValue)).toEqual(['0.01', '512', '1,024', '1e-7', '0.0001', 'relu', '—', '—']);
  });
});

describe('many runs', () => {
  it('bundles the ordinary lines of more than MAX_SINGLE_LINES runs by colour, keeping the best apart', () => {
    const axes = [{ key: 'lr', label: 'Learning rate' }, { key: 'auc', label: 'ROC AUC' }];
    const lines = Array.from({ length: 1000 }, (_, i) => ({ id: `r${i}`, label: `Run ${i}`, values: [0.001 * (1 + (i % 10)), i === 500 ? null : 0.5 + (i % 97) / 200] }));
    const m = parallelCoordinatesModel(axes, lines, 600, 300, { highlightId: 'r7' });
    const best = lines.reduce((b, l, i) => ((l.values[1] as number | null) !== null && (l.values[1] as number) > ((lines[b]!.values[1] as number | null) ?? -1) ? i : b), 0);
    expect(m.lines.map((l) => l.id).sort()).toEqual([`r${best}`, 'r7'].sort());
    expect(m.bundles.length).toBeLessThanOrEqual(17); // 16 colour steps + one for the missing metric
    expect(m.bundles.reduce((n, b) => n + b.count, 0)).toBe(998);
    expect(m.bundles.find((b) => b.dashed)?.count).toBe(1);
    // Each bundled run is one "M…L…" subpath with a point per axis.
    expect(m.bundles.map((b) => b.d.split('M').length - 1).reduce((a, b) => a + b, 0)).toBe(998);
    const below = parallelCoordinatesModel(axes, lines.slice(0, MAX_SINGLE_LINES), 600, 300);
    expect(below.bundles).toEqual([]);
    expect(below.lines).toHaveLength(MAX_SINGLE_LINES);
  });
});

describe('shortenLabel', () => {
  it('keeps a label that fits', () => {
    expect(shortenLabel('class-weights', 13)).toBe('class-weights');
    expect(shortenLabel('', 4)).toBe('');
  });

  it('cuts in the middle by default, keeping both ends', () => {
    expect(shortenLabel('class-weights', 8)).toBe('clas…hts');
    expect(shortenLabel('oversample-random', 9)).toBe('over…ndom');
    expect(shortenLabel('oversample-random', 9)).not.toBe(shortenLabel('oversample-smote', 9));
    expect(shortenLabel('abcdef', 2)).toBe('a…');
    expect(shortenLabel('abcdef', 1)).toBe('…');
  });

  it('cuts at the end when asked, never leaving a space before the ellipsis', () => {
    expect(shortenLabel('Class weights (balanced)', 10, 'end')).toBe('Class wei…');
    expect(shortenLabel('Class weights', 7, 'end')).toBe('Class…');
    for (const max of [3, 5, 8, 12]) expect(shortenLabel('a long label with words', max, 'end').length).toBeLessThanOrEqual(max);
  });
});

describe('parallelCoordinatesModel: tick labels never clipped', () => {
  const STRATEGY: PcAxisInput = { key: 'imbalance', label: 'Imbalance' };
  const values = ['none', 'class-weights', 'oversample-random-minority-rows'];

  it("widens the left margin for the first axis's category labels, within a share of the width", () => {
    const m = parallelCoordinatesModel([STRATEGY, AUC], values.map((v, i) => run(`r${i}`, [v, 0.7 + i / 10])), 600, 300);
    const axis = m.axes[0]!;
    for (const t of axis.ticks) expect(t.label.length * 6.2 + 5).toBeLessThanOrEqual(axis.x);
    expect(axis.ticks.map((t) => t.label)).toContain('class-weights');
    // The longest is shortened in the middle, its full text kept for the tooltip.
    const long = axis.ticks.find((t) => t.full !== undefined)!;
    expect(long.full).toBe('oversample-random-minority-rows');
    expect(long.label).toMatch(/^overs.*….*rows$/);
    expect(m.axes[0]!.x).toBeLessThanOrEqual(600 * 0.2);
  });

  it('shortens middle-axis labels to the room between axes', () => {
    const m = parallelCoordinatesModel([LR, STRATEGY, BATCH, AUC], values.map((v, i) => run(`r${i}`, [0.01, v, 64, 0.8])), 320, 300);
    const spacing = m.axes[2]!.x - m.axes[1]!.x;
    for (const t of m.axes[1]!.ticks) {
      expect(t.label.length * 6.2 + 5).toBeLessThanOrEqual(spacing);
      if (t.full !== undefined) expect(t.label).toContain('…');
    }
    // Short labels carry no tooltip text.
    expect(m.axes[1]!.ticks.find((t) => t.label === 'none')).toEqual({ label: 'none', pos: expect.any(Number) });
  });
});
