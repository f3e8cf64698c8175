import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/core/common';

describe('Rng.fillUint32', () => {
  it('gives exactly the stream of repeated uint32() calls, and continues it', () => {
    const one = new Rng(2024);
    const many = new Rng(2024);
    const expected = Array.from({ length: 1000 }, () => one.uint32());
    const buffer = new Uint32Array(600);
    many.fillUint32(buffer);
    const got = [...buffer];
    many.fillUint32(buffer);
    got.push(...buffer.subarray(0, 400));
    expect(got).toEqual(expected);
    // Both generators are now at the same point: 1,000 for `one`, 1,200 for `many`.
    for (let i = 0; i < 200; i++) one.uint32();
    expect(many.uint32()).toBe(one.uint32());
  });
});
