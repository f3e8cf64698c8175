import { describe, expect, it } from 'vitest';
import { parsePythonFloat, pythonFloatRepr } from '../../../../src/lib/core/mlflow';

describe('pythonFloatRepr', () => {
  // Each right-hand side is what CPython 3 prints for repr(float(x)).
  it.each([
    [0.1, '0.1'],
    [1, '1.0'],
    [100, '100.0'],
    [-2.5, '-2.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [0.00012345, '0.00012345'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [2 ** 60, '1.152921504606847e+18'],
    [1 / 3, '0.3333333333333333'],
    [0.30000000000000004, '0.30000000000000004'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('%s → %s', (x, text) => {
    expect(pythonFloatRepr(x)).toBe(text);
  });
});

describe('parsePythonFloat', () => {
  it('reads what Python writes, back to the same double', () => {
    for (const x of [0.1, 1, 1e-5, 1.5e16, 1 / 3, -2.5, 5e-324]) expect(parsePythonFloat(pythonFloatRepr(x))).toBe(x);
    expect(parsePythonFloat('nan')).toBeNaN();
    expect(parsePythonFloat('inf')).toBe(Infinity);
    expect(parsePythonFloat('-inf')).toBe(-Infinity);
    expect(parsePythonFloat('3')).toBe(3);
  });

  it('refuses what is not a number', () => {
    expect(() => parsePythonFloat('0.5x')).toThrow(/not a number/);
    expect(() => parsePythonFloat('')).toThrow(/not a number/);
  });
});
