import { describe, expect, it } from 'vitest';
import { figureText, zoomRange } from '../../../src/components/sections/FigureItem.js';
import { formatTps } from '../../../src/components/format.js';

describe('figureText', () => {
  it('puts window statistics after the current value, skipping gaps', () => {
    expect(figureText('Generation', '42.3 t/s', [10, Number.NaN, 30], formatTps)).toBe(
      'Generation: 42.3 t/s · min 10.0 t/s · avg 20.0 t/s · max 30.0 t/s',
    );
  });

  it('is a plain line without samples', () => {
    expect(figureText('Generation', '–', [], formatTps)).toBe('Generation: –');
    expect(figureText('CPU', '42%')).toBe('CPU: 42%');
  });
});

describe('zoomRange', () => {
  it('spans at least a tenth of the maximum around the data', () => {
    expect(zoomRange([100, 100, 100])).toEqual({ min: 95, max: 105 });
    expect(zoomRange([10, 50])).toEqual({ min: 10, max: 50 });
    expect(zoomRange([1, 2])).toEqual({ min: 1, max: 2 });
    expect(zoomRange([0, 0.01])).toEqual({ min: 0, max: 0.01 });
  });

  it('leaves the default range for empty or zero series', () => {
    expect(zoomRange([])).toEqual({});
    expect(zoomRange([0, 0])).toEqual({});
  });
});
