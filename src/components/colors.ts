/**
 * The status palette: `{light, dark}` pairs that SwiftBar picks from at draw time (menu bar and
 * dropdown follow the system appearance). Light values are darkened so a glyph or text keeps
 * contrast on a light bar; dark values are the brighter Apple system tones.
 */
import type { OverallStatus } from './model.js';
import type { HexColor, SparklineColors } from '../reconciler/element-props.js';

/** A colour per appearance, always `#RRGGBB`. */
export type ColorPair = { readonly light: HexColor; readonly dark: HexColor };

/** Red: stopped, unreachable, unauthorized, errors. */
export const RED: ColorPair = { light: '#d70015', dark: '#ff6961' };
/** Yellow: starting or loading a model (amber on light so it stays visible). */
export const YELLOW: ColorPair = { light: '#b87800', dark: '#ffd60a' };
/** Green: models ready, idle; successful actions. */
export const GREEN: ColorPair = { light: '#248a3d', dark: '#30d158' };
/** Blue: processing requests. */
export const BLUE: ColorPair = { light: '#0062cc', dark: '#409cff' };
/** Grey: running with no model loaded; also the first moment, before llama-swap answered. */
export const GREY: ColorPair = { light: '#808085', dark: '#98989d' };

/** Normal text for information rows, so rows without an action do not look disabled. */
export const TEXT: ColorPair = { light: '#1d1d1f', dark: '#f2f2f7' };
/** Dimmed text: configured models that are not loaded, secondary notes. */
export const DIM: ColorPair = { light: '#7c7c80', dark: '#a1a1a6' };

/** Glyph colour of each overall status. */
export const STATUS_COLORS: Readonly<Record<OverallStatus, ColorPair>> = {
  connecting: GREY,
  stopped: RED,
  unreachable: RED,
  unauthorized: RED,
  starting: YELLOW,
  ready: GREEN,
  processing: BLUE,
  empty: GREY,
};

/**
 * Sparkline colours, one per series, distinct in both appearances (the line, its fading area and
 * the baseline are this one hue). Series shown together (a model's Generation, Prompt, Requests,
 * Memory; System's CPU, Memory, GPU) are far apart; Requests is amber, not the red-orange of an
 * error, and GPU is indigo so it never meets Requests' orange in dark mode.
 */
export const SERIES_STROKES = {
  genTps: { light: '#0062cc', dark: '#409cff' },
  promptTps: { light: '#8944ab', dark: '#da8fff' },
  memory: { light: '#0e7c86', dark: '#5ad8e6' },
  queue: { light: '#8a6300', dark: '#ffd60a' },
  cpu: { light: '#248a3d', dark: '#30d158' },
  gpu: { light: '#4b48c6', dark: '#7d7aff' },
} as const satisfies Readonly<Record<string, SparklineColors>>;
