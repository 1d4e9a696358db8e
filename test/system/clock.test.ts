/** The clock watch tells time passing from a wall clock that was set, or a machine that slept. */
import { describe, expect, it } from 'vitest';
import { CLOCK_JUMP_MS, createClockWatch } from '../../src/system/clock.js';

describe('createClockWatch', () => {
  it('reports nothing while both clocks move together, however long between looks', () => {
    let wall = 1_700_000_000_000;
    let mono = 5;
    const look = createClockWatch(() => wall, () => mono);
    wall += 3_600_000;
    mono += 3_600_000;
    expect(look()).toBeNull();
    wall += CLOCK_JUMP_MS - 1;
    expect(look()).toBeNull();
  });

  it('reports a wall clock set back, and a sleep (wall ahead of monotonic), once each', () => {
    let wall = 1_700_000_000_000;
    let mono = 0;
    const look = createClockWatch(() => wall, () => mono);
    wall -= 600_000;
    mono += 1000;
    expect(look()).toEqual({ ms: -601_000 });
    expect(look()).toBeNull();
    wall += 7_200_000;
    expect(look()).toEqual({ ms: 7_200_000 });
    expect(look()).toBeNull();
  });
});
