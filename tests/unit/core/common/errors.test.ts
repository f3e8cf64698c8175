import { expect, it } from 'vitest';
import { formatBytes, isQuotaError, quotaMessage } from '../../../../src/lib/core/common';

it('recognises quota errors, bare or wrapped in an AbortError', () => {
  expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
  expect(isQuotaError({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe(true);
  expect(isQuotaError({ name: 'AbortError', message: 'x', cause: new DOMException('full', 'QuotaExceededError') })).toBe(true);
  expect(isQuotaError({ name: 'AbortError', message: 'QuotaExceededError: Transaction aborted' })).toBe(true);
  expect(isQuotaError(new DOMException('aborted', 'AbortError'))).toBe(false);
  expect(isQuotaError(new Error('ConstraintError'))).toBe(false);
});

it('says how much was needed and what to do', () => {
  const msg = quotaMessage(25_000_000, 1_000_000);
  expect(msg).toContain('25.0 MB');
  expect(msg).toContain('1.00 MB');
  expect(msg).toContain('Nothing was stored');
  expect(formatBytes(999)).toBe('999 B');
  expect(formatBytes(1_500_000)).toBe('1.50 MB');
});
