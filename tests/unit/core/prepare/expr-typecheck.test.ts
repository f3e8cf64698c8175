import { describe, expect, it } from 'vitest';
import { closestName, ExpressionError, parseExpression, typecheckExpression, type ColumnKinds } from '../../../../src/lib/core/prepare';

const kinds: ColumnKinds = { BMI: 'number', Age: 'number', Sex: 'text', 'Age Category': 'text', Empty: 'any' };
const kind = (text: string) => typecheckExpression(parseExpression(text), kinds);

function refusal(text: string, k: ColumnKinds = kinds): ExpressionError {
  try {
    typecheckExpression(parseExpression(text), k);
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
  throw new Error(`accepted: ${text}`);
}

describe('typecheckExpression', () => {
  it('gives the kind each operator and function produces', () => {
    expect(kind('BMI * 2 + Age')).toBe('number');
    expect(kind("Sex == 'Male' and BMI > 25")).toBe('boolean');
    expect(kind('lower(Sex)')).toBe('text');
    expect(kind('len(Sex)')).toBe('number');
    expect(kind("if(BMI > 25, 'high', 'normal')")).toBe('text');
    expect(kind('coalesce(null, BMI)')).toBe('number');
    expect(kind('null')).toBe('any');
    expect(kind('Empty + 1')).toBe('number'); // a column with no value fits anywhere
    expect(kind("`Age Category` in ('18-24', null)")).toBe('boolean');
  });
  it('names the operand whose kind does not fit, and its column', () => {
    const e = refusal('BMI + Sex');
    expect(e.message).toBe('BMI + Sex: Sex is text');
    expect(e.column).toBe('Sex');
    expect(e.position).toBe(6);
    expect(refusal('-Sex').message).toBe('-Sex: Sex is text');
    expect(refusal('lower(BMI)').message).toBe('lower(BMI): BMI is a number');
    expect(refusal('not BMI').message).toBe('not BMI: BMI is a number');
    expect(refusal('BMI and true').message).toBe('BMI and true: BMI is a number');
    expect(refusal("Age == 'x'").message).toBe("Age == 'x': 'x' is text but Age is a number");
    expect(refusal("Age == 'x'").column).toBe('Age');
    expect(refusal("Sex in ('Male', 1)").message).toBe("Sex in ('Male', 1): 1 is a number but Sex is text");
    expect(refusal("if(BMI > 1, 1, 'one')").message).toBe("if(BMI > 1, 1, 'one'): 'one' is text but 1 is a number");
    expect(refusal('if(BMI, 1, 2)').message).toBe('if(BMI, 1, 2): BMI is a number');
    expect(refusal('(BMI > 1) < true').message).toMatch(/no order/);
  });
  it('refuses an unknown column, suggesting the closest name', () => {
    const e = refusal('Agee > 3');
    expect(e.message).toBe('no column “Agee” — did you mean “Age”?');
    expect(e.column).toBe('Agee');
    expect(refusal('bmi > 3').message).toBe('no column “bmi” — did you mean “BMI”?');
    expect(refusal('Weight > 3').message).toBe('no column “Weight”');
    // Names are looked up as own keys: the prototype's names are not columns.
    expect(refusal('constructor').message).toBe('no column “constructor”');
    expect(refusal('__proto__ == 1').message).toBe('no column “__proto__”');
    expect(refusal('toString', new Map([['x', 'number']])).message).toBe('no column “toString”');
  });
  it('finds the closest name by case, edit distance, then prefix', () => {
    expect(closestName('sleeptime', ['SleepTime', 'Sex'])).toBe('SleepTime');
    expect(closestName('SleepTme', ['SleepTime', 'Sex'])).toBe('SleepTime');
    expect(closestName('Sleep', ['SleepTime', 'SleepHours2'])).toBe('SleepTime');
    expect(closestName('Xyz', ['SleepTime', 'Sex'])).toBeNull();
  });
});
