import { describe, expect, it } from 'vitest';
import { RUN_NAME_MAX, checkRunName, nextRunName, runName, runNamePrefix, runTitle, shortRunId, withRunNames, type NamedRun } from '../../../../src/lib/core/training';
import type { TrainConfig } from '../../../../src/lib/core/training';

type Kind = Pick<TrainConfig, 'model' | 'task' | 'imbalance'>;
const LOGREG: Kind = { model: 'linear', task: 'binary', imbalance: 'none' };

function run(id: string, createdAt: number, patch: Partial<NamedRun> = {}, config: Kind = LOGREG): NamedRun {
  return { id, notebookId: 'nb1', datasetHash: 'h1', createdAt, config, ...patch };
}

describe('run names', () => {
  it('names the model, then the imbalance strategy when there is one', () => {
    expect(runNamePrefix(LOGREG)).toBe('logreg');
    expect(runNamePrefix({ ...LOGREG, imbalance: 'class-weights' })).toBe('logreg-balanced');
    expect(runNamePrefix({ ...LOGREG, model: 'mlp', imbalance: 'smote' })).toBe('mlp-smote');
    expect(runNamePrefix({ model: 'linear', task: 'regression', imbalance: 'none' })).toBe('linreg');
    // Regression has no classes to rebalance: a leftover strategy is not named.
    expect(runNamePrefix({ model: 'mlp', task: 'regression', imbalance: 'oversample' })).toBe('mlp');
  });

  it('numbers a new run one past the highest of its prefix in its notebook', () => {
    expect(nextRunName(LOGREG, [])).toBe('logreg-1');
    const scope = [run('a', 1, { name: 'logreg-1' }), run('b', 2, { name: 'logreg-4' }), run('c', 3, { name: 'mlp-7' }, { ...LOGREG, model: 'mlp' }), run('d', 4, { name: 'logreg-x' })];
    expect(nextRunName(LOGREG, scope)).toBe('logreg-5');
    expect(nextRunName({ ...LOGREG, imbalance: 'class-weights' }, scope)).toBe('logreg-balanced-1');
    // Runs stored before names count by their derived names.
    expect(nextRunName(LOGREG, [run('old1', 1), run('old2', 2)])).toBe('logreg-3');
  });

  it('derives names for runs stored before names, per notebook (or dataset) and prefix, oldest first', () => {
    const named = run('n', 5, { name: 'churn baseline' });
    const runs = [
      run('r3', 30),
      run('r1', 10),
      named,
      run('r2', 20, {}, { ...LOGREG, imbalance: 'smote' }),
      run('r4', 40, { notebookId: 'nb2' }),
      run('r5', 50, { notebookId: null }),
      run('r6', 60, { notebookId: null, datasetHash: 'h2' }),
    ];
    const out = withRunNames(runs);
    expect(out.map((r) => [r.id, r.name])).toEqual([
      ['r3', 'logreg-3'], // the named run of the same prefix counts: r1 is 2nd, r3 3rd
      ['r1', 'logreg-2'],
      ['n', 'churn baseline'],
      ['r2', 'logreg-smote-1'],
      ['r4', 'logreg-1'],
      ['r5', 'logreg-1'],
      ['r6', 'logreg-1'],
    ]);
    // Named runs are kept as the same objects, and nothing is copied when all have names.
    expect(out[2]).toBe(named);
    expect(withRunNames([named])[0]).toBe(named);
  });

  it('shows the name with the short id beside it', () => {
    const r = run('0123456789abcdef', 1, { name: 'logreg-2' });
    expect(shortRunId(r.id)).toBe('01234567');
    expect(runTitle(r)).toBe('logreg-2 · 01234567');
    expect(runName({ config: LOGREG })).toBe('logreg');
  });

  it('checks a typed name: trimmed, not empty, not too long', () => {
    expect(checkRunName('  my   best run ')).toEqual({ ok: true, name: 'my best run' });
    expect(checkRunName('   ')).toEqual({ ok: false, message: 'A run name cannot be empty.' });
    expect(checkRunName('x'.repeat(RUN_NAME_MAX))).toEqual({ ok: true, name: 'x'.repeat(RUN_NAME_MAX) });
    const long = checkRunName('x'.repeat(RUN_NAME_MAX + 1));
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.message).toContain(String(RUN_NAME_MAX));
  });
});
