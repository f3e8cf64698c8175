import type { ColumnData } from '../../../../src/lib/core/common';
import type { FairnessConfig, FairnessInput } from '../../../../src/lib/core/fairness';

/** Test rows of one group, by confusion cell (favourable = positive). */
export interface Cells {
  group: string;
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

/** Dataset rows of one group: `rows` rows, `favourable` of them with the favourable label. */
export interface LabelCounts {
  group: string;
  rows: number;
  favourable: number;
}

function dictColumn(groups: string[]): ColumnData {
  const dict = [...new Set(groups)];
  return { kind: 'dict', codes: Uint32Array.from(groups, (g) => dict.indexOf(g) + 1), dict };
}

/** Rows written out from counts, group by group. */
export function testRows(cells: Cells[]): { favourable: boolean[]; predicted: boolean[]; groups: string[] } {
  const out = { favourable: [] as boolean[], predicted: [] as boolean[], groups: [] as string[] };
  for (const c of cells) {
    const add = (n: number, label: boolean, pred: boolean): void => {
      for (let i = 0; i < n; i++) {
        out.favourable.push(label);
        out.predicted.push(pred);
        out.groups.push(c.group);
      }
    };
    add(c.tp, true, true);
    add(c.fn, true, false);
    add(c.fp, false, true);
    add(c.tn, false, false);
  }
  return out;
}

export function datasetRows(counts: LabelCounts[]): { favourable: boolean[]; groups: string[] } {
  const out = { favourable: [] as boolean[], groups: [] as string[] };
  for (const c of counts) {
    for (let i = 0; i < c.rows; i++) {
      out.favourable.push(i < c.favourable);
      out.groups.push(c.group);
    }
  }
  return out;
}

export function config(overrides: Partial<FairnessConfig> = {}): FairnessConfig {
  return { attributes: ['Group'], favourable: 'Yes', bins: 4, resamples: 200, seed: 7, ...overrides };
}

/** One categorical attribute "Group", from dataset counts and test cells. */
export function inputOf(dataset: LabelCounts[], test: Cells[], overrides: Partial<FairnessConfig> = {}): FairnessInput {
  const d = datasetRows(dataset);
  const t = testRows(test);
  return {
    config: config(overrides),
    threshold: 0.5,
    dataset: { favourable: d.favourable, attributes: [dictColumn(d.groups)] },
    test: { favourable: t.favourable, predicted: t.predicted, attributes: [dictColumn(t.groups)] },
  };
}
