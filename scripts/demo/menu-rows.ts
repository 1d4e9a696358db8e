/**
 * Pure: a parsed frame → the rows the demo shows, with submenus folded unless opened. A row's key
 * is the path of its items' stable names (the title before " — " or ": ", which is where figures
 * start, plus an occurrence count), so the selection and open submenus follow their item when
 * the next frame adds a problem line above it or a figure changes.
 */
import type { ParsedFrame, ParsedItem, ParsedNode } from '../../src/reconciler/parse.js';

export type MenuRow = {
  readonly key: string;
  readonly depth: number;
  readonly node: ParsedNode;
  /** Has a submenu. */
  readonly expandable: boolean;
  readonly expanded: boolean;
};

/** The visible rows: top-level items, and the items of each opened submenu beneath it. */
export function menuRows(frame: ParsedFrame, expanded: ReadonlySet<string>): MenuRow[] {
  const out: MenuRow[] = [];
  const walk = (nodes: readonly ParsedNode[], depth: number, prefix: string): void => {
    const seen = new Map<string, number>();
    nodes.forEach((node) => {
      const stem = node.type === 'separator' ? '─' : (node.title.split(/ — |: /)[0] ?? '');
      const n = (seen.get(stem) ?? 0) + 1;
      seen.set(stem, n);
      const name = `${stem.replace(/\//g, '∕')}#${n}`;
      const key = prefix === '' ? name : `${prefix}/${name}`;
      const expandable = node.type === 'item' && node.children.length > 0;
      const open = expandable && expanded.has(key);
      out.push({ key, depth, node, expandable, expanded: open });
      if (open && node.type === 'item') walk(node.children, depth + 1, key);
    });
  };
  walk(frame.body, 0, '');
  return out;
}

/** Rows that can hold the selection (separators cannot). */
export function selectable(row: MenuRow | undefined): row is MenuRow & { readonly node: ParsedItem } {
  return row !== undefined && row.node.type === 'item';
}

/** The next selectable index from `from` in direction `step` (±1), or `from` when there is none. */
export function moveSelection(rows: readonly MenuRow[], from: number, step: 1 | -1): number {
  for (let i = from + step; i >= 0 && i < rows.length; i += step) if (selectable(rows[i])) return i;
  return from;
}

/** The index of `key` in `rows`, else the nearest selectable row to `fallback`. */
export function indexOfKey(rows: readonly MenuRow[], key: string | undefined, fallback: number): number {
  const found = key === undefined ? -1 : rows.findIndex((r) => r.key === key);
  if (found >= 0) return found;
  const at = Math.min(Math.max(0, fallback), rows.length - 1);
  if (selectable(rows[at])) return at;
  const down = moveSelection(rows, at, 1);
  return down !== at ? down : moveSelection(rows, at, -1);
}

/** The first row worth selecting at start: a submenu or an item that does something; else the first item. */
export function firstUseful(rows: readonly MenuRow[]): number {
  const useful = rows.findIndex((r) => r.expandable || (r.node.type === 'item' && (r.node.params['bash'] !== undefined || r.node.params['href'] !== undefined)));
  return useful >= 0 ? useful : indexOfKey(rows, undefined, 0);
}
