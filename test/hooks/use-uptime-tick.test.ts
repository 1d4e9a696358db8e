/** When the uptime tick looks at the clock again: at the next whole minute of any ready model, never sooner. */
import { describe, expect, it } from 'vitest';
import { msToNextMinute, uptimeMinutes } from '../../src/hooks/use-uptime-tick.js';

describe('uptime tick', () => {
  const ready = new Map([['a', 0], ['b', 45_000]]);

  it('keys on whole minutes: the same key (no render) until one of them reaches a new minute', () => {
    expect(uptimeMinutes(ready, 50_000)).toBe('0,0');
    expect(uptimeMinutes(ready, 59_999)).toBe('0,0');
    expect(uptimeMinutes(ready, 60_000)).toBe('1,0');
    expect(uptimeMinutes(ready, 105_000)).toBe('1,1');
  });

  it('waits until the next model reaches a new minute', () => {
    expect(msToNextMinute(ready, 50_000)).toBe(10_000);
    expect(msToNextMinute(ready, 60_000)).toBe(45_000);
    expect(msToNextMinute(new Map(), 5)).toBe(60_000);
  });
});
