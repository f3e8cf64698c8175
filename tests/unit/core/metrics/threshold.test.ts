import { describe, expect, it } from 'vitest';
import { scoresAt, tuneThreshold } from '../../../../src/lib/core/metrics';

// A small fixed example, worked by hand. Scores descending with labels:
// 0.9 P, 0.8 N, 0.7 P, 0.6 P, 0.4 N, 0.35 P, 0.3 N, 0.2 N, 0.1 N, 0.05 N  (4 positives, 6 negatives)
const scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.35, 0.3, 0.2, 0.1, 0.05];
const labels = [1, 0, 1, 1, 0, 1, 0, 0, 0, 0];

describe('tuneThreshold', () => {
  it('finds the F1 optimum: at 0.6 (tp 3, fp 1, fn 1) F1 = 0.75, higher than every other cut', () => {
    // F1 at each cut, by hand: .9 -> 2/5=.4, .8 -> 2/6=.333, .7 -> 4/7=.571, .6 -> 6/8=.75,
    // .4 -> 6/9=.667, .35 -> 8/10=.8 (tp 4, fp 2, fn 0) -> the optimum is 0.35.
    const c = tuneThreshold(labels, scores, { kind: 'max-f1' });
    expect(c.threshold).toBe(0.35);
    expect(c.f1).toBeCloseTo(0.8, 12);
    expect(c.precision).toBeCloseTo(4 / 6, 12);
    expect(c.recall).toBe(1);
    expect(c.note).toMatch(/^Threshold 0\.350 maximizes F1 on the validation split/);
    // Brute force over a fine grid agrees: nothing beats it.
    for (let t = 0; t <= 1; t += 0.001) expect(scoresAt(labels, scores, t).f1).toBeLessThanOrEqual(c.f1 + 1e-12);
  });

  it('reaches a target recall with the best precision', () => {
    // Recall >= 0.75 first at 0.6 (3 of 4, precision 3/4); at 0.35 recall 1 but precision 4/6.
    const c = tuneThreshold(labels, scores, { kind: 'target-recall', recall: 0.75 });
    expect(c.threshold).toBe(0.6);
    expect(c.recall).toBe(0.75);
    expect(c.precision).toBe(0.75);
  });

  it('keeps the default 0.5 when asked, or when there is nothing to tune on, and says why', () => {
    const d = tuneThreshold(labels, scores, { kind: 'default' });
    expect(d.threshold).toBe(0.5);
    expect(d.recall).toBe(0.75); // 0.9, 0.7, 0.6 of the four positives
    const none = tuneThreshold([0, 0, 0], [0.2, 0.6, 0.9], { kind: 'max-f1' });
    expect(none.threshold).toBe(0.5);
    expect(none.note).toBe('The validation split has no positive row: the default 0.500 is kept.');
    expect(d.note).toBe('Default threshold 0.500.');
  });

  it('prefers the higher threshold among ties', () => {
    // F1 at 0.9 (tp 1, fp 0, fn 1) = 2/3 and at 0.6 (tp 2, fp 2, fn 0) = 4/6: a tie; the higher one wins.
    const c = tuneThreshold([1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6], { kind: 'max-f1' });
    expect(c.threshold).toBe(0.9);
    expect(c.f1).toBeCloseTo(2 / 3, 12);
  });
});
