import { describe, expect, it } from 'vitest';
import {
  formatBars,
  formatBytes,
  formatBytesOf,
  formatCount,
  formatDuration,
  formatPercent,
  formatTps,
  formatTpsCompact,
  formatUptime,
  plural,
  wrapText,
} from '../../src/components/format.js';

const GB = 1024 ** 3;

describe('format', () => {
  it('formats tokens per second for the dropdown', () => {
    expect(formatTps(42.345)).toBe('42.3 t/s');
    expect(formatTps(4.2)).toBe('4.2 t/s');
    expect(formatTps(0)).toBe('0.0 t/s');
    expect(formatTps(123.4)).toBe('123 t/s');
    expect(formatTps(1480.2)).toBe('1480 t/s');
    expect(formatTps(-3)).toBe('0.0 t/s');
  });

  it('formats tokens per second compactly for the menu bar', () => {
    expect(formatTpsCompact(42.3)).toBe('42');
    expect(formatTpsCompact(3.46)).toBe('3.5');
    expect(formatTpsCompact(9.99)).toBe('10.0');
    expect(formatTpsCompact(10)).toBe('10');
    expect(formatTpsCompact(999.4)).toBe('999');
    expect(formatTpsCompact(999.6)).toBe('1.0k');
    expect(formatTpsCompact(1234)).toBe('1.2k');
  });

  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3.2 * GB)).toBe('3.2 GB');
    expect(formatBytes(64 * GB)).toBe('64.0 GB');
    expect(formatBytes(128 * GB)).toBe('128 GB');
    expect(formatBytes(1023.99 * 1024 ** 2)).toBe('1.0 GB');
    expect(formatBytes(38.4 * 1024 ** 2)).toBe('38.4 MB');
  });

  it('formats used of total', () => {
    expect(formatBytesOf(12.3 * GB, 64 * GB)).toBe('12.3 GB / 64.0 GB');
    expect(formatBytesOf(12.3 * GB, null)).toBe('12.3 GB');
    expect(formatBytesOf(null, 64 * GB)).toBe('– / 64.0 GB');
    expect(formatBytesOf(null, null)).toBe('–');
  });

  it('formats percent', () => {
    expect(formatPercent(42.4)).toBe('42%');
    expect(formatPercent(3.46)).toBe('3.5%');
    expect(formatPercent(9.96)).toBe('10%');
    expect(formatPercent(142)).toBe('142%');
    expect(formatPercent(0)).toBe('0.0%');
  });

  it('formats durations', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatDuration(2 * 86400)).toBe('2 d');
    expect(formatDuration(2 * 86400 + 3 * 3600 + 59)).toBe('2 d 3 h');
  });

  it('formats counts with separators', () => {
    expect(formatCount(9876)).toBe('9,876');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
    expect(plural(1, 'request')).toBe('1 request');
    expect(plural(1234, 'request')).toBe('1,234 requests');
  });

  it('prints an en dash for missing figures, never NaN or null', () => {
    for (const missing of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      for (const f of [formatTps, formatTpsCompact, formatBytes, formatPercent, formatDuration, formatCount]) {
        expect(f(missing)).toBe('–');
      }
    }
  });

  it('wraps at spaces without losing words', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('a-very-long-word x', 5)).toEqual(['a-very-long-word', 'x']);
    expect(wrapText('  spaced\nout  ', 60)).toEqual(['spaced out']);
    expect(wrapText('', 10)).toEqual([]);
  });

  it('draws one bar per percentage, clamped, a gap for a missing one', () => {
    expect(formatBars([0, 12.5, 50, 99, 100, 150, -5, Number.NaN])).toBe('▁▂▅███▁ ');
    expect(formatBars([])).toBe('');
  });
});

describe('formatUptime', () => {
  it('counts whole minutes, the first one as "< 1 min"', () => {
    expect(formatUptime(0)).toBe('< 1 min');
    expect(formatUptime(59_999)).toBe('< 1 min');
    expect(formatUptime(60_000)).toBe('1 min');
    expect(formatUptime(12 * 60_000 + 59_000)).toBe('12 min');
    expect(formatUptime((2 * 60 + 5) * 60_000)).toBe('2 h 5 min');
    expect(formatUptime(null)).toBe('–');
  });
});
