/**
 * Pure: the demo's whole screen for a terminal of `width` x `height`. The title line (the
 * menu-bar title and what the demo is doing) stays on the first line and the key hints on the
 * last; between them the menu scrolls to keep the selection visible, and the line above the hints
 * says what the selected item would run (only that one: per-item commands are noise). Every line
 * is cut to the width with "…", and painted on a menu-coloured background.
 */
import stringWidth from 'string-width';
import type { ParsedFrame } from '../../src/reconciler/parse.js';
import type { Appearance } from '../preview/colors.js';
import type { ImageProtocol } from '../preview/inline-image.js';
import { menuLine } from '../preview/menu-paint.js';
import { itemAction, itemLine } from '../preview/render-menu.js';
import { selectable, type MenuRow } from './menu-rows.js';
import { shortCommand } from './short-command.js';

export type ScreenInput = {
  readonly frame: ParsedFrame | null;
  readonly rows: readonly MenuRow[];
  readonly selected: number;
  /** First menu row shown (kept from the previous screen so scrolling is steady). */
  readonly scroll: number;
  readonly width: number;
  readonly height: number;
  readonly appearance: Appearance;
  /** ANSI colours and the painted background. */
  readonly color: boolean;
  /** Right of the title: where the data comes from, the scenario. */
  readonly status: string;
  /** The last action's result, shown instead of the selection's command while fresh. */
  readonly message: string | null;
  /** Key hints, longest first: the first that fits the width is shown (else the last, cut). */
  readonly hints: readonly string[];
};

export type Screen = { readonly lines: readonly string[]; readonly scroll: number };

const IMAGES: ImageProtocol = 'blocks';
const INDENT = '  ';

function dim(text: string, color: boolean): string {
  return color && text !== '' ? `\x1b[2m${text}\x1b[22m` : text;
}

/** A screen line: cut and padded to the terminal's width, painted as the menu. */
function finish(line: string, input: ScreenInput): string {
  return menuLine(line, input.width, { appearance: input.appearance, color: input.color });
}

function rowText(row: MenuRow, isSelected: boolean, input: ScreenInput): string {
  const opts = { appearance: input.appearance, images: IMAGES, color: input.color, actions: false } as const;
  const indent = INDENT.repeat(row.depth);
  const cursor = isSelected ? '›' : ' ';
  if (row.node.type === 'separator') return `${cursor} ${indent}${dim('─'.repeat(24), input.color)}`;
  const fold = row.expandable ? (row.expanded ? '▾ ' : '▸ ') : '  ';
  const text = itemLine({ ...row.node, children: [] }, opts).replace(/\n/g, ' ');
  const line = `${cursor} ${indent}${fold}${text}`;
  return isSelected && input.color ? `\x1b[7m${line}\x1b[27m` : line;
}

/** The whole screen: exactly `height` lines (fewer only when the terminal is tinier than 3 lines). */
export function layoutScreen(input: ScreenInput): Screen {
  const height = Math.max(1, input.height);
  const header = input.frame?.header[0];
  const title = header === undefined
    ? dim('waiting for the first frame…', input.color)
    : itemLine({ ...header, children: [] }, { appearance: input.appearance, images: IMAGES, color: input.color, actions: false }).replace(/\n/g, ' ');
  const titleLine = `▌ ${title}  ${dim(input.status, input.color)}`;
  const hint = input.hints.find((h) => stringWidth(h) <= input.width) ?? input.hints[input.hints.length - 1] ?? '';
  const hintsLine = dim(hint, input.color);
  if (height < 3) return { lines: [titleLine, hintsLine].slice(0, height).map((l) => finish(l, input)), scroll: 0 };

  const view = Math.max(0, height - 3); // title, menu rows…, footer, hints
  const rows = input.rows;
  let scroll = Math.min(Math.max(0, input.scroll), Math.max(0, rows.length - view));
  if (input.selected < scroll) scroll = input.selected;
  if (input.selected >= scroll + view) scroll = input.selected - view + 1;
  scroll = Math.max(0, scroll);
  const body = rows.slice(scroll, scroll + view).map((row, i) => rowText(row, scroll + i === input.selected, input));
  while (body.length < view) body.push('');

  const selectedRow = rows[input.selected];
  const action = selectable(selectedRow) ? itemAction(selectedRow.node, shortCommand) : '';
  const more = [scroll > 0 ? `↑${scroll}` : '', rows.length > scroll + view ? `↓${rows.length - scroll - view}` : ''].filter(Boolean).join(' ');
  const fold = selectedRow?.expandable ? (selectedRow.expanded ? '← closes its submenu' : '→ opens its submenu') : '';
  const what = input.message ?? (action === '' ? fold : `⏎ ${action}`);
  const footer = `${dim(more === '' ? '' : `[${more}] `, input.color)}${dim(what, input.color)}`;
  return { lines: [titleLine, ...body, footer, hintsLine].map((l) => finish(l, input)), scroll };
}
