/**
 * One figure line. With history in the window it is a sparkline whose text carries the window
 * statistics (min, avg, max) after the current value; without history it is a plain line.
 * The current value (`latest`) ends the window: history is sampled per /running poll, so the
 * newest figure may not be in it yet, and "min" must never read above the value beside it.
 */
import type { ReactElement } from 'react';
import { seriesStats } from '../series-stats.js';
import { TEXT } from '../colors.js';
import type { Series } from '../model.js';
import type { SparklineColors } from '../primitives/index.js';
import { Item, Sparkline } from '../primitives/index.js';

export type FigureItemProps = {
  /** What the figure is, e.g. "Generation". */
  readonly label: string;
  /** The current value, formatted ("42.3 t/s", "12.3 GB / 64.0 GB"); null when unknown (left out, never "–"). */
  readonly current: string | null;
  /** What the window statistics measure when it is not the current value itself ("in flight"). */
  readonly statsOf?: string;
  /** History window; an empty or all-gap series gives a plain line. */
  readonly values?: Series;
  /** The current value as a number; appended to the window for the chart and its statistics. */
  readonly latest?: number | null;
  /** Formats the window statistics. */
  readonly format?: (value: number) => string;
  readonly stroke?: SparklineColors;
  readonly chart?: { readonly width: number; readonly height: number };
  /** Fixed chart range; defaults to the data's own range. */
  readonly min?: number;
  readonly max?: number;
};

/**
 * A vertical range around the data spanning at least `minSpan` of its maximum, so slow growth
 * (a model's KV cache) shows without blowing sampling noise up to full height.
 */
export function zoomRange(values: Series, minSpan = 0.1): { readonly min: number; readonly max: number } | Record<never, never> {
  const stats = seriesStats(values);
  if (stats === null || stats.max <= 0) return {};
  const span = Math.max(stats.max - stats.min, stats.max * minSpan);
  const mid = (stats.max + stats.min) / 2;
  return { min: Math.max(0, mid - span / 2), max: Math.max(0, mid - span / 2) + span };
}

/**
 * The line's text: "Generation: 42.3 t/s · min 1.0 t/s · avg 30.2 t/s · max 51.8 t/s"; an unknown
 * current value is left out ("Generation: min 1.0 t/s · …"), and `statsOf` names what the
 * statistics measure ("Requests: 4 processing · in flight min 4 · avg 5 · max 6").
 */
export function figureText(label: string, current: string | null, values?: Series, format?: (value: number) => string, statsOf?: string): string {
  const stats = values === undefined || format === undefined ? null : seriesStats(values);
  const parts = [current];
  if (stats !== null && format !== undefined) {
    parts.push(`${statsOf === undefined ? '' : `${statsOf} `}min ${format(stats.min)}`, `avg ${format(stats.avg)}`, `max ${format(stats.max)}`);
  }
  return `${label}: ${parts.filter((p) => p !== null).join(' · ')}`;
}

/** The window ending with the current value; unchanged without one, or without any history to extend. */
export function withLatest(values: Series, latest: number | null | undefined): Series {
  const extend = typeof latest === 'number' && Number.isFinite(latest) && seriesStats(values) !== null;
  return extend ? [...values, latest] : values;
}

/** A figure with its chart and statistics when the window has samples, else a plain line. */
export function FigureItem(props: FigureItemProps): ReactElement {
  const { label, current, format, stroke, chart, min, max, statsOf } = props;
  const values = props.values === undefined ? undefined : withLatest(props.values, props.latest);
  const text = figureText(label, current, values, format, statsOf);
  if (values === undefined || stroke === undefined || chart === undefined || seriesStats(values) === null) {
    return <Item color={TEXT}>{text}</Item>;
  }
  return (
    <Sparkline
      values={values}
      width={chart.width}
      height={chart.height}
      stroke={stroke}
      color={TEXT}
      {...(min === undefined ? {} : { min })}
      {...(max === undefined ? {} : { max })}
    >
      {text}
    </Sparkline>
  );
}
