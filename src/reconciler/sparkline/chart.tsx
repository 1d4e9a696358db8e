/**
 * Pure satori JSX for one sparkline: a transparent box holding an inline SVG with one polyline
 * per unbroken run of values. Crisp edges keep the PNG at a two-colour palette.
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

/** The element satori lays out; no text, so no font is needed. */
export function SparklineChart({ segments, pixelWidth, pixelHeight, color, strokeWidth }: ChartProps): ReactElement {
  return (
    <div style={{ display: 'flex', width: pixelWidth, height: pixelHeight }}>
      <svg width={pixelWidth} height={pixelHeight} viewBox={`0 0 ${pixelWidth} ${pixelHeight}`}>
        {segments.map((segment, i) => (
          <polyline
            key={i}
            points={segmentPoints(segment)}
            fill="none"
            stroke={color}
            strokeWidth={strokeWidth}
            strokeLinejoin="round"
            strokeLinecap="square"
            shapeRendering="crispEdges"
          />
        ))}
      </svg>
    </div>
  );
}
