import { describe, expect, it } from 'vitest';
import { modelCard, type ModelCardInput } from '../../../../src/lib/core/models';
import { fairnessMarkdown } from '../../../../src/lib/core/fairness';
import { classificationMetrics } from '../../../../src/lib/core/metrics';
import { defaultTrainConfig, fitPreprocessor } from '../../../../src/lib/core/training';
import { FAIRNESS, IMPORTANCE } from './analysis-fixtures';

/** A small but real card input: one numeric feature, a binary target, four test rows. */
function input(patch: Partial<ModelCardInput> = {}): ModelCardInput {
  const config = defaultTrainConfig('ab'.repeat(32), 'label', 'binary', ['x']);
  const preprocessing = fitPreprocessor([{ name: 'x', type: 'numeric', data: { kind: 'num', values: Float64Array.from([1, 2, 3, 4]) } }], Uint32Array.from([0, 1, 2, 3]));
  const { curves: _curves, ...metrics } = classificationMetrics(Uint32Array.from([0, 0, 1, 1]), Float64Array.from([0.8, 0.2, 0.4, 0.6, 0.3, 0.7, 0.6, 0.4]), ['No', 'Yes'], { threshold: 0.5 });
  return {
    modelName: 'Churn',
    version: 2,
    versionId: 'cd'.repeat(32),
    lineage: { runId: 'run-1', datasetHash: config.datasetHash, notebookId: null, fingerprint: 'fp', config, appVersion: 'test', tfjsVersion: '4.22.0', backend: 'cpu' },
    target: { task: 'classification', type: 'categorical', classes: ['No', 'Yes'], counts: [2, 2], keys: 'text' },
    inputSchema: [{ name: 'x', type: 'numeric' }],
    preprocessing,
    evaluation: metrics,
    manifest: { format: 'labbook-model/1', files: [{ path: 'model.json', sha256: 'ef'.repeat(32), bytes: 10 }] },
    ...patch,
  };
}

/** The lines of the card's section that starts with `heading`, up to the next "## " heading. */
function section(card: string, heading: string): string[] {
  const lines = card.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('model card: analyses', () => {
  it('has no Fairness or features section when the run has no analysis', () => {
    const card = modelCard(input());
    expect(card).not.toContain('## Fairness');
    expect(card).not.toContain('## Which features matter');
    expect(modelCard(input({ fairness: null, importance: null }))).toBe(card);
  });

  it('puts the fairness report in, once, before the files, with the gaps and intervals of the report', () => {
    const card = modelCard(input({ fairness: fairnessMarkdown(FAIRNESS) }));
    expect(card.match(/^## Fairness$/gm)).toHaveLength(1);
    expect(card.indexOf('## Fairness')).toBeLessThan(card.indexOf('## Files'));
    expect(card.indexOf('## Fairness')).toBeGreaterThan(card.indexOf('## From a CSV row to features'));
    const lines = section(card, '## Fairness');
    // B against A: demographic parity 0.55 − 0.1 = 0.45 in [0.33, 0.56], flagged.
    const dp = lines.find((l) => l.startsWith('| B |') && l.includes('Demographic parity difference'));
    expect(dp).toBeDefined();
    expect(dp).toContain('0.450');
    expect(dp).toContain('[0.330, 0.560]');
    expect(dp).toMatch(/flagged/);
    // B's disparate impact 0.1 / 0.55 = 0.182, below four-fifths.
    const di = lines.find((l) => l.startsWith('| B |') && l.includes('Disparate impact'));
    expect(di).toContain('0.182');
    expect(di).toMatch(/4\/5|four-fifths/);
    // A's average odds interval [−0.45, 0.02] includes 0: not flagged.
    const ao = lines.find((l) => l.startsWith('| A |') && l.includes('Average odds'));
    expect(ao).not.toMatch(/flagged/);
    // The too-small age group is never flagged.
    const small = lines.filter((l) => l.startsWith('| \\[40, 90\\] |'));
    expect(small.length).toBeGreaterThan(0);
    expect(small.some((l) => l.includes('flagged'))).toBe(false);
  });

  it('gives a fairness text without a heading its own "## Fairness"', () => {
    const card = modelCard(input({ fairness: 'Checked on 200 rows.' }));
    expect(section(card, '## Fairness')).toEqual(['## Fairness', '', 'Checked on 200 rows.', '']);
  });

  it('lists which features matter with their mean drop and spread, and the partial dependence of the top features', () => {
    const card = modelCard(input({ importance: IMPORTANCE }));
    const lines = section(card, '## Which features matter');
    expect(lines.join('\n')).toContain('Permutation importance on the 200 test rows');
    expect(lines.join('\n')).toContain('shuffled 5 times (seed 42)');
    expect(lines.join('\n')).toContain('drop of auc from 0.91');
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| feature') && !l.startsWith('| ---'));
    expect(rows).toEqual(['| x2 | 0.3 | 0.03 |', '| x1 | 0.2 | 0.01 |', '| colour \\| tint | 0.05 | 0.02 |', '| noise | -0.001 | not defined |']);
    // x2's curve: 0.2 at −1 and 0.8 at 1; colour's categories as escaped text.
    expect(lines).toContain('- x2 (numeric), P(label = Yes): -1: 0.2; 1: 0.8; from 0.2 to 0.8 over 3 grid points');
    expect(lines).toContain('- colour \\| tint (categorical), P(label = Yes): red: 0.6; \\*blue\\*: 0.4; from 0.4 to 0.6 over 2 grid points');
    expect(card.indexOf('## Which features matter')).toBeLessThan(card.indexOf('## Files'));
  });

  it('is the same text for the same input', () => {
    const a = modelCard(input({ fairness: fairnessMarkdown(FAIRNESS), importance: IMPORTANCE }));
    expect(modelCard(input({ fairness: fairnessMarkdown(FAIRNESS), importance: IMPORTANCE }))).toBe(a);
    expect(a.indexOf('## Fairness')).toBeLessThan(a.indexOf('## Which features matter'));
  });
});
