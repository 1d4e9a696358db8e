import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { sparklineSvg } from '../../../src/reconciler/sparkline/chart-svg.js';

describe('sparklineSvg', () => {
  it('draws one crisp polyline per segment on a canvas of the pixel size', () => {
    const svg = sparklineSvg({ segments: [[[1, 9], [5, 1]], [[8, 4], [9, 4], [12, 2]]], pixelWidth: 14, pixelHeight: 10, color: '#1f6feb', strokeWidth: 2 });
    expect(svg).toMatch(/^<svg [^>]*width="14" height="10" viewBox="0 0 14 10">/);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('points="1,9 5,1"');
    expect(svg).toContain('points="8,4 9,4 12,2"');
    expect(svg).toContain('shape-rendering="crispEdges"');
    const image = new Resvg(svg, { font: { loadSystemFonts: false } }).render();
    expect([image.width, image.height]).toEqual([14, 10]);
  });

  it('escapes the colour so it cannot break out of its attribute', () => {
    const svg = sparklineSvg({ segments: [[[0, 0], [1, 1]]], pixelWidth: 2, pixelHeight: 2, color: 'red" onload="x&<', strokeWidth: 1 });
    expect(svg).toContain('stroke="red&quot; onload=&quot;x&amp;&lt;"');
  });

  it('is an empty canvas without segments', () => {
    expect(sparklineSvg({ segments: [], pixelWidth: 3, pixelHeight: 2, color: '#000000', strokeWidth: 2 })).not.toContain('<polyline');
  });
});
