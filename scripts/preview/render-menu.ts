/**
 * Pure: parsed SwiftBar frame (+ known sparkline values) → terminal lines the way a person reads
 * the menu: menu-bar title(s) first, then the dropdown with submenus indented, truecolor from
 * `color=`, actions as dim hints, and sparklines as inline images or ▁▂▃▄▅▆▇█ blocks.
 */
import type { ParsedFrame, ParsedItem, ParsedNode } from '../../src/reconciler/parse.js';
import { pngSize } from '../../src/reconciler/sparkline/png.js';
import { resolveColor, type Appearance, type Rgb } from './colors.js';
import { itermImage, kittyImage, pngToBlocks, valuesToBlocks, type ImageProtocol } from './inline-image.js';
import { renderSymbols, symbolGlyph, symbolizes } from './sf-symbols.js';

/** What the preview knows about a sparkline beyond its PNG (from the painted node tree). */
export type SparklineValues = {
  readonly values: readonly number[];
  readonly min?: number;
  readonly max?: number;
};

export type RenderMenuOptions = {
  readonly appearance: Appearance;
  readonly images: ImageProtocol;
  /** Sparkline data keyed by the base64 image the frame carries. */
  readonly sparklines?: ReadonlyMap<string, SparklineValues>;
  /** Emit ANSI colour and style codes. @default true */
  readonly color?: boolean;
  /** Show what each item does (`← runs …`) after it; the demo shows it for the selected item only. @default true */
  readonly actions?: boolean;
};

const INDENT = '    ';
/** Block characters per point of image width (a 60 pt chart → 15 blocks). */
const POINTS_PER_BLOCK = 4;

function paint(text: string, rgb: Rgb | undefined, opts: RenderMenuOptions): string {
  if (opts.color === false || rgb === undefined || text === '') return text;
  return `\x1b[38;2;${rgb[0]};${rgb[1]};${rgb[2]}m${text}\x1b[39m`;
}

function dim(text: string, opts: RenderMenuOptions): string {
  return opts.color === false || text === '' ? text : `\x1b[2m${text}\x1b[22m`;
}

function bold(text: string, opts: RenderMenuOptions): string {
  return opts.color === false ? text : `\x1b[1m${text}\x1b[22m`;
}

/** The title as SwiftBar shows it (length truncation adds `...`). */
function displayedTitle(item: ParsedItem): string {
  const length = Number(item.params['length']);
  return Number.isInteger(length) && length > 0 && item.title.length > length ? `${item.title.slice(0, length)}...` : item.title;
}

function imageText(base64: string, opts: RenderMenuOptions, fallback: Rgb | undefined): string {
  if (opts.images === 'kitty') return kittyImage(base64);
  if (opts.images === 'iterm') return itermImage(base64);
  const size = pngSize(Buffer.from(base64, 'base64'));
  const columns = Math.max(4, Math.round((size?.width ?? 120) / 2 / POINTS_PER_BLOCK));
  const known = opts.sparklines?.get(base64);
  const decoded = pngToBlocks(base64, columns);
  const text = known ? valuesToBlocks(known.values, columns, known.min, known.max) : (decoded?.text ?? '[image]');
  return paint(text, decoded?.color ?? fallback, opts);
}

/** The argv a click runs (`bash=` and its `paramN=` in order), or null for an item without one. */
export function itemArgv(item: ParsedItem): readonly string[] | null {
  const p = item.params;
  if (p['bash'] === undefined) return null;
  const args = Object.keys(p)
    .filter((k) => /^param\d+$/.test(k))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
    .map((k) => p[k] ?? '');
  return [p['bash'], ...args];
}

/** What clicking the item does, in words (`runs …`, `opens …`), or '' when nothing; `command` words the argv. */
export function itemAction(item: ParsedItem, command: (argv: readonly string[]) => string = (argv) => argv.join(' ')): string {
  const p = item.params;
  const argv = itemArgv(item);
  const parts: string[] = [];
  if (argv !== null) parts.push(`runs ${command(argv)}${p['terminal'] === 'true' ? ' (in Terminal)' : ''}`);
  if (p['href'] !== undefined) parts.push(`opens ${p['href']}`);
  if (p['refresh'] === 'true') parts.push('refreshes');
  return parts.join(', ');
}

function hints(item: ParsedItem, opts: RenderMenuOptions): string {
  const p = item.params;
  const parts: string[] = [];
  if (opts.actions === false) return '';
  const argv = itemArgv(item);
  if (argv !== null) parts.push(`runs ${argv.join(' ')}${p['terminal'] === 'true' ? ' (in Terminal)' : ''}`);
  if (p['href'] !== undefined) parts.push(`opens ${p['href']}`);
  if (p['refresh'] === 'true') parts.push('refreshes');
  if (p['shortcut'] !== undefined) parts.push(p['shortcut']);
  if (p['tooltip'] !== undefined) parts.push(`“${p['tooltip']}”`);
  return parts.length > 0 ? `  ${dim(`← ${parts.join(', ')}`, opts)}` : '';
}

/** One item as a terminal line (its children not included). */
export function itemLine(item: ParsedItem, opts: RenderMenuOptions): string {
  const p = item.params;
  const rgb = resolveColor(p['color'], opts.appearance);
  const prefix = `${p['checked'] === 'true' ? '✓ ' : ''}${p['alternate'] === 'true' ? dim('⌥ ', opts) : ''}`;
  const glyph = p['sfimage'] === undefined ? undefined : symbolGlyph(p['sfimage']);
  const symbol = glyph === undefined ? '' : `${paint(glyph, rgb, opts)} `;
  const image = p['image'] ?? p['templateimage'];
  const picture = image !== undefined ? `${imageText(image.split(',')[0] ?? image, opts, rgb)} ` : '';
  const badge = p['badge'] !== undefined ? ` ${dim(`(${p['badge']})`, opts)}` : '';
  const submenu = item.children.length > 0 ? ` ${dim('▸', opts)}` : '';
  const title = symbolizes(p)
    ? renderSymbols(paint(displayedTitle(item), rgb, opts), p, opts.appearance, (glyph, c) => paint(glyph, c, opts))
    : paint(displayedTitle(item), rgb, opts);
  return `${prefix}${symbol}${picture}${title}${badge}${submenu}${hints(item, opts)}`;
}

function bodyLines(nodes: readonly ParsedNode[], depth: number, opts: RenderMenuOptions, out: string[]): void {
  for (const node of nodes) {
    const indent = INDENT.repeat(depth);
    if (node.type === 'separator') {
      out.push(indent + dim('─'.repeat(24), opts));
      continue;
    }
    // Multi-line titles (escaped \n) stay on their item's indent.
    out.push(...itemLine(node, opts).split('\n').map((l, i) => indent + (i > 0 ? '  ' : '') + l));
    bodyLines(node.children, depth + 1, opts, out);
  }
}

/** Terminal lines for one frame: title(s) first, a rule, then the dropdown. */
export function renderMenu(frame: ParsedFrame, opts: RenderMenuOptions): string[] {
  const out: string[] = [];
  frame.header.forEach((item, i) => {
    const line = itemLine(item, opts).replace(/\n/g, ' ');
    out.push(i === 0 ? `${bold('▌', opts)} ${line}` : `${dim('▌', opts)} ${line}  ${dim('(cycles in the menu bar)', opts)}`);
  });
  if (frame.body.length > 0) {
    out.push(dim('━'.repeat(28), opts));
    bodyLines(frame.body, 0, opts, out);
  }
  return out;
}
