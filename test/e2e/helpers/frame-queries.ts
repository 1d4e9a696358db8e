/** Small readers over a parsed plugin frame: the status glyph, its colour, rates and model rows. */
import { allItems, type ParsedFrame, type ParsedItem } from '../../../src/reconciler/parse.js';

/** The title's `sfcolor` pair per overall state (src/components/colors.ts, written out so a palette change is noticed). */
export const STATUS_SFCOLOR = {
  red: '#d70015,#ff6961',
  yellow: '#b87800,#ffd60a',
  green: '#248a3d,#30d158',
  blue: '#0062cc,#409cff',
  grey: '#808085,#98989d',
} as const;

/** A status colour, or `connecting` (grey dotted glyph, before the first answer). */
export type StatusColor = keyof typeof STATUS_SFCOLOR | 'connecting';

/** The menu-bar title line. */
export function titleItem(frame: ParsedFrame): ParsedItem | undefined {
  return frame.header[0];
}

/** Which status colour the glyph has, or null for an unknown pair. */
export function statusColor(frame: ParsedFrame): StatusColor | null {
  if (titleItem(frame)?.title.startsWith(':circle.dotted:')) return 'connecting';
  const pair = titleItem(frame)?.params.sfcolor;
  const hit = Object.entries(STATUS_SFCOLOR).find(([, v]) => v === pair);
  return hit ? (hit[0] as StatusColor) : null;
}

/** True when the title glyph shows `color`. */
export function isStatus(color: StatusColor): (frame: ParsedFrame) => boolean {
  return (frame) => statusColor(frame) === color;
}

/** The live generation figure in the title (":circle.fill: 42 t/s" → 42, "1.2k t/s" → 1200), or null. */
export function titleRate(frame: ParsedFrame): number | null {
  const m = /:\s+([\d.]+)(k?) t\/s\s*$/.exec(titleItem(frame)?.title ?? '');
  if (!m?.[1]) return null;
  return Number(m[1]) * (m[2] === 'k' ? 1000 : 1);
}

/** The title's tooltip ("llama-swap: processing requests, 4 processing, 2 waiting"). */
export function titleTooltip(frame: ParsedFrame): string {
  return titleItem(frame)?.params.tooltip ?? '';
}

/** Processing and waiting counts from the title tooltip, when processing. */
export function queueCounts(frame: ParsedFrame): { readonly processing: number; readonly waiting: number } | null {
  const m = /(\d+) processing, (\d+) waiting/.exec(titleTooltip(frame));
  return m ? { processing: Number(m[1]), waiting: Number(m[2]) } : null;
}

/** The submenu row of a running model (its label starts with the model's name and " — "). */
export function runningModel(frame: ParsedFrame, name: string): ParsedItem | undefined {
  return allItems(frame).find((i) => i.depth === 0 && i.title.startsWith(`${name} — `) && i.children.length > 0);
}

/** A loaded model's row by the start of its label (`<name> — …`), with or without a submenu yet. */
export function modelItem(frame: ParsedFrame, name: string): ParsedItem | undefined {
  return frame.body.find((n): n is ParsedItem => n.type === 'item' && n.title.startsWith(`${name} — `));
}

/** The titles of an item's child rows. */
export function childTitles(item: ParsedItem | undefined): string[] {
  return item?.children.flatMap((c) => (c.type === 'item' ? [c.title] : [])) ?? [];
}

/** A child row of an item whose title starts with `prefix`. */
export function childRow(item: ParsedItem | undefined, prefix: string): ParsedItem | undefined {
  return item?.children.find((c): c is ParsedItem => c.type === 'item' && c.title.startsWith(prefix));
}

/** A top-level row whose title is exactly `title` (an idle model's "load" row, "Unload all models"). */
export function topRow(frame: ParsedFrame, title: string): ParsedItem | undefined {
  return frame.body.find((n): n is ParsedItem => n.type === 'item' && n.title === title);
}

/** The first number in a row's title after `label:` ("Served: 12 requests" → 12). */
export function rowNumber(item: ParsedItem | undefined): number | null {
  const m = /:\s*([\d.,]+)/.exec(item?.title ?? '');
  return m?.[1] ? Number(m[1].replace(/,/g, '')) : null;
}

/** Titles of every body item, for failure messages. */
export function bodyTitles(frame: ParsedFrame | undefined): string {
  return frame ? allItems(frame).map((i) => `${'  '.repeat(i.depth)}${i.title}`).join('\n') : '(no frame)';
}
