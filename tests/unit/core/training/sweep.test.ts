import { describe, expect, it } from 'vitest';
import {
  expandGrid,
  gridSize,
  parseAxisValues,
  planSweep,
  sampleRandom,
  type SweepAxis,
  defaultTrainConfig,
} from '../../../../src/lib/core/training';

const axes: SweepAxis[] = [
  { key: 'learningRate', values: [0.001, 0.01, 0.1] },
  { key: 'hiddenUnits', values: [[64], [64, 64]] },
  { key: 'batchSize', values: [128, 512] },
];

describe('grid expansion', () => {
  it('gives every combination once, the first axis varying slowest', () => {
    const grid = expandGrid(axes);
    expect(grid).toHaveLength(12);
    expect(gridSize(axes)).toBe(12);
    expect(grid[0]).toEqual({ learningRate: 0.001, hiddenUnits: [64], batchSize: 128 });
    expect(grid[1]).toEqual({ learningRate: 0.001, hiddenUnits: [64], batchSize: 512 });
    expect(grid[11]).toEqual({ learningRate: 0.1, hiddenUnits: [64, 64], batchSize: 512 });
    expect(new Set(grid.map((g) => JSON.stringify(g))).size).toBe(12);
  });
});

describe('seeded random search', () => {
  it('draws distinct combinations, the same ones for the same seed and others for another seed', () => {
    const a = sampleRandom(axes, 5, 42);
    expect(a).toHaveLength(5);
    expect(new Set(a.map((g) => JSON.stringify(g))).size).toBe(5);
    expect(sampleRandom(axes, 5, 42)).toEqual(a);
    expect(sampleRandom(axes, 5, 43)).not.toEqual(a);
    const grid = expandGrid(axes).map((g) => JSON.stringify(g));
    for (const g of a) expect(grid).toContain(JSON.stringify(g));
  });

  it('with a budget above the grid size, gives the whole grid once', () => {
    expect(sampleRandom(axes, 50, 1)).toHaveLength(12);
  });

  it('samples distinct combinations from a grid too large to enumerate', () => {
    const big: SweepAxis[] = Array.from({ length: 4 }, (_, i) => ({ key: (['learningRate', 'batchSize', 'epochs', 'l2'] as const)[i]!, values: Array.from({ length: 20 }, (_, v) => v + 1) }));
    const s = sampleRandom(big, 30, 3);
    expect(gridSize(big)).toBe(160_000);
    expect(new Set(s.map((g) => JSON.stringify(g))).size).toBe(30);
  });
});

describe('planSweep', () => {
  const base = defaultTrainConfig('h', 'y', 'binary', ['x']);

  it('applies each combination to the base config, cut to the budget, and says so', () => {
    const plan = planSweep(base, { method: 'grid', axes, budget: 4, seed: 1 }, null);
    expect(plan.configs).toHaveLength(4);
    // A swept learning rate or batch size only means something in mini-batch training, with the budget set by hand.
    expect(plan.configs[3]).toEqual({ ...base, learningRate: 0.001, hiddenUnits: [64, 64], batchSize: 512, solver: 'minibatch', autoBudget: false });
    expect(plan.configs.every((c) => c.seed === base.seed)).toBe(true);
    expect(plan.note).toBe('4 of 12 grid combinations (the budget), in grid order.');
  });

  it('keeps the full-batch solver when only the imbalance strategy is swept, and an MLP its automatic budget when its layers are', () => {
    const strategies = planSweep(base, { method: 'grid', axes: [{ key: 'imbalance', values: ['none', 'class-weights'] }], budget: 5, seed: 1 }, null);
    expect(strategies.configs.map((c) => [c.solver, c.imbalance])).toEqual([
      ['exact', 'none'],
      ['exact', 'class-weights'],
    ]);
    const mlp = planSweep({ ...base, model: 'mlp' }, { method: 'grid', axes: [{ key: 'hiddenUnits', values: [[8], [16]] }], budget: 5, seed: 1 }, null);
    expect(mlp.configs.every((c) => c.autoBudget)).toBe(true);
  });

  it('refuses a combination the config schema rejects, naming it', () => {
    expect(() => planSweep(base, { method: 'grid', axes: [{ key: 'learningRate', values: [0.1, 0] }], budget: 5, seed: 1 }, null)).toThrow(
      'Run 2 of the sweep is not a valid config: Learning rate must be more than 0.',
    );
  });
});

describe('parseAxisValues', () => {
  it('reads numbers, hidden layers and choices as the form does', () => {
    expect(parseAxisValues('learningRate', '0.001, 0.01,0.1, 0.01')).toEqual([0.001, 0.01, 0.1]);
    expect(parseAxisValues('hiddenUnits', '64; 64, 64 ; 128 32')).toEqual([[64], [64, 64], [128, 32]]);
    expect(parseAxisValues('optimizer', 'adam, sgd')).toEqual(['adam', 'sgd']);
  });

  it('names the bad value', () => {
    expect(() => parseAxisValues('batchSize', '32, 6.5')).toThrow('Batch size: 6.5 is not a whole number.');
    expect(() => parseAxisValues('learningRate', '0')).toThrow('Learning rate: 0 is outside (0, 10].');
    expect(() => parseAxisValues('optimizer', 'rmsprop')).toThrow('Optimizer: “rmsprop” is not one of adam, sgd.');
    expect(() => parseAxisValues('target', 'x')).toThrow('Target column cannot be swept.');
  });
});
