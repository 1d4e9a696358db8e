import { describe, expect, it } from 'vitest';
import { renderSymbols, symbolizes } from '../../scripts/preview/sf-symbols.js';

const tag = (text: string, rgb: readonly number[] | undefined): string => `<${rgb?.join(',') ?? '-'}>${text}`;

describe('preview SF symbols', () => {
  it('draws the status glyph in the sfcolor of the appearance', () => {
    const params = { sfcolor: '#0062cc,#409cff' };
    expect(renderSymbols(':circle.fill: 42', params, 'light', tag)).toBe('<0,98,204>● 42');
    expect(renderSymbols(':circle.fill: 42', params, 'dark', tag)).toBe('<64,156,255>● 42');
  });

  it('gives each symbol its own colour, the last one repeating', () => {
    const params = { sfcolor1: '#ff0000', sfcolor2: '#00ff00' };
    expect(renderSymbols(':circle: :circle: :bolt.fill:', params, 'light', tag)).toBe('<255,0,0>○ <0,255,0>○ <0,255,0>⚡');
  });

  it('follows SwiftBar: text with symbolize=false or ansi=true keeps its colons', () => {
    expect(symbolizes({ symbolize: 'false' })).toBe(false);
    expect(symbolizes({ ansi: 'true' })).toBe(false);
    expect(symbolizes({})).toBe(true);
    expect(renderSymbols('12:30:45', {}, 'light', tag)).toBe('12:30:45');
  });
});
