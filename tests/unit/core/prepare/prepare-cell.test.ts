import { describe, expect, it } from 'vitest';
import { CELL_KINDS, createCell, normalizeCells } from '../../../../src/lib/core/notebook';
import { normalizeRecipe, normalizeStep } from '../../../../src/lib/core/prepare';

describe('the prepare cell kind', () => {
  it('is registered with its label, description and defaults', () => {
    expect(CELL_KINDS.prepare.label).toBe('Prepare');
    expect(CELL_KINDS.prepare.description).toBe('Clean and reshape a dataset version');
    expect(createCell('prepare', 'p').config).toEqual({ inputHash: null, recipe: { steps: [] }, outputName: '', group: null, resultHash: null });
    // Each cell gets its own recipe object.
    expect(createCell('prepare', 'a').config.recipe).not.toBe(createCell('prepare', 'b').config.recipe);
  });

  it('repairs a stored config, dropping malformed steps and keeping the good ones in order', () => {
    const raw = {
      inputHash: 'a'.repeat(64),
      recipe: {
        steps: [
          { kind: 'filter', expression: 'BMI > 25', extra: 'dropped field' },
          null,
          'drop',
          { kind: 'explode', columns: ['x'] },
          { kind: 'drop', columns: ['a', 5] },
          { kind: 'rename', from: 'a' },
          { kind: 'cast', column: 'a', to: 'date' },
          { kind: 'fill-missing', column: 'a', method: 'value', value: { evil: true } },
          { kind: 'fill-missing', column: 'a', method: 'value', value: 0 },
          { kind: 'bin', column: 'BMI', name: 'b', bins: '4', method: 'quantile' },
          { kind: 'join', versionHash: 'e'.repeat(64), on: ['id'], how: 'outer' },
          { kind: 'join', versionHash: 'e'.repeat(64), on: ['id'], how: 'inner' },
          { kind: '__proto__' },
          { kind: 'dedupe', columns: [] },
        ],
      },
      outputName: 42,
      group: { by: ['Sex'], aggregates: [{ column: 'BMI', fn: 'mean' }, { column: 'BMI', fn: 'median' }, 'x'] },
      resultHash: '',
    };
    const [cell] = normalizeCells([{ id: 'p', kind: 'prepare', config: raw }]);
    expect(cell).toEqual({
      id: 'p',
      kind: 'prepare',
      config: {
        inputHash: 'a'.repeat(64),
        recipe: {
          steps: [
            { kind: 'filter', expression: 'BMI > 25' },
            { kind: 'fill-missing', column: 'a', method: 'value', value: 0 },
            { kind: 'join', versionHash: 'e'.repeat(64), on: ['id'], how: 'inner' },
            { kind: 'dedupe', columns: [] },
          ],
        },
        outputName: '',
        group: { by: ['Sex'], aggregates: [{ column: 'BMI', fn: 'mean' }] },
        resultHash: null,
      },
    });
  });

  it('gives defaults for a config that is not an object, and an empty recipe for junk', () => {
    expect(CELL_KINDS.prepare.normalize('junk')).toEqual(CELL_KINDS.prepare.defaults());
    expect(normalizeRecipe({ steps: 'no' })).toEqual({ steps: [] });
    expect(normalizeRecipe([{ kind: 'dedupe', columns: [] }])).toEqual({ steps: [] });
    expect(normalizeStep({ kind: 'bin', column: 'x', name: 'y', bins: Infinity, method: 'quantile' })).toBeNull();
    expect(normalizeStep({ kind: 'fill-missing', column: 'x', method: 'mean' })).toEqual({ kind: 'fill-missing', column: 'x', method: 'mean' });
  });
});
