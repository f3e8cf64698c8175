import { describe, expect, it } from 'vitest';
import { CHAMPION_ALIAS, modelVersionLabel, orderedAliases, preselectedVersionId, type VersionChoice } from '../../../../src/lib/core/models';

const ID2 = '95aacd487968' + 'a'.repeat(52);
const ID1 = '1f0c2d3e4a5b' + 'b'.repeat(52);
const choice = (over: Partial<VersionChoice>): VersionChoice => ({ id: ID1, modelName: 'heart-logreg', version: 1, createdAt: 1, aliases: [], ...over });

describe('modelVersionLabel', () => {
  it('names a version without aliases by its number and short id', () => {
    expect(modelVersionLabel(choice({}))).toBe('heart-logreg v1 (1f0c2d3e4a5b)');
  });

  it('names a version by name@alias, with its number and short id after', () => {
    expect(modelVersionLabel(choice({ id: ID2, version: 2, aliases: ['champion'] }))).toBe('heart-logreg@champion (v2, 95aacd487968)');
  });

  it('lists every alias, champion first, the rest sorted', () => {
    expect(modelVersionLabel(choice({ id: ID2, version: 2, aliases: ['staging', 'champion', 'beta'] }))).toBe(
      'heart-logreg@champion, @beta, @staging (v2, 95aacd487968)',
    );
    expect(modelVersionLabel(choice({ aliases: ['prod'] }))).toBe('heart-logreg@prod (v1, 1f0c2d3e4a5b)');
  });
});

describe('orderedAliases', () => {
  it('puts champion first and drops duplicates', () => {
    expect(orderedAliases(['b', 'champion', 'a', 'a'])).toEqual(['champion', 'a', 'b']);
    expect(orderedAliases([])).toEqual([]);
  });
});

describe('preselectedVersionId', () => {
  const v1 = choice({});
  const v2 = choice({ id: ID2, version: 2, createdAt: 2, aliases: [CHAMPION_ALIAS] });

  it('preselects the champion when nothing is chosen', () => {
    expect(preselectedVersionId(null, [v2, v1])).toBe(ID2);
  });

  it('never replaces a choice, even one that is not the champion', () => {
    expect(preselectedVersionId(ID1, [v2, v1])).toBeNull();
  });

  it('preselects nothing without a champion', () => {
    expect(preselectedVersionId(null, [v1, choice({ id: ID2, aliases: ['staging'] })])).toBeNull();
    expect(preselectedVersionId(null, [])).toBeNull();
  });

  it('takes the newest champion when several models have one', () => {
    const other = choice({ id: 'c'.repeat(64), modelName: 'other', createdAt: 5, aliases: [CHAMPION_ALIAS] });
    expect(preselectedVersionId(null, [v2, other])).toBe(other.id);
    // Same time: the smaller id, so the answer does not depend on the list's order.
    const tie = choice({ id: '0'.repeat(64), modelName: 'tie', createdAt: 2, aliases: [CHAMPION_ALIAS] });
    expect(preselectedVersionId(null, [v2, tie])).toBe(tie.id);
    expect(preselectedVersionId(null, [tie, v2])).toBe(tie.id);
  });
});
