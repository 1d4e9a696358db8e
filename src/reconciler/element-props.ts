/**
 * The props of the renderer's host elements: typed SwiftBar parameters, owned by the reconciler
 * and shared by every primitive in src/components/primitives. Every parameter the plugin may need
 * is a typed prop, never a raw `key=value` string; `params.ts` turns them into text.
 */
import type { ReactNode } from 'react';

/** `#RRGGBB` exactly (SwiftBar misreads `#fff` and `#RRGGBBAA`). Checked at runtime too. */
export type HexColor = `#${string}`;

/** One of SwiftBar's CSS colour names (lower case), checked at runtime against its table. */
export type NamedColor = string & { readonly __namedColor?: never };

/** A single colour, or a pair SwiftBar picks from at draw time (`light,dark`). */
export type Color = HexColor | NamedColor | { readonly light: HexColor | NamedColor; readonly dark: HexColor | NamedColor };

/** A background command: `bash=<absolute path> param1=… terminal=false`. Never a shell string. */
export type CommandAction = {
  /** Absolute path of the executable SwiftBar runs. */
  readonly executable: string;
  /** One `paramN=` per argument, in order. */
  readonly args?: readonly string[];
  /** Run in a Terminal window. @default false (SwiftBar's own default is true) */
  readonly terminal?: boolean;
  /** Refresh the plugin after the command exits 0. @default false */
  readonly refresh?: boolean;
};

/** Explicit image size in points; SwiftBar needs both. */
export type ImageSize = { readonly width: number; readonly height: number };

/** SF Symbol name, or a light/dark pair. */
export type SfSymbol = string | { readonly light: string; readonly dark: string };

/** Text styling and behaviour parameters common to title lines and menu items. */
export type TextParams = {
  /** Text colour. */
  readonly color?: Color;
  /** Font name (any NSFont name). */
  readonly font?: string;
  /** Font size in integer points. */
  readonly size?: number;
  /** Truncate to this many characters (SwiftBar appends `...`). Must be >= 1. */
  readonly length?: number;
  /** Trim leading and trailing whitespace. @default true */
  readonly trim?: boolean;
  /** Interpret ANSI colour escapes in the text. @default false */
  readonly ansi?: boolean;
  /** Expand `:shortcode:` emoji. @default false (text may come from a server) */
  readonly emojize?: boolean;
  /** Replace `:name:` by SF Symbols. @default false (text may come from a server) */
  readonly symbolize?: boolean;
  /** Inline Markdown. @default false */
  readonly md?: boolean;
  /** SF Symbol shown before the text. */
  readonly sfimage?: SfSymbol;
  /** Tint of inline SF Symbols (case-sensitive names or #RRGGBB). */
  readonly sfcolor?: Color;
  /** Colour image: base64 PNG. */
  readonly image?: string;
  /** Template image (tinted like the text): base64 PNG. */
  readonly templateImage?: string;
  /** Draw the image at this size in points. */
  readonly imageSize?: ImageSize;
  /** Hover text. */
  readonly tooltip?: string;
  /** Show this line in the dropdown. @default true */
  readonly dropdown?: boolean;
};

/** Parameters that make a line do something when clicked. */
export type ActionParams = {
  /** URL opened on click. */
  readonly href?: string;
  /** Background command run on click (also the fallback of `onClick` where clicks cannot reach this process). */
  readonly bash?: CommandAction;
  /**
   * Runs in this process when clicked, where the root writes clicks as `stdin=<token>` (SwiftBar
   * 2.1+, streaming); elsewhere the line keeps its `bash` command. Never both on one line.
   */
  readonly onClick?: () => void;
  /** Refresh the plugin on click (restarts a streamable plugin). @default false */
  readonly refresh?: boolean;
  /** Global shortcut such as `cmd+shift+k`. */
  readonly shortcut?: string;
};

/** Item-only parameters. */
export type ItemParams = {
  /** Check mark. @default false */
  readonly checked?: boolean;
  /** Replaces the previous item while Option is held. @default false */
  readonly alternate?: boolean;
  /** Badge text (macOS 14+). */
  readonly badge?: string;
};

/** Text content of a line: plain strings and numbers only. */
export type LineText = string | number | readonly (string | number)[];

export type TitleProps = TextParams & ActionParams & { readonly children?: LineText };
export type ItemProps = TextParams & ActionParams & ItemParams & { readonly children?: LineText };
export type SubmenuProps = TextParams & ActionParams & ItemParams & {
  /** Text of the parent line. */
  readonly label: string;
  readonly children?: ReactNode;
};
/** A separator takes no props (only React's `key`). */
export type SeparatorProps = Record<never, never>;

/** Stroke and fill colours of a sparkline, one per appearance. */
export type SparklineColors = {
  readonly light: HexColor;
  readonly dark: HexColor;
};

export type SparklineProps = Omit<ItemProps, 'image' | 'templateImage' | 'imageSize'> & {
  /** Samples, oldest first. Non-finite values are gaps. */
  readonly values: readonly number[];
  /** Chart size in points (drawn at 2x pixels). */
  readonly width: number;
  readonly height: number;
  /** Line colour per appearance. */
  readonly stroke: SparklineColors;
  /** Fixed vertical range; defaults to the data's own min..max (min clamps at 0). */
  readonly min?: number;
  readonly max?: number;
};
