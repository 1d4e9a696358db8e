/**
 * Pure: typed primitive props → ordered SwiftBar parameters. The order is fixed (text styling,
 * behaviour, actions, images last so long base64 stays at the end of the line). Bad colours,
 * numbers, paths or images are programming errors and throw a readable Error at render.
 */
import type { ActionParams, Color, ItemParams, SfSymbol, TextParams } from './element-props.js';
import { SWIFTBAR_COLOR_NAMES } from './css-colors.js';

/** One `key=value` pair, value not yet quoted. */
export type Param = { readonly key: string; readonly value: string };

/** Every prop that can become a parameter. */
export type ParamProps = TextParams & ActionParams & Partial<ItemParams>;

const HEX = /^#[0-9a-fA-F]{6}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MISSING_NAMES: Readonly<Record<string, string>> = {
  cyan: 'aqua', magenta: 'fuchsia', grey: 'gray', orangered: 'orange red', darkblue: 'dark blue',
  greenyellow: 'green yellow', yellowgreen: 'yellow green',
};

function oneColor(color: string, key: string): string {
  if (color.startsWith('#')) {
    if (HEX.test(color)) return color.toLowerCase();
    throw new Error(`Invalid ${key} ${JSON.stringify(color)}: SwiftBar reads only #RRGGBB (exactly six hex digits).`);
  }
  if (SWIFTBAR_COLOR_NAMES.has(color)) return color;
  const lower = color.toLowerCase();
  const hint = SWIFTBAR_COLOR_NAMES.has(lower)
    ? ` Write it in lower case: "${lower}".`
    : MISSING_NAMES[lower] !== undefined
      ? ` SwiftBar's table lacks it; use "${MISSING_NAMES[lower]}".`
      : '';
  throw new Error(`Invalid ${key} ${JSON.stringify(color)}: not #RRGGBB nor one of SwiftBar's 138 colour names.${hint}`);
}

/** Validates a colour and returns its SwiftBar text (`#rrggbb`, a name, or `light,dark`). */
export function colorValue(color: Color, key = 'color'): string {
  if (typeof color === 'string') return oneColor(color, key);
  return `${oneColor(color.light, key)},${oneColor(color.dark, key)}`;
}

function symbolValue(symbol: SfSymbol): string {
  return typeof symbol === 'string' ? symbol : `${symbol.light},${symbol.dark}`;
}

function integer(value: number, key: string, min: number): string {
  if (Number.isInteger(value) && value >= min) return String(value);
  throw new Error(`Invalid ${key}=${String(value)}: SwiftBar needs an integer >= ${min}.`);
}

function points(value: number, key: string): string {
  if (Number.isFinite(value) && value > 0) return String(value);
  throw new Error(`Invalid image ${key}=${String(value)}: must be a positive number of points.`);
}

function base64(value: string, key: string): string {
  if (BASE64.test(value) && value.length % 4 === 0) return value;
  throw new Error(`Invalid ${key}: expected standard padded base64 (A-Z a-z 0-9 + / =), got ${value.length} characters that are not.`);
}

function executable(path: string): string {
  // eslint-disable-next-line no-control-regex
  if (!path.startsWith('/') || /[\u0000-\u001F\u007F]/.test(path)) {
    throw new Error(`Invalid bash executable ${JSON.stringify(path)}: SwiftBar needs an absolute path (arguments go in args).`);
  }
  if (/[\s]/.test(path) && path.includes("'")) {
    throw new Error(`Invalid bash executable ${JSON.stringify(path)}: a path with both a space and a single quote breaks SwiftBar's quoting.`);
  }
  return path;
}

function flag(out: Param[], key: string, on: boolean | undefined, emitWhen: boolean): void {
  if (on === emitWhen) out.push({ key, value: String(emitWhen) });
}

/**
 * Builds the ordered parameter list; `image` overrides props.image (painted sparklines). With a
 * `stdinToken` the click is written as `stdin=<token>` instead of the `bash` command: SwiftBar
 * would run both if a line had both.
 */
export function paramsOf(props: ParamProps, image?: string, stdinToken?: string): Param[] {
  const out: Param[] = [];
  const add = (key: string, value: string | undefined): void => {
    if (value !== undefined) out.push({ key, value });
  };
  add('color', props.color === undefined ? undefined : colorValue(props.color, 'color'));
  add('sfcolor', props.sfcolor === undefined ? undefined : colorValue(props.sfcolor, 'sfcolor'));
  add('font', props.font);
  add('size', props.size === undefined ? undefined : integer(props.size, 'size', 0));
  add('length', props.length === undefined ? undefined : integer(props.length, 'length', 1));
  flag(out, 'trim', props.trim, false);
  flag(out, 'ansi', props.ansi, true);
  flag(out, 'md', props.md, true);
  // Both off by default so `:word:` from a server stays literal: SwiftBar expands emoji
  // shortcodes whenever symbolize is off unless emojize=false too.
  if (props.symbolize !== true) {
    out.push({ key: 'symbolize', value: 'false' });
    if (props.emojize !== true) out.push({ key: 'emojize', value: 'false' });
  }
  add('sfimage', props.sfimage === undefined ? undefined : symbolValue(props.sfimage));
  flag(out, 'checked', props.checked, true);
  flag(out, 'alternate', props.alternate, true);
  add('badge', props.badge);
  add('tooltip', props.tooltip);
  flag(out, 'dropdown', props.dropdown, false);
  add('href', props.href);
  if (stdinToken !== undefined) {
    add('stdin', stdinToken);
  } else if (props.bash !== undefined) {
    add('bash', executable(props.bash.executable));
    (props.bash.args ?? []).forEach((arg, i) => add(`param${i + 1}`, arg));
    add('terminal', String(props.bash.terminal === true));
  }
  if (props.refresh === true || (stdinToken === undefined && props.bash?.refresh === true)) add('refresh', 'true');
  add('shortcut', props.shortcut);
  if (props.imageSize !== undefined) {
    add('width', points(props.imageSize.width, 'width'));
    add('height', points(props.imageSize.height, 'height'));
  }
  const colorImage = image ?? props.image;
  add('image', colorImage === undefined ? undefined : base64(colorImage, 'image'));
  add('templateImage', props.templateImage === undefined ? undefined : base64(props.templateImage, 'templateImage'));
  return out;
}
