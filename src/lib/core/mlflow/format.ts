/**
 * Numbers as Python writes them. The file store writes a metric line as
 * f"{metric.timestamp} {metric.value} {metric.step}\n" (file_store.py,
 * _log_run_metric), so the value is Python's repr of a float: the shortest
 * digits that read back to the same double (as JavaScript's), in fixed
 * notation when the decimal exponent is in [-4, 16) with at least one
 * decimal ('1.0'), else as '1e-05' / '1.5e+16'; 'nan', 'inf', '-inf'.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa = '', expText = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const whole = digits.padEnd(exp + 1, '0');
    const intPart = whole.slice(0, exp + 1);
    const frac = whole.slice(exp + 1);
    return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
  }
  const rest = digits.slice(1);
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${sign}${digits.slice(0, 1)}${rest === '' ? '' : `.${rest}`}e${e}`;
}

/** Python's float() for what pythonFloatRepr and Python write (also 'NaN', 'Infinity', '+1.5'). */
export function parsePythonFloat(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'nan' || t === '+nan' || t === '-nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (!/^[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:e[-+]?\d+)?$/.test(t)) throw new Error(`not a number: '${text}'`);
  return Number(t.replaceAll('_', ''));
}
