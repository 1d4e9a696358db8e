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

/**
 * Actions a stray Enter should not meet: when the menu changes under the selection, the cursor
 * never lands on one of these by position alone.
 */
const DESTRUCTIVE = new Set(['uninstall_service', 'do_stop', 'do_restart', 'do_unload', 'do_unload_model', 'do_cancel_request']);

/** Whether clicking the row stops, unloads, cancels or uninstalls something. */
export function isDestructive(row: MenuRow | undefined): boolean {
  if (!selectable(row)) return false;
  const p = row.node.params;
  return Object.keys(p).some((k) => (k === 'bash' || /^param\d+$/.test(k)) && DESTRUCTIVE.has(p[k] ?? ''));
}

/** The selectable row nearest to `at` that is not destructive (below first at equal distance); else the nearest one. */
function nearestSafe(rows: readonly MenuRow[], at: number): number {
  let fallback = -1;
  for (let d = 0; d < rows.length; d++) {
    for (const i of d === 0 ? [at] : [at + d, at - d]) {
      const row = rows[i];
      if (!selectable(row)) continue;
      if (!isDestructive(row)) return i;
      if (fallback < 0) fallback = i;
    }
  }
  return Math.max(0, fallback);
}

/**
 * The index of `key` in `rows`. When it is gone (an unloaded model's submenu, say): its nearest
 * ancestor still shown, else the nearest safe row to `fallback` (the old position, where the
 * next section's items may have moved up).
 */
export function indexOfKey(rows: readonly MenuRow[], key: string | undefined, fallback: number): number {
  if (rows.length === 0) return 0;
  for (let k = key; k !== undefined && k !== ''; k = k.includes('/') ? k.slice(0, k.lastIndexOf('/')) : undefined) {
    const found = rows.findIndex((r) => r.key === k);
    if (found >= 0) return found;
  }
  return nearestSafe(rows, Math.min(Math.max(0, fallback), rows.length - 1));
}

/** The first row worth selecting at start: a submenu or an item that does something; else the first item. */
export function firstUseful(rows: readonly MenuRow[]): number {
  const useful = rows.findIndex((r) => r.expandable || (r.node.type === 'item' && (r.node.params['bash'] !== undefined || r.node.params['href'] !== undefined)));
  return useful >= 0 ? useful : indexOfKey(rows, undefined, 0);
}
