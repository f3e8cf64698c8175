import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatCount, formatDuration, formatMetric } from '../../../../src/lib/core/common';

describe('one way of writing numbers for people', () => {
  it('counts, sizes and metrics', () => {
    expect(formatCount(319795)).toBe('319,795');
    expect(formatCount(1234.6)).toBe('1,235');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_437_423)).toBe('1.44 MB');
    expect(formatBytes(23_000_000)).toBe('23.0 MB');
    expect(formatBytes(NaN)).toBe('?');
    expect(formatMetric(0.82051)).toBe('0.8205');
    expect(formatMetric(1234.5, 1)).toBe('1,234.5');
    expect(formatMetric(null)).toBe('—');
    expect(formatMetric(0.00001)).toBe('0.00001000');
  });

  it('durations and times ago', () => {
    expect(formatDuration(null)).toBe('');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    const now = Date.UTC(2026, 11, 5, 12);
    expect(formatAgo(now - 20_000, now)).toBe('just now');
    expect(formatAgo(now - 60_000, now)).toBe('1 minute ago');
    expect(formatAgo(now - 12 * 60_000, now)).toBe('12 minutes ago');
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 hours ago');
    expect(formatAgo(now - 4 * 86_400_000, now)).toBe('4 days ago');
  });
});
