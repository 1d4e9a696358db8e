/**
 * Pure satori JSX for one sparkline, drawn like macOS's own charts (Activity Monitor, Stocks):
 * a faint baseline, a soft area under the line fading downwards, and the antialiased line on top.
 * Everything is one hue at different opacities, so the PNG re-encodes as a palette of that hue at
 * many alpha levels (png-indexed.ts `toOneHuePng`). A run of one value is a dot, not a dash.
 */
import type { ReactElement } from 'react';
import type { HexColor } from '../element-props.js';
import { segmentPoints, type Segment } from './geometry.js';

export type ChartProps = {
  readonly segments: readonly Segment[];
  /** Canvas size in device pixels. */
  readonly pixelWidth: number;
  readonly pixelHeight: number;
  readonly color: HexColor;
  readonly strokeWidth: number;
};

/** Opacities of the drawing: the area fades from top to bottom; the baseline is barely there. */
export const CHART_OPACITY = { areaTop: 0.32, areaBottom: 0.06, baseline: 0.22 } as const;

/** The area under one run: its points closed down to the bottom edge. */
function areaPoints(segment: Segment, bottom: number): string {
  const first = segment[0];
  const last = segment[segment.length - 1];
  if (!first || !last) return '';
  return `${first[0]},${bottom} ${segmentPoints(segment)} ${last[0]},${bottom}`;
}

/** `v` moved inside [r, size - r], so a dot at the edge is whole rather than cut in half. */
function inside(v: number, r: number, size: number): number {
  return Math.min(size - r, Math.max(r, v));
}

/** The element satori lays out; no text, so no font is needed. */
export function SparklineChart({ segments, pixelWidth: w, pixelHeight: h, color, strokeWidth }: ChartProps): ReactElement {
  const runs = segments.filter((s) => s.length > 1);
  const dots = segments.filter((s) => s.length === 1);
  const dotRadius = strokeWidth * 0.9;
  return (
    <div style={{ display: 'flex', width: w, height: h }}>
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`}>
        <defs>
          {/* One gradient over the whole canvas, so every run fades at the same heights. */}
          <linearGradient id="area" gradientUnits="userSpaceOnUse" x1="0" y1="0" x2="0" y2={h}>
            <stop offset="0" stopColor={color} stopOpacity={CHART_OPACITY.areaTop} />
            <stop offset="1" stopColor={color} stopOpacity={CHART_OPACITY.areaBottom} />
          </linearGradient>
        </defs>
        <rect x={0} y={h - 1} width={w} height={1} fill={color} fillOpacity={CHART_OPACITY.baseline} />
        {runs.map((segment, i) => (
          <polygon key={`a${i}`} points={areaPoints(segment, h)} fill="url(#area)" />
        ))}
        {runs.map((segment, i) => (
          <polyline
            key={`l${i}`}
            points={segmentPoints(segment)}
            fill="none"
            stroke={color}
            strokeWidth={strokeWidth}
            strokeLinejoin="round"
            strokeLinecap="round"
          />
        ))}
        {dots.map(([point], i) =>
          point ? <circle key={`d${i}`} cx={inside(point[0], dotRadius, w)} cy={inside(point[1], dotRadius, h)} r={dotRadius} fill={color} /> : null,
        )}
      </svg>
    </div>
  );
}
