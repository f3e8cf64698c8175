import { describe, expect, it } from 'vitest';
import { addedColumnCount, predictionFile, previewColumnOrder, type PredictionOutput } from '../../../../src/lib/core/models';

describe('prediction preview order', () => {
  it('counts the prediction and one probability per class', () => {
    expect(addedColumnCount({ task: 'classification', classes: ['No', 'Yes'] })).toBe(3);
    expect(addedColumnCount({ task: 'classification', classes: ['a', 'b', 'c'] })).toBe(4);
    expect(addedColumnCount({ task: 'regression', classes: [] })).toBe(1);
  });

  it('puts the added columns first, then the inputs in their order', () => {
    expect(previewColumnOrder(5, 3)).toEqual([2, 3, 4, 0, 1]);
    expect(previewColumnOrder(3, 1)).toEqual([2, 0, 1]);
  });

  it('keeps every column once when the count is out of range', () => {
    expect(previewColumnOrder(3, 0)).toEqual([0, 1, 2]);
    expect(previewColumnOrder(2, 5)).toEqual([0, 1]);
    expect(previewColumnOrder(0, 3)).toEqual([]);
  });

  it('leads with the predicted label and probabilities of a real prediction file', () => {
    const p: PredictionOutput = { task: 'classification', rows: 1, classes: ['No', 'Yes'], values: new Float64Array([0.2, 0.8]), threshold: 0.5 };
    const file = predictionFile(p, [{ name: 'age', data: { kind: 'num', values: new Float64Array([41]) } }], 'HeartDisease');
    const order = previewColumnOrder(file.header.length, addedColumnCount(p));
    expect(order.map((j) => file.header[j])).toEqual(['predicted_HeartDisease', 'probability_No', 'probability_Yes', 'age']);
    const [row] = [...file.rows()];
    expect(order.map((j) => row![j])).toEqual(['Yes', 0.2, 0.8, 41]);
  });
});
